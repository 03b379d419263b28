"""Fetch throughput against loopback servers, side by side with a sequential loop.

Starts one small HTTP server on each of several loopback addresses
(127.0.0.2, 127.0.0.3, ...), each answering every page after a fixed delay
(50 ms by default, a slow-ish web server), and fetches the same URLs:

- with ``srcscore.fetch_all`` (default limits: 16 requests in flight, 2 per
  host; ``allow_private_addresses=True``, since these are loopback hosts);
- with a plain sequential ``httpx.Client`` loop (the baseline).

It reports wall time and pages/s for both and their ratio, the most requests
any one host saw at once (the per-host limit must hold), and the number of
requests a second, cached run makes (must be zero). Nothing leaves the
machine. Usage: ``python benchmarks/bench_fetch.py [--hosts 8] [--pages 30] [--delay 0.05]``.
"""

from __future__ import annotations

import argparse
import http.server
import tempfile
import threading
import time
from collections import defaultdict

import httpx

import srcscore

PAGE = (
    "<html><head><title>Page {n}</title></head><body><nav>Home</nav><article><p>"
    "Story number {n}: the council approved the budget on Tuesday.</p></article></body></html>"
)


class _Counter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now: dict[str, int] = defaultdict(int)
        self.peak: dict[str, int] = defaultdict(int)
        self.total = 0


def _server(host: str, delay: float, counter: _Counter) -> http.server.ThreadingHTTPServer:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            with counter.lock:
                counter.now[host] += 1
                counter.total += 1
                counter.peak[host] = max(counter.peak[host], counter.now[host])
            try:
                time.sleep(delay)
                body = PAGE.format(n=self.path).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            finally:
                with counter.lock:
                    counter.now[host] -= 1

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer((host, 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    """Run the comparison and print the table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--pages", type=int, default=30, help="pages per host")
    parser.add_argument("--delay", type=float, default=0.05)
    args = parser.parse_args()
    counter = _Counter()
    servers = [_server(f"127.0.0.{i + 2}", args.delay, counter) for i in range(args.hosts)]
    urls = [
        f"http://{s.server_address[0]}:{s.server_address[1]}/page-{n}"
        for n in range(args.pages)
        for s in servers
    ]
    with tempfile.TemporaryDirectory() as cache:
        options = srcscore.FetchOptions(
            allow_private_addresses=True, cache_dir=cache, progress=False
        )
        start = time.perf_counter()
        results = srcscore.fetch_all(urls, options)
        ours = time.perf_counter() - start
        ok = sum(1 for r in results.values() if r.ok)
        peak = max(counter.peak.values())
        before = counter.total
        start = time.perf_counter()
        again = srcscore.fetch_all(urls, options)
        cached = time.perf_counter() - start
        rerun_requests = counter.total - before
        assert all(r.from_cache for r in again.values())
    start = time.perf_counter()
    with httpx.Client(timeout=10.0) as client:
        plain_ok = sum(1 for url in urls if client.get(url).status_code == 200)
    plain = time.perf_counter() - start
    print(f"{len(urls)} pages on {args.hosts} loopback hosts, {args.delay * 1000:.0f} ms per page")
    print(f"  srcscore.fetch_all     {ours:6.2f} s  {len(urls) / ours:7.1f} pages/s  ({ok} ok)")
    rate = len(urls) / plain
    print(f"  sequential httpx loop  {plain:6.2f} s  {rate:7.1f} pages/s  ({plain_ok} ok)")
    print(f"  speed-up               {plain / ours:6.1f}x")
    print(f"  most requests one host saw at once: {peak} (limit {options.per_host})")
    print(f"  cached rerun: {rerun_requests} requests, {cached:.3f} s")
    for server in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
