"""Scoring with fetch=True: cited pages fetched from a loopback server the test starts."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

import srcscore
from srcscore._cli import main

ARTICLE = (
    "<html><head><title>Bridge</title></head><body><nav><a href='/'>Home</a></nav><article>"
    "<p>The Elm Street bridge will reopen in May, "
    "<a href='https://apnews.com/article/bridge'>officials said</a>. "
    "Repairs cost 12 million dollars, according to "
    "<a href='/supports'>our earlier report</a>.</p></article>"
    "<footer><a href='https://twitter.com/example'>Follow us</a></footer></body></html>"
)
PAGES = {
    "/article.html": ARTICLE,
    "/supports": "<html><head><title>Bridge news</title></head><body><nav>Home | World</nav>"
    "<article><p>Officials confirmed on Monday that the Elm Street bridge will reopen in May "
    "after repairs costing 12 million dollars.</p></article>"
    "<footer>(c) Example</footer></body></html>",
    "/unrelated": "<html><body><article><p>The city zoo welcomed two red pandas this spring, "
    "and visitor numbers rose sharply.</p></article></body></html>",
}


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGES.get(self.path)
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _doc(base: str) -> dict[str, object]:
    return {
        "references": [
            {"id": 1, "url": f"{base}/supports"},
            {"id": 2, "url": f"{base}/unrelated"},
            {"id": 3, "url": f"{base}/missing"},
        ],
        "claims": [
            {"text": "The Elm Street bridge will reopen in May after repairs.", "references": [1]},
            {"text": "The Elm Street bridge will reopen in May after repairs.", "references": [2]},
            {"text": "The Elm Street bridge will reopen in May after repairs.", "references": [3]},
        ],
    }


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_fetched_text_sets_support_and_moves_the_score(server: str, tmp_path: Path) -> None:
    options = srcscore.FetchOptions(allow_private_addresses=True, cache_dir=str(tmp_path))
    report = srcscore.score_document(_doc(server), fetch=True, fetch_options=options)
    supported, unrelated, missing = report.claims
    assert supported.support is not None and unrelated.support is not None
    assert supported.support > unrelated.support
    assert supported.score > unrelated.score
    assert missing.support is None
    refs = {r.id: r for r in report.references}
    assert refs[1].fetch is not None and refs[1].fetch["status"] == 200 and refs[1].error is None
    assert refs[1].title == "Bridge news"
    assert refs[3].error == "not fetched: HTTP 404 (gone)"
    assert report.stats["fetched"] == 2 and report.stats["fetch_errors"] == 1
    # A second run is served from the cache.
    again = srcscore.score_document(_doc(server), fetch=True, fetch_options=options)
    assert {r.id: r.fetch["from_cache"] for r in again.references if r.fetch} == {
        1: True,
        2: True,
        3: False,
    }
    assert [c.score for c in again.claims] == [c.score for c in report.claims]


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_private_addresses_are_refused_by_default(server: str, tmp_path: Path) -> None:
    options = srcscore.FetchOptions(cache_dir=str(tmp_path))
    report = srcscore.score_document(_doc(server), fetch=True, fetch_options=options)
    assert all(r.error and r.error.startswith("not fetched: refused") for r in report.references)
    assert all(c.support is None for c in report.claims)  # scored on priors alone
    assert len(report.claims) == 3


def test_no_fetch_no_network_and_no_fetch_field() -> None:
    report = srcscore.score_document(_doc("http://127.0.0.1:9"))
    assert all(r.fetch is None for r in report.references)
    assert "fetched" not in report.stats


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_cli_fetch_flags(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(_doc(server)))
    assert main(["score", str(path), "--fetch", "--allow-private-addresses", "--no-cache"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["claims"][0]["support"] is not None
    assert not (tmp_path / "srcscore").exists()  # --no-cache wrote nothing
    with pytest.raises(SystemExit) as info:
        main(["score", str(path), "--no-cache"])
    assert info.value.code == 2
    assert "go with --fetch" in capsys.readouterr().err


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_score_a_page_by_its_url(
    server: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    url = f"{server}/article.html"
    assert main(["score", url, "--allow-private-addresses", "--fetch", "--no-cache"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["id"] == url
    texts = [c["text"] for c in report["claims"]]
    assert any("bridge will reopen in May" in t for t in texts)
    urls = {r["url"] for r in report["references"]}
    assert "https://apnews.com/article/bridge" in urls
    assert not any("twitter.com" in u for u in urls)  # the footer is not the article
    # The link to the page's own site is a self-citation: it counts for nothing.
    own = [c for c in report["claims"] if "12 million" in c["text"]]
    assert own and own[0]["score"] == 0.0


def test_scoring_a_url_needs_fetch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["score", "https://example.com/article"])
    assert info.value.code == 2
    assert "add --fetch" in capsys.readouterr().err
