"""The HTML report in a real headless Chromium (Debian packages chromium + chromium-driver).

The browser is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``,
stdlib only): load the report, click the "block" verdict card with a real mouse event, choose
a kind, sort a column, and take screenshots whose pixels are checked (badge colours).
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from pathlib import Path

import pytest

from redactor.report.html import render_html, write_html
from redactor.reporting import FileReport, FindingRecord, RunReport
from redactor.synth import Synth

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")

# Badge colours from the report's CSS (--publish, --redact, --block, --error).
PUBLISH_RGB, REDACT_RGB, BLOCK_RGB = (0x2E, 0x7D, 0x32), (0xF9, 0xA8, 0x25), (0xD3, 0x2F, 0x2F)


# --- a tiny DevTools client on a pipe ----------------------------------------------------------
class Browser:
    def __init__(self, binary: str, profile: str) -> None:
        r3, w3 = os.pipe()  # we write, Chromium reads on fd 3
        r4, w4 = os.pipe()  # Chromium writes on fd 4, we read
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                f"--user-data-dir={profile}", "--remote-debugging-pipe", "--hide-scrollbars",
                "--window-size=1280,900", "--force-device-scale-factor=1", "about:blank"]

        def child() -> None:
            os.dup2(r3, 3)
            os.dup2(w4, 4)

        self.proc = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=child,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(r3)
        os.close(w4)
        self.w, self.r = w3, r4
        self.buf = b""
        self.next_id = 0
        self.session: str | None = None

    def send(self, method: str, params: dict | None = None, timeout: float = 30.0) -> dict:
        self.next_id += 1
        msg: dict = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith(("Target.", "Browser.")):
            msg["sessionId"] = self.session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" not in self.buf:
                if time.monotonic() > deadline:
                    raise TimeoutError(method)
                chunk = os.read(self.r, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the pipe")
                self.buf += chunk
            raw, self.buf = self.buf.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def open(self, url: str) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1,
                                                          "mobile": False})
        self.send("Page.enable")
        self.send("Page.navigate", {"url": url})
        for _ in range(200):
            if self.js("document.readyState === 'complete' && document.body.getAttribute('data-ready')") == "1":
                return
            time.sleep(0.05)
        raise TimeoutError("the report did not finish loading")

    def js(self, expression: str):
        res = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in res:
            raise RuntimeError(res["exceptionDetails"])
        return res["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click at the element's centre (not element.click())."""
        box = self.js(f"(function(){{var e=document.querySelector({json.dumps(selector)});e.scrollIntoView();"
                      f"var r=e.getBoundingClientRect();return [r.x+r.width/2,r.y+r.height/2];}})()")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left",
                                                   "clickCount": 1})

    def screenshot(self, top: int = 0, height: int = 900, scale: float = 1.0) -> bytes:
        """PNG of the viewport from ``top`` down (``scale`` < 1 keeps the pixel checks fast)."""
        self.js("window.scrollTo(0,0)")
        clip = {"x": 0, "y": top, "width": 1280, "height": height, "scale": scale}
        return base64.b64decode(self.send("Page.captureScreenshot", {"format": "png", "clip": clip})["data"])

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        os.close(self.w)
        os.close(self.r)


def decode_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB bytes) for the 8-bit RGB/RGBA non-interlaced PNGs Chromium writes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if ctype == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0
            bpp = 3 if colour == 2 else 4
        elif ctype == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if bpp == 3 else bytes(v for j, v in enumerate(line) if j % 4 != 3))
        prev = line
    return width, height, rows


def count_colour(png: bytes, rgb: tuple[int, int, int], tol: int = 12) -> int:
    width, height, rows = decode_png(png)
    n = 0
    for y in range(height):
        row = rows[y]
        for x in range(0, width * 3, 3):
            if abs(row[x] - rgb[0]) <= tol and abs(row[x + 1] - rgb[1]) <= tol and abs(row[x + 2] - rgb[2]) <= tol:
                n += 1
    return n


# --- the report under test ---------------------------------------------------------------------
def rec(kind: str, verdict: str, preview: str, rule: str, **loc) -> FindingRecord:
    cat = {"classified_mark": "confidential", "internal_mark": "confidential"}.get(kind, "personal")
    return FindingRecord(kind=kind, category=cat, score=0.9, rule=rule, explanation=f"{kind} found",
                         location={"segment": 0, "start": 0, "end": 4, **loc}, preview=preview,
                         action="keep" if verdict == "block" else "mask", verdict=verdict)


def sample_run() -> tuple[RunReport, list[str]]:
    s = Synth.seeded(5)
    raw = [s.id18(), s.mobile()]
    files = [
        FileReport(path="公开/工作动态.txt", verdict="publish", format="text"),
        FileReport(path="公开/会议纪要.txt", verdict="publish", format="text"),
        FileReport(path="申请/补贴名单.docx", verdict="redact", format="docx",
                   findings=[rec("id_card", "redact", raw[0][:6] + "********" + raw[0][-4:], "id_card.gb11643_18",
                                 page=1, table=1, row=3, col=4),
                             rec("mobile", "redact", raw[1][:3] + "****" + raw[1][-4:], "mobile.cn", paragraph=8)],
                   reasons=["to redact: 1 id_card, 1 mobile"]),
        FileReport(path="内部/通知.pdf", verdict="block", format="pdf",
                   findings=[rec("classified_mark", "block", "机密★5年", "classified.mark_line", page=1, line=1)],
                   reasons=["classified_mark '机密★5年' (page 1, line 1): classification mark"]),
        FileReport(path="内部/简报.txt", verdict="block", format="text",
                   findings=[rec("internal_mark", "block", "内部资料", "internal.mark_line", line=1),
                             rec("mobile", "redact", "139****0000", "mobile.cn", line=3)],
                   reasons=["internal_mark '内部资料' (line 1): internal mark"]),
        FileReport(path="坏/损坏.pdf", verdict="error", error="[E200] 坏/损坏.pdf: not a PDF",
                   reasons=["[E200] 坏/损坏.pdf: not a PDF"]),
    ]
    return RunReport(files=files), raw


@pytest.mark.parametrize("loc, shown", [
    ({"segment": 0, "origin": "body", "line": 2, "column": 6, "start": 5, "end": 16}, "line 2:6"),
    # report locations count from 1 (reporting.location_of converts the adapters' indices)
    ({"segment": 4, "origin": "table", "page": 2, "table": 1, "row": 4, "col": 2}, "page 2 · table 1, row 4, col 2"),
    ({"part": "word/document.xml", "paragraph": 12, "origin": "body"}, "paragraph 12"),
    ({"part": "word/footer2.xml", "paragraph": 1, "origin": "footer"}, "footer2 · paragraph 1 · (footer)"),
    ({"property": "author", "origin": "metadata"}, "property author · (metadata)"),
    ({"page": 3, "annotation": 1, "subtype": "Text", "origin": "comment"}, "page 3 · annotation 1 (Text) · (comment)"),
    ({"page": 1, "table": 1, "row": 2, "col": 3, "column_header": "身份证号码"}, "page 1 · table 1, row 2, col 3 · [身份证号码]"),
    ({"segment": 7}, "segment 7"),
])
def test_locations_read_by_a_person(loc, shown):
    from redactor.report import format_location

    assert format_location(loc) == shown


def test_static_report_content():
    run, raw = sample_run()
    html = render_html(run)
    for value in raw:
        assert value not in html  # previews only
    assert "page 1 · table 1, row 3, col 4" in html and "paragraph 8" in html and "line 1" in html
    assert "<script src" not in html and "<link" not in html and "http://" not in html.replace(
        "http-equiv", "")
    assert "default-src 'none'" in html  # CSP: the page may load nothing from anywhere
    hostile = RunReport(files=[FileReport(path='<img src=x onerror=alert(1)>.txt', verdict="redact",
                                          reasons=['"><script>alert(2)</script>'])])
    h = render_html(hostile)
    assert "<img src=x" not in h and "<script>alert" not in h and "&lt;img src=x" in h


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium chromium-driver)")
    profile = tempfile.mkdtemp(prefix="redactor-chromium-")
    b = Browser(CHROMIUM, profile)
    yield b
    b.close()
    shutil.rmtree(profile, ignore_errors=True)


def visible_paths(b: Browser) -> list[str]:
    return b.js("Array.from(document.querySelectorAll('tbody.file')).filter(t => t.offsetParent !== null)"
                ".map(t => t.getAttribute('data-path'))")


def test_filter_sort_and_screenshots_in_chromium(browser, tmp_path):
    run, _ = sample_run()
    report = tmp_path / "report.html"
    write_html(run, report)
    browser.open(report.as_uri())
    assert browser.js("document.getElementById('shown').textContent") == "6 of 6 files shown"
    table_top = int(browser.js("document.getElementById('files').getBoundingClientRect().top"))
    full = browser.screenshot()  # the whole page once, kept for a person to look at
    (tmp_path / "page.png").write_bytes(full)
    assert struct.unpack(">II", full[16:24]) == (1280, 900)  # IHDR width, height
    before = browser.screenshot(table_top, 600, 0.5)  # the file table only
    assert count_colour(before, PUBLISH_RGB) > 50   # green publish badges
    assert count_colour(before, BLOCK_RGB) > 50     # red block badges

    browser.click("#card-block")  # a real click on the "block" verdict card
    assert visible_paths(browser) == ["内部/通知.pdf", "内部/简报.txt"]
    assert browser.js("location.hash") == "#verdict=block"
    assert browser.js("document.getElementById('f-verdict').value") == "block"
    after = browser.screenshot(table_top, 600, 0.5)
    (tmp_path / "after.png").write_bytes(after)
    assert count_colour(after, BLOCK_RGB) > 50
    assert count_colour(after, PUBLISH_RGB) == 0     # no publish row is painted any more
    assert after != before

    # kind filter on top: only files with a mobile finding, and only mobile rows inside them
    browser.js("var k=document.getElementById('f-kind');k.value='mobile';k.dispatchEvent(new Event('change'))")
    assert visible_paths(browser) == ["内部/简报.txt"]
    rows = browser.js("Array.from(document.querySelectorAll('tr.finding')).filter(r => r.offsetParent !== null)"
                      ".map(r => r.getAttribute('data-kind'))")
    assert rows == ["mobile"]

    browser.click("#card-block")  # clicking the pressed card again clears the verdict filter
    browser.js("var k=document.getElementById('f-kind');k.value='';k.dispatchEvent(new Event('change'))")
    assert len(visible_paths(browser)) == 6

    # sort by verdict (descending on the second click), then by findings count
    browser.click("th[data-key=rank]")
    browser.click("th[data-key=rank]")
    order = browser.js("Array.from(document.querySelectorAll('tbody.file')).map(t => t.getAttribute('data-verdict'))")
    assert order == ["error", "block", "block", "redact", "publish", "publish"]
    browser.click("th[data-key=count]")
    counts = browser.js("Array.from(document.querySelectorAll('tbody.file')).map(t => +t.getAttribute('data-count'))")
    assert counts == sorted(counts)
    assert browser.js("document.querySelector('th[data-key=count]').getAttribute('aria-sort')") == "ascending"

    # a bookmarked filter (URL fragment) is applied on load
    browser.open(report.as_uri() + "#verdict=redact")
    assert visible_paths(browser) == ["申请/补贴名单.docx"]
    shot = browser.screenshot(table_top, 600, 0.5)
    assert count_colour(shot, REDACT_RGB) > 30 and count_colour(shot, PUBLISH_RGB) == 0


def test_real_pipeline_report_in_chromium(browser, tmp_path):
    from clerk_fixtures import add_samples, make_folder
    from redactor.engine import run_batch
    from redactor.policy import Policy
    from redactor.reporting import RunReport

    files = make_folder(tmp_path / "docs")
    office = add_samples(tmp_path / "docs" / "office")
    run = RunReport(files=list(run_batch([str(tmp_path / "docs")], Policy(names=False), ordered=True)))
    report = tmp_path / "r.html"
    write_html(run, report)
    browser.open(report.as_uri())
    text = browser.js("document.body.innerText")
    for line in files["personal"].read_text(encoding="utf-8").splitlines():
        assert line.split("：")[1] not in text
    assert "line 2:6" in text and "id_card.gb11643_18" in text
    if office:  # the sample .docx/.pdf: findings located by page and table cell
        assert "table 1, row 2, col 3" in text and "page 1" in text
    browser.js("var v=document.getElementById('f-verdict');v.value='error';v.dispatchEvent(new Event('change'))")
    assert [Path(p).name for p in visible_paths(browser)] == ["empty.txt"]
