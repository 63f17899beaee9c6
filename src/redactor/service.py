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

The CPU work runs in a pool of worker processes (each builds its Redactor once), so the
event loop stays free and requests run concurrently. A worker still busy with a timed-out
file one more timeout later is killed with its pool, which is replaced (requests running on
it then get 503); with ``--workers 0`` (threads) timed-out work cannot be stopped. Each upload is written to a private
temporary folder (mode 0700) that is deleted when its work ends, also after a timeout.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import multiprocessing
import os
import shutil
import tempfile
import threading
import unicodedata
from concurrent.futures import BrokenExecutor, Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Depends, FastAPI, File, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

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


# --- the work, run in a pool ------------------------------------------------------------------
_local = threading.local()


def _redactor_here(policy: Policy | None = None):
    """The Redactor of this worker (process or thread): built once, reused for every file."""
    from . import parallel

    if parallel._worker_redactor is not None:
        return parallel._worker_redactor
    r = getattr(_local, "redactor", None)
    if r is None:
        from .pipeline import Redactor

        r = _local.redactor = Redactor(policy or _local_policy)
    return r


_local_policy: Policy = Policy()


def _thread_init(policy: Policy) -> None:
    from .parallel import _WARM_UP

    global _local_policy
    _local_policy = policy
    _redactor_here(policy).scan_text(_WARM_UP)  # build the detectors and their lazy data now


def _job(src: str, out: str | None) -> FileReport:
    r = _redactor_here()
    return r.scan(src) if out is None else r.redact(src, out)


def _kill(pool: Executor) -> None:
    """Stop a process pool now, its running work included (threads cannot be stopped)."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            proc.kill()
        except Exception:  # already gone
            pass
    pool.shutdown(wait=False, cancel_futures=True)


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


def _safe_name(filename: str | None) -> str:
    name = Path((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().lstrip(".")
    if len(name) > 120:
        stem, suffix = os.path.splitext(name)
        name = stem[: 120 - len(suffix)] + suffix
    return name or "upload"


def _content_disposition(name: str) -> str:
    ascii_name = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def create_app(
    policy: Policy | None = None,
    *,
    workers: int | None = None,
    max_upload_mb: float = 50.0,
    timeout: float = 120.0,
    token: str | None = None,
    max_pending: int | None = None,
):
    """Build the ASGI app. ``workers``: processes for the CPU work (None: number of cores;
    0: a small thread pool inside the server, handy for tests and tiny deployments)."""
    from . import __version__
    from .parallel import _init_worker, default_jobs

    policy = policy or Policy()
    n_workers = default_jobs() if workers is None else workers
    pending_limit = max_pending or max(8, 8 * max(1, n_workers))
    state: dict[str, Any] = {"pool": None, "pending": 0}
    lock = threading.Lock()

    def make_pool() -> Executor:
        if n_workers == 0:
            return ThreadPoolExecutor(max_workers=4, initializer=_thread_init, initargs=(policy,),
                                      thread_name_prefix="redactor")
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        return ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx, initializer=_init_worker,
                                   initargs=(policy,))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        state["pool"] = make_pool()
        # Start every worker now (each builds its detectors once) and fail at startup, not on
        # the first request, when they cannot start.
        from .parallel import _ping

        try:
            for f in [state["pool"].submit(_ping) for _ in range(max(1, n_workers))]:
                f.result()
        except Exception as e:
            state["pool"].shutdown(wait=False, cancel_futures=True)
            raise RuntimeError(f"redactor workers failed to start ({type(e).__name__}); see the log above") from None
        try:
            yield
        finally:
            # Queued work is dropped; running work finishes so its temp folder is removed.
            await asyncio.to_thread(state["pool"].shutdown, wait=True, cancel_futures=True)

    app = FastAPI(
        title="redactor",
        version=__version__,
        description="Find and mask personal data, and stop classified or internal content, in Chinese "
                    "government documents before publication. Upload a document (.txt, .md, .docx, .pdf, "
                    ".xlsx, .csv, .xls ...) as the multipart field `file`. Reports never contain raw values, only masked previews.",
        lifespan=lifespan,
    )
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
        if state["pending"] >= pending_limit:
            raise ApiError(503, "busy", "too many requests waiting; retry later", headers={"Retry-After": "2"})
        tmp = Path(tempfile.mkdtemp(prefix="redactor-serve-"))  # 0700: only this user
        fut: Future | None = None
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
            out = tmp / "out" / name if redact else None
            with lock:
                state["pending"] += 1
            pool = state["pool"]
            try:
                try:
                    fut = pool.submit(_job, str(src), str(out) if out else None)
                except BrokenExecutor:  # a worker died earlier: start a fresh pool, once
                    pool = _replace_pool(pool)
                    fut = pool.submit(_job, str(src), str(out) if out else None)
            except Exception:
                with lock:
                    state["pending"] -= 1
                raise

            def finished(_f: Future) -> None:
                with lock:
                    state["pending"] -= 1

            fut.add_done_callback(finished)
            try:
                report = await asyncio.wait_for(asyncio.wrap_future(fut), timeout)
            except asyncio.TimeoutError:
                if n_workers > 0:
                    asyncio.get_running_loop().create_task(_recycle_if_stuck(fut, pool))
                raise ApiError(504, "timeout", f"processing took longer than {timeout:g} s") from None
            except BrokenExecutor as e:  # a worker died (killed, crashed, recycled)
                _replace_pool(pool)
                raise ApiError(503, "worker_failed", f"the worker failed: {type(e).__name__}; retry") from None
            # The report names the upload, never the server's temporary path. A legacy file's
            # copy has the modern suffix (an .xls upload comes back as .xlsx).
            written = Path(report.output) if out is not None and report.output else None
            copy_name = written.name if written is not None else name
            for attr in ("path", "error", "output"):
                val = getattr(report, attr)
                if isinstance(val, str):
                    if written is not None:
                        val = val.replace(str(written), copy_name)
                    setattr(report, attr, val.replace(str(out or src), name).replace(str(src), name))
            report.reasons = [r.replace(str(src), name) for r in report.reasons]
            data = None
            if written is not None and written.exists():
                data = written.read_bytes()
                name = copy_name
            return report, name, data
        finally:
            if fut is None:
                shutil.rmtree(tmp, ignore_errors=True)
            else:
                # Now if the work is over, else (a timeout) as soon as the worker lets go of it.
                fut.add_done_callback(lambda _f: shutil.rmtree(tmp, ignore_errors=True))

    def _replace_pool(broken: Executor) -> Executor:
        """Swap in a fresh pool if ``broken`` is still the current one; return the current pool."""
        if state["pool"] is broken:
            from .parallel import _ping

            state["pool"] = make_pool()
            _kill(broken)
            for _ in range(max(1, n_workers)):  # start the workers now, not in the next request
                state["pool"].submit(_ping)
        return state["pool"]

    async def _recycle_if_stuck(fut: Future, pool: Executor) -> None:
        # A worker still busy with a timed-out file after another ``timeout`` is stuck (a
        # pathological document or pattern): replace the pool so it cannot block the queue.
        # Requests running on the old pool at that moment get 503 and may retry.
        await asyncio.sleep(timeout)
        if not fut.done():
            _replace_pool(pool)

    def _unreadable(report: FileReport) -> ApiError:
        return ApiError(422, "unreadable", report.error or "the file could not be processed",
                        extra={"report": RunReport(files=[report]).to_dict()})

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
          log_level: str = "info") -> None:
    import uvicorn

    app = create_app(policy, workers=workers, max_upload_mb=max_upload_mb, timeout=timeout, token=token)
    uvicorn.run(app, host=host, port=port, log_level=log_level, timeout_graceful_shutdown=5)
