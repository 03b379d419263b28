"""srcscore works offline: no socket is opened, no cache file is written."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ARTICLE = (
    "Officials confirmed the bridge will reopen in May [1]. Traffic fell [1][2].\n\n"
    "References:\n[1] https://apnews.com/article/x\n[2] https://foo.substack.com/p/y\n"
)


def test_sockets_are_really_blocked_in_tests() -> None:
    # pytest-socket's --disable-socket is in addopts: any socket must fail.
    import pytest_socket

    # (pytest-socket also warns; the suite turns warnings into errors, so record it)
    blocked = pytest_socket.SocketBlockedError
    with pytest.warns(UserWarning, match="socket"), pytest.raises(blocked):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.warns(UserWarning, match="socket"), pytest.raises(blocked):
        socket.create_connection(("127.0.0.1", 9))


def test_score_text_works_with_sockets_blocked() -> None:
    import srcscore

    report = srcscore.score_text(ARTICLE)
    assert len(report.claims) == 2
    assert report.references[0].source == "apnews.com"
    assert report.references[1].source == "foo.substack.com"
    assert srcscore.source_of("https://news.bbc.co.uk/x").domain == "bbc.co.uk"


GUARD = textwrap.dedent(
    """
    import socket, sys

    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            refuse()

    socket.socket = NoSocket
    socket.create_connection = refuse
    socket.getaddrinfo = refuse
    socket.gethostbyname = refuse

    import srcscore

    report = srcscore.score_text(sys.argv[1])
    assert [r.source for r in report.references] == ["apnews.com", "foo.substack.com"], report
    for url in ["https://news.bbc.co.uk/x", "https://a.b.example.co.jp/", "https://x.com/nasa"]:
        srcscore.source_of(url)
    print("ok")
    """
)


def fresh_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TLDEXTRACT", "XDG_", "HTTP_PROXY", "HTTPS_PROXY"))
    }
    env.update(
        HOME=str(home),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def test_fresh_interpreter_needs_no_network_and_writes_no_cache(tmp_path: Path) -> None:
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    proc = subprocess.run(
        [sys.executable, "-c", GUARD, ARTICLE],
        cwd=work,
        env=fresh_env(home),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.decode().strip() == "ok"
    # tldextract must use its bundled snapshot without writing a cache anywhere
    assert list(home.rglob("*")) == []
    assert list(work.rglob("*")) == []


def test_the_guard_would_catch_network_use(tmp_path: Path) -> None:
    # The subprocess guard above is real: opening a connection under it fails.
    script = GUARD.split("import srcscore")[0] + "socket.create_connection(('127.0.0.1', 9))\n"
    proc = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=fresh_env(tmp_path),
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode != 0
    assert b"network access attempted" in proc.stderr
