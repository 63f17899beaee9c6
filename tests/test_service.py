"""`redactor serve`: real HTTP requests against servers started by the tests on 127.0.0.1."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from clerk_fixtures import REDACTOR, env, free_port, make_folder, run_cli, wait_http

TOKEN = "test-token-7f3a"


class Server:
    def __init__(self, tmp: Path, *args: str, token: str | None = TOKEN) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.tmpdir = tmp / "server-tmp"  # the server's TMPDIR: uploads must not stay here
        self.tmpdir.mkdir(parents=True)
        extra = {"TMPDIR": str(self.tmpdir)}
        if token:
            extra["REDACTOR_API_TOKEN"] = token
        self.log = open(tmp / "server.log", "w+")
        self.proc = subprocess.Popen([*REDACTOR, "serve", "--port", str(self.port), "--no-names", *args],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env(**extra), cwd=tmp)
        try:
            wait_http(self.url + "/healthz", None, timeout=60)
        except Exception:
            self.stop()
            raise

    def leftovers(self) -> list[str]:
        return [p.name for p in self.tmpdir.iterdir() if p.name.startswith("redactor-serve-")]

    def stop(self) -> str:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.log.seek(0)
        text = self.log.read()
        self.log.close()
        return text


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> dict[str, Path]:
    return make_folder(tmp_path_factory.mktemp("svc-docs") / "docs")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    s = Server(tmp_path_factory.mktemp("svc"), "--workers", "2", "--max-upload-mb", "1", "--timeout", "60")
    yield s
    log = s.stop()
    assert "Traceback" not in log, log[-3000:]


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def post(server, route: str, name: str, content: bytes, headers=None, **kw) -> httpx.Response:
    return httpx.post(server.url + route, files={"file": (name, content)}, headers={**AUTH, **(headers or {})},
                      timeout=60, **kw)


def assert_error(r: httpx.Response, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["error"]["status"] == status and body["error"]["code"] == code and body["error"]["message"]
    return body


def test_healthz_and_openapi(server):
    r = httpx.get(server.url + "/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["workers"] == 2
    spec = httpx.get(server.url + "/openapi.json").json()
    assert {"/v1/check", "/v1/redact", "/healthz"} <= set(spec["paths"])
    body = spec["paths"]["/v1/check"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in body
    assert "bearer" in json.dumps(spec["components"]["securitySchemes"]).lower()
    docs = httpx.get(server.url + "/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    # offline: the page's scripts and styles come from this server, never from a CDN
    assert "cdn" not in docs.text.lower() and "/docs-assets/swagger-ui-bundle.js" in docs.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert httpx.get(server.url + "/docs-assets/" + asset).status_code == 200


def test_token_is_required(server, docs):
    content = docs["clean"].read_bytes()
    assert_error(httpx.post(server.url + "/v1/check", files={"file": ("a.md", content)}), 401, "unauthorized")
    r = post(server, "/v1/check", "a.md", content, headers={"Authorization": "Bearer wrong"})
    assert_error(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"


def test_check_returns_the_same_report_as_the_cli(server, docs):
    f = docs["personal"]
    r = post(server, "/v1/check", f.name, f.read_bytes())
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["schema"] == "redactor.report/1"
    cli = json.loads(run_cli("check", str(f), "--no-names", "--format", "json").stdout)
    got, want = report["files"][0], cli["files"][0]
    assert got["path"] == f.name  # the upload's name, never the server's temp path
    assert {**got, "path": None} == {**want, "path": None}
    assert report["summary"] == cli["summary"]
    for line in f.read_text(encoding="utf-8").splitlines():
        assert line.split("：")[1] not in r.text


def test_redact_json_carries_file_and_report(server, docs, tmp_path):
    f = docs["personal"]
    r = post(server, "/v1/redact", f.name, f.read_bytes())
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["report"]["files"][0]["verdict"] == "redact" and body["report"]["files"][0]["output"] == f.name
    data = base64.b64decode(body["file"]["base64"])
    assert body["file"]["sha256"] == hashlib.sha256(data).hexdigest() and body["file"]["size"] == len(data)
    assert body["file"]["media_type"].startswith("text/plain")
    run_cli("redact", str(f), "-o", str(tmp_path / "out"), "--no-names", "-q")
    assert data == (tmp_path / "out" / f.name).read_bytes()  # the same copy as the CLI writes
    blocked = post(server, "/v1/redact", "通知.txt", docs["classified"].read_bytes())
    assert blocked.status_code == 200 and blocked.json()["file"] is None
    assert blocked.json()["report"]["files"][0]["verdict"] == "block"


def test_redact_raw_bytes_mode(server, docs):
    f = docs["personal"]
    r = post(server, "/v1/redact", f.name, f.read_bytes(), headers={"Accept": "application/octet-stream"})
    assert r.status_code == 200
    assert r.headers["x-redactor-verdict"] == "redact" and r.headers["x-redactor-findings"] == "3"
    assert "filename*=UTF-8''%E7%94%B3%E8%AF%B7%E8%A1%A8.txt" in r.headers["content-disposition"]
    assert "****" in r.content.decode("utf-8")
    r = post(server, "/v1/redact", "通知.txt", docs["classified"].read_bytes(), headers={"Accept": "application/octet-stream"})
    body = assert_error(r, 409, "blocked")
    assert body["report"]["files"][0]["verdict"] == "block"


def test_bad_uploads_get_4xx_json(server, docs):
    assert_error(httpx.post(server.url + "/v1/check", files={"document": ("a.txt", b"x")}, headers=AUTH),
                 422, "invalid_request")
    assert_error(httpx.post(server.url + "/v1/check", content=b"hello", headers={**AUTH, "Content-Type": "text/plain"}),
                 422, "invalid_request")
    two = [("file", ("a.txt", b"one")), ("file", ("b.txt", b"two"))]
    assert_error(httpx.post(server.url + "/v1/check", files=two, headers=AUTH), 422, "invalid_request")
    assert_error(httpx.post(server.url + "/v1/check", data={"file": "not a file"}, headers=AUTH), 422,
                 "invalid_request")
    assert_error(httpx.post(server.url + "/v1/check", content=b"xx", headers={**AUTH, "Content-Type": "multipart/form-data"}),
                 400, "bad_request")
    assert_error(post(server, "/v1/check", "photo.gif", b"GIF89a"), 415, "unsupported_type")  # .jpg is read now
    assert_error(post(server, "/v1/check", "noext", b"abc"), 415, "unsupported_type")
    body = assert_error(post(server, "/v1/check", "empty.txt", b""), 422, "unreadable")
    assert body["report"]["files"][0]["verdict"] == "error" and "empty" in body["error"]["message"]
    assert str(server.tmpdir) not in json.dumps(body)  # no server path in errors
    assert_error(post(server, "/v1/check", "binary.txt", b"\x00\x01\x02" * 100), 422, "unreadable")
    r = post(server, "/v1/check", "../../etc/passwd.txt", "今天开会。".encode())
    assert r.status_code == 200 and r.json()["files"][0]["path"] == "passwd.txt"
    assert_error(httpx.get(server.url + "/v1/nothing", headers=AUTH), 404, "not_found")
    assert_error(httpx.get(server.url + "/v1/check", headers=AUTH), 405, "method_not_allowed")


def test_garbage_documents_never_500(server):
    import random

    rng = random.Random(4)
    for suffix in (".pdf", ".docx", ".txt", ".md"):
        for n in (1, 50, 3000):
            blob = bytes(rng.getrandbits(8) for _ in range(n))
            if suffix == ".pdf":
                blob = b"%PDF-1.7\n" + blob
            if suffix == ".docx":
                blob = b"PK\x03\x04" + blob
            for route in ("/v1/check", "/v1/redact"):
                r = post(server, route, "x" + suffix, blob)
                assert r.status_code < 500, (suffix, n, route, r.text)
                assert r.headers["content-type"].startswith("application/json")


def test_upload_size_limit(server):
    big = b"a" * (1024 * 1024 + 200_000)
    assert_error(post(server, "/v1/check", "big.txt", big), 413, "too_large")

    def chunks():  # no Content-Length: the limit is enforced while streaming
        boundary = b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n"
        yield boundary
        for _ in range(40):
            yield b"b" * 65536
        yield b"\r\n--xyz--\r\n"

    r = httpx.post(server.url + "/v1/check", content=chunks(),
                   headers={**AUTH, "Content-Type": "multipart/form-data; boundary=xyz"}, timeout=60)
    assert_error(r, 413, "too_large")
    ok = post(server, "/v1/check", "fits.txt", "工作会议。".encode() * 1000)
    assert ok.status_code == 200


def test_concurrent_requests(server, docs):
    results: dict[int, httpx.Response] = {}
    payloads = [(docs["personal"].name, docs["personal"].read_bytes(), "redact"),
                (docs["classified"].name, docs["classified"].read_bytes(), "block"),
                (docs["clean"].name, docs["clean"].read_bytes(), "publish")]

    def client(i: int) -> None:
        name, data, _ = payloads[i % 3]
        results[i] = post(server, "/v1/check", name, data)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == 16
    for i, r in results.items():
        assert r.status_code == 200, r.text
        assert r.json()["files"][0]["verdict"] == payloads[i % 3][2]


def test_uploads_are_deleted_after(server, docs):
    post(server, "/v1/redact", "a.txt", docs["personal"].read_bytes())
    deadline = time.monotonic() + 10
    while server.leftovers() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.leftovers() == []


def test_timeout_gives_504_and_still_cleans_up(tmp_path, docs):
    s = Server(tmp_path, "--workers", "0", "--timeout", "0.000001", token=None)
    try:
        r = httpx.post(s.url + "/v1/check", files={"file": ("a.txt", docs["personal"].read_bytes())}, timeout=30)
        assert_error(r, 504, "timeout")
        assert httpx.get(s.url + "/healthz").status_code == 200  # the server is still fine
        deadline = time.monotonic() + 10
        while s.leftovers() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert s.leftovers() == []
    finally:
        s.stop()


def test_stuck_worker_is_replaced(tmp_path):
    # A pathological deny pattern (exponential backtracking) keeps a worker busy for minutes.
    (tmp_path / "redactor.toml").write_text("deny_regex = ['(a|aa)+c']\n", encoding="utf-8")
    s = Server(tmp_path, "--workers", "1", "--timeout", "2", token=None)
    try:
        r = httpx.post(s.url + "/v1/check", files={"file": ("evil.txt", b"a" * 44)}, timeout=30)
        assert_error(r, 504, "timeout")
        # after one more timeout the stuck worker is killed and a fresh one serves requests
        deadline, status = time.monotonic() + 40, None
        while time.monotonic() < deadline:
            time.sleep(0.5)
            r = httpx.post(s.url + "/v1/check", files={"file": ("ok.txt", "今天开会。".encode())}, timeout=30)
            status = r.status_code
            if status == 200:
                break
            assert status in (503, 504), r.text
        assert status == 200
        deadline = time.monotonic() + 10
        while s.leftovers() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert s.leftovers() == []
    finally:
        log = s.stop()
    assert "Traceback" not in log, log[-3000:]


def test_bad_config_stops_serve_with_exit_2(tmp_path):
    (tmp_path / "redactor.toml").write_text("threshold = 7\n", encoding="utf-8")
    r = subprocess.run([*REDACTOR, "serve", "--port", str(free_port())], cwd=tmp_path, capture_output=True,
                       text=True, timeout=60, env=env())
    assert r.returncode == 2 and "key 'threshold'" in r.stderr


# --- a corpus of bad inputs (tests/bad_inputs.py) -------------------------------------------
def _tree_rss_mb(pid: int) -> float:
    """Summed resident memory of a process and all its descendants (server, forkserver, workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    children.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total / 1048576


class Healthz:
    """Polls /healthz every 0.2 s in a thread while a test runs: every answer must be 200."""

    def __init__(self, url: str) -> None:
        self.url, self.answers, self._stop = url, [], threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            t = time.perf_counter()
            try:
                status = httpx.get(self.url + "/healthz", timeout=5).status_code
            except httpx.HTTPError as e:
                status = type(e).__name__
            self.answers.append((status, time.perf_counter() - t))
            self._stop.wait(0.2)

    def stop(self) -> list:
        self._stop.set()
        self._t.join()
        return self.answers


# The pipeline's own bounds (chunked text, streamed XML parts: issue 10) decide how fast these
# are; the service's part is to stay up and answer each in a documented way (test below).
HEAVY = {"zip-bomb.docx", "paragraph-bomb.docx", "big.txt"}


def test_bad_input_corpus_gets_no_5xx_healthz_answers_and_memory_comes_back(tmp_path):
    from bad_inputs import corpus

    s = Server(tmp_path, "--workers", "2", "--max-upload-mb", "4", "--timeout", "60", "--recycle-mb", "150",
               token=None)
    statuses: dict[str, int] = {}
    try:
        start_mb = _tree_rss_mb(s.proc.pid)
        health = Healthz(s.url)
        cases = [(n, d) for n, d in corpus() if n not in HEAVY]
        cases.append(("too-big.txt", b"x" * (5 << 20)))  # over the upload limit
        for name, data in cases:
            for route in ("/v1/check", "/v1/redact"):
                r = httpx.post(s.url + route, files={"file": (name, data)}, timeout=120)
                statuses[f"{route} {name}"] = r.status_code
                assert r.headers["content-type"].startswith("application/json") or r.status_code == 200, name
                if r.status_code >= 500:
                    assert r.status_code == 503 and r.json()["error"]["code"] == "busy", (name, route, r.text[:500])
                if r.status_code == 422:
                    body = r.json()
                    assert body["error"]["code"] in ("unreadable", "invalid_request"), body
                    assert "13812345678" not in r.text and "13558704405" not in r.text  # no document text
        answers = health.stop()
        time.sleep(1)
        after_mb = _tree_rss_mb(s.proc.pid)
        deadline = time.monotonic() + 10
        while s.leftovers() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert s.leftovers() == []
    finally:
        log = s.stop()
    assert answers and all(st == 200 for st, _ in answers), [a for a in answers if a[0] != 200][:5]
    assert max(t for _, t in answers) < 3, "healthz waited behind the work"
    assert statuses["/v1/check too-big.txt"] == 413 and statuses["/v1/check empty.txt"] == 422
    assert statuses["/v1/check " + "通" * 100 + ".txt"] == 200  # a 300-byte name
    assert after_mb < 500, f"{after_mb:.0f} MB after the run (started at {start_mb:.0f} MB)"
    assert "Traceback" not in log, log[-3000:]


def test_a_file_over_the_worker_memory_cap_fails_alone(tmp_path, docs):
    """A DOCX under every declared limit whose reading needs more than a 64 MB cap: that file
    gets 422 (out of memory), the server and the next request are fine, and the worker's memory
    goes back. (A zip bomb no longer gets this far: the DOCX reader refuses its declared size.)"""
    from bad_inputs import memory_hog, zip_bomb

    s = Server(tmp_path, "--workers", "1", "--worker-memory-mb", "64", "--recycle-mb", "150", "--timeout", "120",
               token=None)
    try:
        health = Healthz(s.url)
        r = httpx.post(s.url + "/v1/check", files={"file": ("bomb.docx", zip_bomb())}, timeout=180)
        body = assert_error(r, 422, "unreadable")
        assert "E200" in body["error"]["message"] and "declares" in body["error"]["message"]
        r = httpx.post(s.url + "/v1/check", files={"file": ("hog.docx", memory_hog())}, timeout=180)
        body = assert_error(r, 422, "unreadable")
        assert "out of memory" in body["error"]["message"] or "E298" in body["error"]["message"]
        ok = httpx.post(s.url + "/v1/check", files={"file": (docs["personal"].name, docs["personal"].read_bytes())},
                        timeout=60)
        assert ok.status_code == 200 and ok.json()["files"][0]["verdict"] == "redact"
        answers = health.stop()
        assert answers and all(st == 200 for st, _ in answers)
        assert _tree_rss_mb(s.proc.pid) < 500
    finally:
        log = s.stop()
    assert "Traceback" not in log, log[-3000:]
