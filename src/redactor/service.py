"""``redactor serve``: the HTTP API for other portals' CI gates and upload forms.

    GET  /healthz        {"status": "ok", "version": ...}: liveness, never needs the token
    POST /v1/check       multipart field ``file`` -> the JSON report (schema redactor.report/1)
    POST /v1/redact      multipart field ``file`` -> the report plus the redacted file:
                         JSON ``{"report": {...}, "file": {"name", "media_type", "size", "sha256",
                         "base64"}}`` (``file`` is null when the verdict is block); or, with
                         ``Accept: application/octet-stream``, the redacted bytes themselves with
                         ``X-Redactor-Verdict`` / ``X-Redactor-Findings`` headers (409 + JSON
                         when blocked)
    GET  /docs, /openapi.json   OpenAPI documentation

Status codes: 200 processed; 400 malformed multipart body; 401 missing or wrong bearer token;
413 upload too large; 415 unsupported file type; 422 not exactly one file in the field
``file``, or a file that cannot be read (empty, corrupt, encrypted: the body carries the report); 503 too many requests waiting; 504 the
request took longer than the timeout. Every error body is JSON:
``{"error": {"status": 413, "code": "too_large", "message": "..."}}``.

Every upload runs through the batch engine (``engine.run_batch``, one file) on one shared
``ProcessPool``: each worker builds its Redactor once, the event loop stays free (``/healthz``
answers while files are processed) and requests run concurrently. A file still running after
the timeout is answered 504 and its worker is killed (the pool restarts; other files that were
running are run again). A worker that dies on a file (a crash, the memory cap) is replaced and
the file tried again once, then answered 422 with an [E298] report. Workers are recycled after
``--recycle-files`` files or when one is over ``--recycle-mb`` resident after a file, so memory
goes back down after a burst; each has an address-space cap (``--worker-memory-mb``): a file
that needs more fails alone. With ``--workers 0`` (threads in the server) timed-out work cannot
be stopped. Each upload is written to a private temporary folder (mode 0700) that is deleted
when no worker uses it any more, also after a timeout.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import shutil
import tempfile
import threading
import unicodedata
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from contextlib import asynccontextmanager, closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from .engine import ProcessPool, default_jobs, run_batch, warm_worker
from .errors import code_of
from .formats import media_type_for, supported_suffixes
from .policy import ERROR, Policy
from .reporting import FileReport, RunReport

_CHUNK = 1 << 20


class ApiError(HTTPException):
    """An HTTP error with a stable machine code; rendered as the JSON error body."""

    def __init__(self, status: int, code: str, message: str, extra: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code=status, detail=message, headers=headers)
        self.code = code
        self.extra = extra or {}


def _error_body(status: int, code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message}, **extra}


# --- the work ------------------------------------------------------------------------------
class _Tracked(Executor):
    """One request's view of the shared pool: remembers the futures it submitted, so that the
    upload's folder is removed only once no worker uses it any more."""

    def __init__(self, inner: Executor) -> None:
        self.inner = inner
        self.futures: list[Future] = []
        self.workers = getattr(inner, "workers", None) or getattr(inner, "_max_workers", 1)
        if hasattr(inner, "restart"):  # a process pool can stop a stuck file; threads cannot
            self.restart = inner.restart

    @property
    def starting(self) -> bool:  # a per-file timeout waits for workers that are starting
        return bool(getattr(self.inner, "starting", False))

    def submit(self, fn, /, *args, **kwargs) -> Future:
        f = self.inner.submit(fn, *args, **kwargs)
        self.futures.append(f)
        return f

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        pass  # the pool is the server's, not the request's


def _when_idle(futures: list[Future], then) -> None:
    """Call ``then()`` once every future is done (now, if they all are)."""
    left = [f for f in futures if not f.done()]
    if not left:
        then()
        return
    count = [len(left)]
    lock = threading.Lock()

    def one(_f: Future) -> None:
        with lock:
            count[0] -= 1
            last = count[0] == 0
        if last:
            then()

    for f in left:
        f.add_done_callback(one)


# --- the ASGI app ---------------------------------------------------------------------------
class BodyLimit:
    """Refuse bodies over ``limit`` bytes: early on Content-Length, else while streaming."""

    def __init__(self, app, limit: int, shown_mb: float | None = None) -> None:
        self.app = app
        self.limit = limit
        self.shown_mb = shown_mb if shown_mb is not None else limit / 1048576

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_big = int(value) > self.limit
                except ValueError:
                    too_big = False
                if too_big:
                    resp = JSONResponse(_error_body(413, "too_large", self._message()), status_code=413)
                    return await resp(scope, receive, send)
        seen = 0

        async def limited():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > self.limit:
                    raise ApiError(413, "too_large", self._message())
            return msg

        return await self.app(scope, limited, send)

    def _message(self) -> str:
        return f"upload larger than the limit of {self.shown_mb:g} MB"


_NAME_BYTES = 120  # file systems allow 255 bytes a name; the writer's temporary name adds ~20


def _safe_name(filename: str | None) -> str:
    """The upload's base name, without control characters, at most ``_NAME_BYTES`` in UTF-8
    (100 CJK characters are 300 bytes: the stem is shortened, the suffix kept)."""
    name = Path((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    stem, suffix = os.path.splitext(name)
    if len(suffix.encode()) > 16:
        stem, suffix = name, ""
    room = _NAME_BYTES - len(suffix.encode())
    stem = stem.encode()[:room].decode("utf-8", "ignore")  # cut on a character boundary
    return (stem + suffix) or "upload"


def _content_disposition(name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _mount_docs(app: FastAPI) -> None:
    """/docs with Swagger UI served from this machine (the swagger-ui-bundle package of the
    ``serve`` extra): FastAPI's default page loads its scripts from a CDN and is blank offline.
    Without the package /docs answers 404 with a hint; /openapi.json always works."""
    from fastapi.openapi.docs import get_swagger_ui_html

    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        swagger_ui_path = None

    if swagger_ui_path is not None:
        from fastapi.staticfiles import StaticFiles

        app.mount("/docs-assets", StaticFiles(directory=str(swagger_ui_path)), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs_page():
        if swagger_ui_path is None:
            raise ApiError(404, "not_found", "API docs need the swagger-ui-bundle package (pip install 'redactor[serve]'); "
                                             "the API description is at /openapi.json")
        return get_swagger_ui_html(openapi_url="/openapi.json", title="redactor API",
                                   swagger_js_url="/docs-assets/swagger-ui-bundle.js",
                                   swagger_css_url="/docs-assets/swagger-ui.css",
                                   swagger_favicon_url="/docs-assets/favicon-32x32.png")


def create_app(
    policy: Policy | None = None,
    *,
    workers: int | None = None,
    max_upload_mb: float = 50.0,
    timeout: float = 120.0,
    token: str | None = None,
    max_pending: int | None = None,
    recycle_files: int = 500,
    recycle_mb: float = 200.0,
    worker_memory_mb: float | None = 2048.0,
):
    """Build the ASGI app. ``workers``: processes for the CPU work (None: number of cores;
    0: a small thread pool inside the server, handy for tests and tiny deployments).
    ``recycle_files`` / ``recycle_mb``: workers are replaced after that many files, or when one
    is over that many MB resident after a file. ``worker_memory_mb``: each worker's memory cap
    beyond what it holds at start (None: no cap)."""
    from . import __version__

    policy = policy or Policy()
    n_workers = default_jobs() if workers is None else workers
    pending_limit = max_pending or max(8, 8 * max(1, n_workers))
    state: dict[str, Any] = {"pool": None, "pending": 0}
    lock = threading.Lock()
    # Requests wait for their file on these threads (the event loop never does).
    waiters = ThreadPoolExecutor(max_workers=pending_limit, thread_name_prefix="redactor-wait")

    def make_pool() -> Executor:
        if n_workers == 0:
            return ThreadPoolExecutor(max_workers=4, initializer=warm_worker, initargs=(policy,),
                                      thread_name_prefix="redactor")
        # forkserver: the server has threads (fork is unsafe there) and workers start clean
        return ProcessPool(n_workers, policy, start_method="forkserver", max_files=recycle_files * n_workers,
                           max_worker_mb=recycle_mb, memory_limit_mb=worker_memory_mb)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        pool = state["pool"] = make_pool()
        # Start every worker now (each builds its detectors once) and fail at startup, not on
        # the first request, when they cannot start.
        try:
            if isinstance(pool, ProcessPool):
                await asyncio.to_thread(pool.start)
            else:
                for f in [pool.submit(os.getpid) for _ in range(4)]:
                    f.result()
        except Exception as e:
            pool.shutdown(wait=False, cancel_futures=True)
            raise RuntimeError(f"redactor workers failed to start ({type(e).__name__}); see the log above") from None
        try:
            yield
        finally:
            # Queued work is dropped; running work finishes so its temp folder is removed.
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
            waiters.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(
        title="redactor",
        version=__version__,
        description="Find and mask personal data, and stop classified or internal content, in Chinese "
                    "government documents before publication. Upload a document (.txt, .md, .docx, .pdf, "
                    ".xlsx, .csv, .xls ...) as the multipart field `file`. Reports never contain raw values, only masked previews.",
        lifespan=lifespan,
        docs_url=None,  # served below from local assets: a CDN is not reachable from most offices
        redoc_url=None,
    )
    _mount_docs(app)
    bearer = HTTPBearer(auto_error=False, description="Needed when the server was started with a token")

    async def require_token(creds: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
        if not token:
            return
        given = creds.credentials if creds is not None else ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise ApiError(401, "unauthorized", "missing or wrong bearer token",
                           headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        code = getattr(exc, "code", None) or {
            400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed",
            413: "too_large", 415: "unsupported_type", 422: "unprocessable",
        }.get(exc.status_code, "http_error")
        body = _error_body(exc.status_code, code, str(exc.detail), **getattr(exc, "extra", {}))
        return JSONResponse(body, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        missing = [e for e in exc.errors() if e.get("type") == "missing"]
        if missing:
            fields = ", ".join(str(e["loc"][-1]) for e in missing)
            msg = f"missing multipart form field: {fields} (send the document as the field 'file')"
        else:
            msg = "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg')}" for e in exc.errors())
        return JSONResponse(_error_body(422, "invalid_request", msg), status_code=422)

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception):  # a bug: still JSON, never a traceback
        return JSONResponse(_error_body(500, "internal", f"internal error: {type(exc).__name__}"), status_code=500)

    async def _process(upload: UploadFile, redact: bool) -> tuple[FileReport, str, bytes | None]:
        name = _safe_name(upload.filename)
        suffix = Path(name).suffix.lower()
        if suffix not in supported_suffixes():
            raise ApiError(415, "unsupported_type",
                           f"unsupported file type '{suffix or '(none)'}' (supported: {', '.join(supported_suffixes())})")
        with lock:
            if state["pending"] >= pending_limit:
                raise ApiError(503, "busy", "too many requests waiting; retry later", headers={"Retry-After": "2"})
            state["pending"] += 1
        tmp = Path(tempfile.mkdtemp(prefix="redactor-serve-"))  # 0700: only this user
        executor = _Tracked(state["pool"])
        try:
            (tmp / "in").mkdir()
            src = tmp / "in" / name
            size = 0
            with open(src, "wb") as fh:
                while chunk := await upload.read(_CHUNK):
                    size += len(chunk)
                    if size > max_upload_mb * 1048576:
                        raise ApiError(413, "too_large", f"upload larger than the limit of {max_upload_mb:g} MB")
                    fh.write(chunk)
            outdir = str(tmp / "out") if redact else None

            def work() -> tuple[FileReport, bytes | None]:
                # The engine: the same steps, retries and timeout as a folder run, for one file.
                with closing(run_batch([str(src)], policy, outdir, executor, timeout=timeout)) as reports:
                    report = next(reports)
                data = None
                if report.output is not None and report.verdict != ERROR and os.path.exists(report.output):
                    data = Path(report.output).read_bytes()
                return report, data

            report, data = await asyncio.get_running_loop().run_in_executor(waiters, work)
            # The report names the upload, never the server's temporary path. The copy may have
            # another name: masked (a name in the file name) or the modern suffix (.xls -> .xlsx).
            written = Path(report.output) if outdir is not None and report.output else None
            copy_name = written.name if written is not None else name
            for attr in ("path", "error", "output"):
                val = getattr(report, attr)
                if isinstance(val, str):
                    if written is not None:
                        val = val.replace(str(written), copy_name)
                    setattr(report, attr, val.replace(str(tmp / "out" / name), name).replace(str(src), name))
            report.reasons = [r.replace(str(src), name) for r in report.reasons]
            if code_of(report.error or "") == "E297":
                raise ApiError(504, "timeout", f"processing took longer than {timeout:g} s")
            if data is not None:
                name = copy_name
            return report, name, data
        finally:
            with lock:
                state["pending"] -= 1
            # Now if the work is over, else (a thread past its timeout) as soon as it lets go.
            _when_idle(executor.futures, lambda: shutil.rmtree(tmp, ignore_errors=True))

    def _unreadable(report: FileReport) -> ApiError:
        body = {"report": RunReport(files=[report]).to_dict()}
        if code_of(report.error or "") == "E900":  # a bug of ours, not the file's fault
            return ApiError(500, "internal", report.error or "internal error", extra=body)
        return ApiError(422, "unreadable", report.error or "the file could not be processed", extra=body)

    async def _one_file(request: Request) -> None:
        form = await request.form()  # already parsed (and cached) for the `file` parameter
        if len(form.getlist("file")) != 1:
            raise ApiError(422, "invalid_request", "send exactly one document in the field 'file'")

    upload_doc = ("The document: .txt, .md, .docx, .pdf, .xlsx, .csv, .tsv, .xls or .et (the file name's suffix "
                  "selects the format; .xls/.et come back as .xlsx).")

    @app.get("/healthz", summary="Liveness check")
    async def healthz() -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "workers": n_workers}

    @app.post("/v1/check", summary="Check a document: verdict, reasons and masked findings",
              dependencies=[Depends(require_token)],
              responses={401: {"description": "token"}, 413: {"description": "too large"},
                         415: {"description": "unsupported type"}, 422: {"description": "unreadable or no file"},
                         504: {"description": "timeout"}})
    async def check(request: Request, file: UploadFile = File(..., description=upload_doc)) -> JSONResponse:
        await _one_file(request)
        report, _, _ = await _process(file, redact=False)
        if report.verdict == ERROR:
            raise _unreadable(report)
        return JSONResponse(RunReport(files=[report]).to_dict())

    @app.post("/v1/redact", summary="Redact a document: the report plus the redacted copy",
              dependencies=[Depends(require_token)],
              responses={200: {"content": {"application/octet-stream": {}}},
                         409: {"description": "blocked (raw mode only)"}, 401: {"description": "token"},
                         413: {"description": "too large"}, 415: {"description": "unsupported type"},
                         422: {"description": "unreadable or no file"}, 504: {"description": "timeout"}})
    async def redact(request: Request, file: UploadFile = File(..., description=upload_doc)) -> Response:
        await _one_file(request)
        report, name, data = await _process(file, redact=True)
        if report.verdict == ERROR:
            raise _unreadable(report)
        body = RunReport(files=[report]).to_dict()
        raw = "application/octet-stream" in request.headers.get("accept", "")
        if raw:
            if data is None:
                raise ApiError(409, "blocked", "the document must not be published; no redacted copy was made",
                               extra={"report": body})
            return Response(content=data, media_type=media_type_for(name),
                             headers={"Content-Disposition": _content_disposition(name),
                                      "X-Redactor-Verdict": report.verdict,
                                      "X-Redactor-Findings": str(len(report.findings))})
        file_info = None
        if data is not None:
            file_info = {
                "name": name,
                "media_type": media_type_for(name),
                "size": len(data),
                "sha256": hashlib.sha256(data).hexdigest(),
                "base64": base64.b64encode(data).decode("ascii"),
            }
        return JSONResponse({"report": body, "file": file_info})

    return BodyLimit(app, int(max_upload_mb * 1048576) + 64 * 1024, max_upload_mb)  # + room for multipart framing


def serve(policy: Policy | None = None, *, host: str = "127.0.0.1", port: int = 8000, workers: int | None = None,
          max_upload_mb: float = 50.0, timeout: float = 120.0, token: str | None = None,
          log_level: str = "info", **pool: Any) -> None:
    """Run the app with uvicorn; ``pool``: recycle_files, recycle_mb, worker_memory_mb."""
    import uvicorn

    app = create_app(policy, workers=workers, max_upload_mb=max_upload_mb, timeout=timeout, token=token, **pool)
    uvicorn.run(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=5)
