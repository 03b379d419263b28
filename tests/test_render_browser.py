"""The HTML report in a real browser: headless Chromium loads it from a file.

A probe script, allowed by adding its hash to the page's Content-Security-Policy,
measures the rendered page (which claims and references are visible, whether the
page's own script ran, what a click or a key press does) and writes the result
into the DOM, which ``chromium --dump-dom`` prints. Skipped without Chromium
(``apt-get install chromium``). Run this file as a script to remake the
screenshot of the docs::

    python tests/test_render_browser.py docs/_static/report-screenshot.png
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import srcscore
from srcscore._render import BANDS, render_html

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = ROOT / "examples" / "battery-plant-article.txt"
CHROMIUM = Path(os.environ.get("SRCSCORE_CHROMIUM", "/usr/bin/chromium"))
PHONE = (412, 915)

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (apt-get install chromium)"
)

PROBE = """
(function () {
  function visible(el) {
    var box = el.getBoundingClientRect(), style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden"
      && style.display !== "none" && parseFloat(style.opacity) > 0;
  }
  function claims() {
    return Array.prototype.map.call(document.querySelectorAll("mark.claim"), function (el) {
      var panel = document.getElementById(el.getAttribute("aria-controls"));
      return {
        id: el.id, band: el.getAttribute("data-band"), text: el.textContent,
        visible: visible(el), background: getComputedStyle(el).backgroundColor,
        focusable: el.tabIndex === 0, expanded: el.getAttribute("aria-expanded"),
        panelVisible: panel ? visible(panel) : null
      };
    });
  }
  // Headless windows are at least 500 px wide: narrower layouts are had by narrowing the body.
  var width = Math.min(WIDTH, window.innerWidth);
  if (width < window.innerWidth) { document.body.style.width = width + "px"; }
  var right = 0;
  Array.prototype.forEach.call(document.querySelectorAll("body *"), function (el) {
    if (visible(el) && el.tagName !== "PRE") {
      right = Math.max(right, el.getBoundingClientRect().right);
    }
  });
  var result = {
    scripted: document.documentElement.className,
    width: width,
    right: right,
    scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    before: claims(),
    references: Array.prototype.map.call(document.querySelectorAll("tr.ref"), function (el) {
      return {text: el.textContent, visible: visible(el)};
    }),
    items: Array.prototype.map.call(document.querySelectorAll("details.claim-item summary"),
      function (el) { return visible(el); })
  };
  var marks = document.querySelectorAll("mark.claim");
  function key(el, name) {
    el.focus();
    el.dispatchEvent(new KeyboardEvent("keydown", {key: name, bubbles: true, cancelable: true}));
  }
  marks[0].click();            // opens claim 1
  key(marks[1], "Enter");      // opens claim 2
  key(marks[2], " ");          // opens claim 3
  key(marks[2], "Escape");     // ... and closes it again
  marks[3].click(); marks[3].click();  // a second click closes claim 4
  result.after = claims();
  var pre = document.createElement("pre");
  pre.id = "probe";
  pre.textContent = JSON.stringify(result);
  document.body.appendChild(pre);
})();
"""


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


def with_probe(page: str, script: str = PROBE) -> str:
    """The page with ``script`` run after its own, and allowed by its policy."""
    assert page.count("script-src ") == 1
    page = page.replace("script-src ", f"script-src {_csp_hash(script)} ")
    return page.replace("</body>", f"<script>{script}</script>\n</body>")


def chromium(
    url: str, profile: Path, *extra: str, size: tuple[int, int] = PHONE, timeout: float = 90
) -> str:
    """Run headless Chromium on ``url``; return its standard output."""
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={profile}",
        f"--window-size={size[0]},{size[1]}",
        *extra,
        url,
    ]
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        text=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    assert proc.returncode == 0, f"chromium failed ({proc.returncode}): {err[-2000:]}"
    return out


def dump_dom(page: str, tmp_path: Path, size: tuple[int, int] = PHONE) -> str:
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    return chromium(
        path.as_uri(),
        tmp_path / "profile",
        "--dump-dom",
        "--run-all-compositor-stages-before-draw",
        "--virtual-time-budget=2000",
        size=size,
    )


def probe(page: str, tmp_path: Path, size: tuple[int, int] = PHONE) -> dict[str, Any]:
    script = PROBE.replace("WIDTH", str(size[0]))
    dom = dump_dom(with_probe(page, script), tmp_path, size)
    match = re.search(r'<pre id="probe">(.*?)</pre>', dom, re.S)
    assert match, "the probe did not run:\n" + dom[-2000:]
    result: dict[str, Any] = json.loads(html.unescape(match.group(1)))
    return result


def squash(s: str) -> str:
    return " ".join(s.split())


def rgb(colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@pytest.fixture(scope="module")
def article() -> tuple[srcscore.Report, str]:
    text = ARTICLE.read_text(encoding="utf-8")
    return srcscore.score_text(text, id=ARTICLE.name), text


@needs_chromium
@pytest.mark.parametrize("size", [PHONE, (1280, 900)], ids=["phone", "desktop"])
def test_every_claim_and_reference_is_visible(
    article: tuple[srcscore.Report, str], tmp_path: Path, size: tuple[int, int]
) -> None:
    report, text = article
    result = probe(render_html(report, text), tmp_path, size)
    assert result["scripted"] == "js", "the page's own script must run under its policy"
    assert result["width"] == size[0]
    assert result["right"] <= result["width"], "nothing sticks out sideways"
    assert result["scrollWidth"] <= result["viewport"], "no sideways scrolling"

    claims = result["before"]
    assert len(claims) == len(report.claims) == 11
    colours = {band.name: rgb(band.background) for band in BANDS}
    for shown, claim in zip(claims, report.claims, strict=True):
        assert shown["visible"], shown["id"]
        assert shown["focusable"]
        assert claim.span is not None
        assert squash(text[claim.span[0] : claim.span[1]]) in squash(shown["text"])
        assert shown["band"] in shown["text"]  # the band's word, not just its colour
        assert shown["background"] == colours[shown["band"]], "the stylesheet applies"
        assert shown["panelVisible"] is False and shown["expanded"] == "false"

    refs = result["references"]
    assert len(refs) == len(report.references) == 7
    for shown, ref in zip(refs, report.references, strict=True):
        assert shown["visible"]
        assert f"[{ref.id}]" in shown["text"]
        assert ref.source is not None and ref.source in shown["text"]
    assert result["items"] == [True] * len(report.claims)


@needs_chromium
def test_click_and_keys_open_and_close_explanations(
    article: tuple[srcscore.Report, str], tmp_path: Path
) -> None:
    report, text = article
    after = probe(render_html(report, text), tmp_path)["after"]
    opened = [(c["expanded"], c["panelVisible"]) for c in after[:5]]
    assert opened == [
        ("true", True),  # click
        ("true", True),  # Enter
        ("false", False),  # Space, then Escape
        ("false", False),  # click, click
        ("false", False),  # untouched
    ]


@needs_chromium
def test_claims_without_text_are_visible_paragraphs(tmp_path: Path) -> None:
    report = srcscore.score_text(ARTICLE.read_text(encoding="utf-8"))
    result = probe(render_html(report), tmp_path)
    shown = result["before"]
    assert len(shown) == len(report.claims) == 11
    for mark, claim in zip(shown, report.claims, strict=True):
        assert mark["visible"]
        assert squash(mark["text"]).startswith(squash(claim.text))
    assert result["right"] <= result["width"]


@needs_chromium
def test_injected_markup_stays_text_and_stray_scripts_are_blocked(tmp_path: Path) -> None:
    evil = '<script>document.title="pwned"</script><img src=x onerror="document.title=1">'
    text = f"A claim with {evil} inside [1].\n\nReferences:\n[1] https://apnews.com/article/x\n"
    report = srcscore.score_text(text)
    page = render_html(report, text, title="Safe title")
    # a script smuggled into the page (which escaping prevents) would not run either
    page = page.replace("</main>", '<script>document.title="pwned"</script></main>')
    dom = dump_dom(page, tmp_path)
    title = re.search(r"<title>(.*?)</title>", dom, re.S)
    assert title and title.group(1) == "Safe title – srcscore"
    assert "<img" not in dom
    assert "&lt;script&gt;document.title" in dom


@needs_chromium
def test_screenshot_on_a_phone(article: tuple[srcscore.Report, str], tmp_path: Path) -> None:
    report, text = article
    shot = screenshot(render_html(report, text), tmp_path, tmp_path / "report.png")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == PHONE
    assert len(data) > 20_000, "the page is not blank"


def screenshot(
    page: str, tmp_path: Path, out: Path, size: tuple[int, int] = PHONE, scale: int = 1
) -> Path:
    path = tmp_path / "report.html"
    path.write_text(page, encoding="utf-8")
    chromium(
        path.as_uri(),
        tmp_path / "profile",
        f"--screenshot={out}",
        f"--force-device-scale-factor={scale}",
        "--virtual-time-budget=2000",
        size=size,
    )
    assert out.exists()
    return out


def main(argv: list[str]) -> int:
    """Remake the screenshot of the docs: ``python tests/test_render_browser.py OUT.png``."""
    import tempfile

    out = Path(argv[0] if argv else ROOT / "docs" / "_static" / "report-screenshot.png")
    text = ARTICLE.read_text(encoding="utf-8")
    report = srcscore.score_text(text, id=ARTICLE.name)
    page = render_html(report, text, title="Battery plants in Europe")
    # open one explanation, as a tap would
    opener = 'document.getElementById("claim-3").click();'
    with tempfile.TemporaryDirectory() as tmp:
        screenshot(with_probe(page, opener), Path(tmp), out.resolve(), (412, 1000), scale=2)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
