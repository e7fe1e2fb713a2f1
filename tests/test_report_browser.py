"""The report in a real browser: headless Chromium opens the file from disk with the network
cut off, and every chart must render (an SVG with marks) with no console error, no failed
script and no request leaving file://.

Chromium is driven over the DevTools protocol (a small client on `websockets`, which prefect
installs): console messages, exceptions, log entries (CSP violations included) and network
requests arrive as events, and the DOM is read with Runtime.evaluate once the page says every
chart has settled. Chromium is required (Debian: `apt-get install chromium`; set
NEWSWIRE_CHROMIUM to use another binary): without it these tests fail saying so, unless
NEWSWIRE_SKIP_BROWSER_TEST=1 skips them on purpose.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from flows.report import vega_javascript
from tests.test_report_render import empty_report_data, sample_report_data
from transforms.report.html import render_report


def _chromium() -> str | None:
    wanted = os.environ.get("NEWSWIRE_CHROMIUM")
    if wanted:
        return wanted if Path(wanted).exists() else None
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"),
                      shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


CHROMIUM = _chromium()
MISSING = ("headless Chromium not found (/usr/bin/chromium): `apt-get install chromium`, or "
           "set NEWSWIRE_CHROMIUM to a Chromium binary (NEWSWIRE_SKIP_BROWSER_TEST=1 skips "
           "these tests on purpose)")
pytestmark = pytest.mark.skipif(os.environ.get("NEWSWIRE_SKIP_BROWSER_TEST") == "1",
                                reason="NEWSWIRE_SKIP_BROWSER_TEST=1")

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--disable-default-apps", "--disable-extensions", "--mute-audio",
    # Network off: any fetch beyond file:// fails loudly instead of reaching anything.
    "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1",
    "--window-size=1280,2000",
]


class Browser:
    """Chromium with one page, over the DevTools protocol."""

    def __init__(self, binary: str, profile: Path, timeout_s: float = 30.0) -> None:
        from websockets.sync.client import connect

        self.events: list[dict[str, Any]] = []
        self._next_id = 0
        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, errors="replace",
            # Its own process group, so close() can stop the renderer and GPU helpers too:
            # a helper left running writes into the profile while it is being removed.
            start_new_session=True)
        self.stderr: list[str] = []
        endpoint = self._endpoint(timeout_s)
        threading.Thread(target=self._drain, daemon=True).start()
        self.ws = connect(endpoint, max_size=None, open_timeout=timeout_s)
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target,
                                 flatten=True)["sessionId"]
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable", session=True)

    def _endpoint(self, timeout_s: float) -> str:
        assert self.proc.stderr is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                break
            self.stderr.append(line)
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                return found.group(1)
        self.close()
        raise RuntimeError("Chromium did not start its DevTools endpoint:\n"
                           + "".join(self.stderr[-20:]))

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.stderr.append(line)

    def call(self, method: str, *, session: bool = False, timeout_s: float = 30.0,
             **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout_s
        while True:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def pump(self, seconds: float) -> None:
        """Collect the events that arrive within `seconds`."""
        from websockets.exceptions import ConnectionClosed

        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                reply = json.loads(self.ws.recv(timeout=left))
            except TimeoutError:
                return
            except ConnectionClosed:
                return
            if "method" in reply:
                self.events.append(reply)

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", session=True, expression=expression,
                           returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, *, timeout_s: float = 30.0) -> None:
        self.call("Page.navigate", session=True, url=url)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            self.pump(0.2)
            if self.evaluate("document.readyState === 'complete' && document.body !== null"
                             " && document.body.hasAttribute('data-charts')"):
                self.pump(0.3)  # late console messages
                return
        raise TimeoutError(f"the report's charts did not settle within {timeout_s} s")

    def screenshot(self, path: Path, width: int = 1280) -> None:
        height = self.evaluate("document.documentElement.scrollHeight")
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width,
                  height=int(height), deviceScaleFactor=1, mobile=False)
        import base64

        data = self.call("Page.captureScreenshot", session=True, format="png",
                         captureBeyondViewport=True)["data"]
        path.write_bytes(base64.b64decode(data))

    def problems(self) -> list[str]:
        """Console errors and warnings, uncaught exceptions, error log entries."""
        found = []
        for e in self.events:
            method, p = e["method"], e.get("params", {})
            if method == "Runtime.consoleAPICalled" and p.get("type") in (
                    "error", "assert", "warning"):
                args = " ".join(str(a.get("value", a.get("description", "")))
                                for a in p.get("args", []))
                found.append(f"console.{p['type']}: {args}")
            elif method == "Runtime.exceptionThrown":
                details = p.get("exceptionDetails", {})
                found.append("exception: " + str(details.get("exception", {}).get(
                    "description", details.get("text"))))
            elif method == "Log.entryAdded" and p.get("entry", {}).get("level") in (
                    "error", "warning"):
                found.append(f"log {p['entry'].get('source')}: {p['entry'].get('text')}")
        return found

    def requests(self) -> list[str]:
        return [e["params"]["request"]["url"] for e in self.events
                if e["method"] == "Network.requestWillBeSent"]

    def close(self) -> None:
        ws = getattr(self, "ws", None)
        if ws is not None:
            # A clean shutdown flushes the profile and ends every helper process; if it
            # fails, the signals below still stop them.
            with contextlib.suppress(Exception):
                self.call("Browser.close", timeout_s=5.0)
            ws.close()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stop_group()

    def _stop_group(self) -> None:
        """Kills what is left of the process group and waits (bounded) for it to go."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 5.0
        while time.monotonic() < deadline:
            try:
                os.killpg(self.proc.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.05)


CHART_FACTS = """
Array.from(document.querySelectorAll("div.chart[data-spec]")).map(function (el) {
  var svg = el.querySelector("svg"), canvas = el.querySelector("canvas");
  var box = (svg || canvas) ? (svg || canvas).getBoundingClientRect() : {width: 0, height: 0};
  return {
    id: el.id,
    rendered: el.getAttribute("data-rendered"),
    svg: svg !== null, canvas: canvas !== null,
    width: box.width, height: box.height,
    marks: svg ? svg.querySelectorAll("g[class^='mark-'] path, g[class^='mark-'] text,"
                                      + " g[class^='mark-'] rect").length : 0,
    texts: svg ? Array.from(svg.querySelectorAll("text")).map(function (t) {
      return t.textContent; }) : []
  };
})
"""


@pytest.fixture(scope="module")
def vega_js(tmp_path_factory: pytest.TempPathFactory) -> str:
    return vega_javascript(tmp_path_factory.mktemp("vega-cache"))


@pytest.fixture()
def browser() -> Iterator[Browser]:
    if CHROMIUM is None:
        pytest.fail(MISSING)
    with tempfile.TemporaryDirectory(prefix="newswire-chromium-") as profile:
        b = Browser(CHROMIUM, Path(profile))
        try:
            yield b
        finally:
            b.close()


def _assert_offline(browser: Browser) -> None:
    outside = [u for u in browser.requests() if not u.startswith(("file:", "data:", "about:"))]
    assert not outside, f"the report requested {outside}"


def test_every_chart_renders_offline_without_console_errors(
        tmp_path: Path, vega_js: str, browser: Browser) -> None:
    report = tmp_path / "report.html"
    report.write_text(render_report(sample_report_data(), vega_js=vega_js), encoding="utf-8")
    browser.open(report.as_uri())

    charts = browser.evaluate(CHART_FACTS)
    assert [c["id"] for c in charts] == [
        "chart-volume", "chart-people", "chart-organisations", "chart-countries",
        "chart-co-mentions", "chart-speakers", "chart-text-fixes", "chart-requests",
        "chart-feed-health"]
    for chart in charts:
        assert chart["rendered"] == "true", chart["id"]
        assert chart["svg"] or chart["canvas"], chart["id"]
        assert chart["width"] > 50 and chart["height"] > 50, chart
        assert chart["marks"] > 0, chart["id"]
    assert browser.evaluate("document.body.getAttribute('data-charts')") == str(len(charts))
    assert browser.problems() == [], "\n".join(browser.stderr[-20:])
    _assert_offline(browser)

    # The hostile strings in the data were shown as text and ran nothing.
    assert browser.evaluate("typeof window.__pwned") == "undefined"
    assert browser.evaluate("document.querySelectorAll('img, iframe').length") == 0
    people = next(c for c in charts if c["id"] == "chart-people")
    assert '<img src=x onerror="window.__pwned=1">' in people["texts"] or any(
        t.startswith("<img src=x") for t in people["texts"])  # axis labels may truncate
    assert "Mentions" in people["texts"] and "Top people" in people["texts"]


def test_an_empty_report_opens_cleanly(tmp_path: Path, vega_js: str, browser: Browser) -> None:
    report = tmp_path / "empty.html"
    report.write_text(render_report(empty_report_data(), vega_js=vega_js), encoding="utf-8")
    browser.open(report.as_uri())
    assert browser.evaluate("document.body.getAttribute('data-charts')") == "0"
    text = browser.evaluate("document.body.innerText")
    assert text.count("No data in this window.") >= 5
    assert browser.problems() == []
    _assert_offline(browser)


def test_a_failing_chart_is_reported_on_the_console(
        tmp_path: Path, vega_js: str, browser: Browser) -> None:
    """The check above can fail: a spec Vega rejects shows up as a console error."""
    document = render_report(sample_report_data(), vega_js=vega_js)
    broken = document.replace('"mark":{"type":"bar"', '"mark":{"type":"no-such-mark"', 1)
    assert broken != document
    report = tmp_path / "broken.html"
    report.write_text(broken, encoding="utf-8")
    browser.open(report.as_uri())
    states = [c["rendered"] for c in browser.evaluate(CHART_FACTS)]
    assert "error" in states
    assert any("newswire report: chart" in p for p in browser.problems())


LONG_ORG = ("International Organization for the Promotion of Extremely Long Names and Titles "
            "of Everything")
LONG_PERSON = "Abdulrahman bin Hamad bin Jassim bin Jaber Al Thani, Minister of Everything Else"
LONG_COUNTRY = "South Georgia and the South Sandwich Islands and Their Further Territories"


def long_names_report_data():
    """sample_report_data, with names far longer than an axis has room for at the top of the
    people, organisations and countries charts, among the co-mentioned entities, speakers and
    feeds."""
    from dataclasses import replace

    from transforms.report.data import CoMention, CountryCount, EntityCount, FeedHealth, Speaker

    data = sample_report_data()
    org = EntityCount("e20", LONG_ORG, "ORG", 40, 12)
    person = EntityCount("e21", LONG_PERSON, "PERSON", 30, 9)
    speaker = Speaker("e21", LONG_PERSON, "PERSON", 9, 4, data.generated_at, 50,
                      data.speakers[0].samples)
    feed = FeedHealth(f"{LONG_ORG} world service feed", "https://long.example/rss",
                      data.generated_at, None, None, 12, 10, 2, 0, 30, 300, 0)
    return replace(
        data,
        organisations=(org, *data.organisations),
        people=(person, *data.people),
        countries=(CountryCount("GS", LONG_COUNTRY, 60, 20), *data.countries),
        co_entities=(org, person, *data.co_entities),
        co_mentions=(CoMention("e20", "e21", 5), CoMention("e01", "e20", 2),
                     *data.co_mentions),
        speakers=(speaker, *data.speakers),
        feeds=(feed, *data.feeds),
    )


CHART_BOXES = """
Array.from(document.querySelectorAll("div.chart[data-spec]")).map(function (el) {
  var svg = el.querySelector("svg");
  var box = svg.getBoundingClientRect();
  var section = el.closest("section").getBoundingClientRect();
  return {
    id: el.id, left: box.left, right: box.right, top: box.top, bottom: box.bottom,
    width: box.width, section_left: section.left, section_right: section.right,
    section_width: section.width,
    labels: Array.from(svg.querySelectorAll("g[class*='role-axis-label'] text,"
                                            + " g[class*='role-legend-label'] text"))
      .map(function (t) { return t.textContent; })
  };
})
"""


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return (a["left"] < b["right"] and b["left"] < a["right"]
            and a["top"] < b["bottom"] and b["top"] < a["bottom"])


@pytest.mark.parametrize("viewport", [1280, 1000])
def test_charts_stay_in_their_column_whatever_the_names(
        tmp_path: Path, vega_js: str, browser: Browser, viewport: int) -> None:
    """A long organisation name must not make its chart wider than its column: no two charts
    overlap, none is wider than its section; long labels are cut short (the tooltip has them
    in full) and count axes tick in whole numbers."""
    report = tmp_path / "long-names.html"
    report.write_text(render_report(long_names_report_data(), vega_js=vega_js),
                      encoding="utf-8")
    browser.call("Emulation.setDeviceMetricsOverride", session=True, width=viewport,
                 height=2000, deviceScaleFactor=1, mobile=False)
    browser.open(report.as_uri())
    assert all(c["rendered"] == "true" for c in browser.evaluate(CHART_FACTS))
    boxes = browser.evaluate(CHART_BOXES)
    assert len(boxes) == 9
    for box in boxes:
        assert box["width"] <= box["section_width"], box
        assert box["left"] >= box["section_left"] - 0.5, box
        assert box["right"] <= box["section_right"] + 0.5, box
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not _overlap(a, b), (a["id"], b["id"], a, b)
    # The three-column row is still three columns wide at 1280 px.
    row = [b for b in boxes if b["id"] in ("chart-people", "chart-organisations",
                                           "chart-countries")]
    if viewport == 1280:
        assert len({round(b["top"]) for b in row}) == 1, row
    labels = [t for b in boxes for t in b["labels"]]
    assert LONG_ORG not in labels and any(t.startswith("International Org") for t in labels)
    numbers = [t for t in labels if re.fullmatch(r"[\d,.]+", t)]
    assert numbers and not [t for t in numbers if "." in t], numbers
    assert browser.problems() == []
