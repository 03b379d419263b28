"""Offline speed benchmark for srcscore, with tldextract as the peer for URL work.

Run from the repository root (after ``pip install -e .``)::

    python benchmarks/bench_score.py            # full run, well under 2 minutes
    python benchmarks/bench_score.py --quick    # smoke run, a few seconds
    python benchmarks/bench_score.py --profile  # also print cProfile hotspots

Everything is generated from a fixed seed: synthetic articles in the format of
``examples/battery-plant-article.txt`` (title, ~24 sentences with ``[n]``
markers, a ``References:`` list of 5 URLs, page boilerplate) and URL lists over
many domains. No network, no files written outside a temporary directory.

Honesty rules followed here:

* every timed article carries URLs never seen before in the process (a unique
  id in each URL), so srcscore's per-URL caches never flatter a repeat; host
  level caches do warm up, as they would on a real corpus (the re-scored row
  shows the fully cached case separately);
* what must start cold starts in a fresh interpreter: imports, first calls and
  every repeat of the URL benchmark, so no cache survives from one repeat to
  the next whatever srcscore caches internally;
* each measurement is repeated and reported as median [min .. max]; the load
  average is printed because other work on the machine skews the timings.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import json
import os
import platform
import pstats
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import srcscore
from srcscore import _cli
from srcscore._priors import Priors

SEED = 20250114
ROOT = Path(__file__).resolve().parent.parent
SHARED_ARTICLE = ROOT.parent / "shared" / "examples" / "alibaba-chip-article.txt"
# Real news domains (Lin et al. 2023; see its README): read, never copied.
LIN_DOMAINS = ROOT.parent / "shared" / "data" / "lin2023" / "domain_pc1.csv"

# --------------------------------------------------------------------------- data

# Hosts of real-looking publishers, with a path style each. {u} is a unique id.
_HOSTS: tuple[tuple[str, str], ...] = (
    ("www.reuters.com", "/business/{sec}/{slug}-{y}-{m}-{d}-{u}/"),
    ("apnews.com", "/article/{slug}-{u}"),
    ("www.bbc.co.uk", "/news/{sec}-{u}"),
    ("www.bbc.com", "/news/articles/c{u}o"),
    ("www.nytimes.com", "/{y}/{m}/{d}/{sec}/{slug}-{u}.html"),
    ("www.theguardian.com", "/{sec}/{y}/{m}/{d}/{slug}-{u}"),
    ("www.ft.com", "/content/{u}-{slug}"),
    ("www.bloomberg.com", "/news/articles/{y}-{m}-{d}/{slug}-{u}"),
    ("www.wsj.com", "/{sec}/{slug}-{u}"),
    ("www.cnbc.com", "/{y}/{m}/{d}/{slug}-{u}.html"),
    ("www.washingtonpost.com", "/{sec}/{y}/{m}/{d}/{slug}-{u}/"),
    ("edition.cnn.com", "/{y}/{m}/{d}/{sec}/{slug}-{u}/index.html"),
    ("www.aljazeera.com", "/news/{y}/{m}/{d}/{slug}-{u}"),
    ("www.lemonde.fr", "/{sec}/article/{y}/{m}/{d}/{slug}_{u}_3234.html"),
    ("www.spiegel.de", "/{sec}/{slug}-a-{u}"),
    ("elpais.com", "/{sec}/{y}-{m}-{d}/{slug}-{u}.html"),
    ("www.abc.net.au", "/news/{y}-{m}-{d}/{slug}/{u}"),
    ("www3.nhk.or.jp", "/nhkworld/en/news/{u}/"),
    ("www.scmp.com", "/{sec}/article/{u}/{slug}"),
    ("www.straitstimes.com", "/{sec}/{slug}-{u}"),
    ("timesofindia.indiatimes.com", "/{sec}/{slug}/articleshow/{u}.cms"),
    ("www.smh.com.au", "/{sec}/{slug}-{y}{m}{d}-p5{u}.html"),
    ("www.theglobeandmail.com", "/{sec}/article-{slug}-{u}/"),
    ("finance.yahoo.com", "/news/{slug}-{u}.html"),
    ("www.investing.com", "/news/{sec}/{slug}-{u}"),
    ("seekingalpha.com", "/news/{u}-{slug}"),
    ("www.ainvest.com", "/news/{slug}-{u}/"),
    ("www.prnewswire.com", "/news-releases/{slug}-{u}.html"),
    ("www.businesswire.com", "/news/home/{y}{m}{d}{u}/en/{slug}"),
    ("techcrunch.com", "/{y}/{m}/{d}/{slug}-{u}/"),
    ("www.theverge.com", "/{y}/{m}/{d}/{u}/{slug}"),
    ("arstechnica.com", "/{sec}/{y}/{m}/{slug}-{u}/"),
    ("www.wired.com", "/story/{slug}-{u}/"),
    ("www.eweek.com", "/news/{slug}-{u}/"),
    ("www.who.int", "/news/item/{d}-{m}-{y}-{slug}-{u}"),
    ("www.cdc.gov", "/{sec}/data/{slug}-{u}.html"),
    ("www.nih.gov", "/news-events/news-releases/{slug}-{u}"),
    ("ec.europa.eu", "/commission/presscorner/detail/en/ip_{y}_{u}"),
    ("www.gov.uk", "/government/news/{slug}-{u}"),
    ("www.bundesregierung.de", "/breg-en/news/{slug}-{u}"),
    ("www.iea.org", "/reports/{slug}-{u}"),
    ("www.worldbank.org", "/en/news/press-release/{y}/{m}/{d}/{slug}-{u}"),
    ("www.imf.org", "/en/News/Articles/{y}/{m}/{d}/{slug}-{u}"),
    ("www.oecd.org", "/en/publications/{slug}-{u}.html"),
    ("www.nature.com", "/articles/s41586-{y}-{u}-x"),
    ("www.science.org", "/doi/10.1126/science.{u}"),
    ("arxiv.org", "/abs/{y}{m}.{u}"),
    ("pubmed.ncbi.nlm.nih.gov", "/{u}/"),
    ("news.mit.edu", "/{y}/{slug}-{u}"),
    ("www.ox.ac.uk", "/news/{y}-{m}-{d}-{slug}-{u}"),
    ("en.wikipedia.org", "/wiki/{Slug}_{u}"),
    ("github.com", "/{user}/{slug}/issues/{u}"),
    ("twitter.com", "/{user}/status/{u}"),
    ("x.com", "/{user}/status/{u}"),
    ("www.youtube.com", "/watch?v={u}&utm_source=share"),
    ("medium.com", "/@{user}/{slug}-{u}"),
    ("{user}.substack.com", "/p/{slug}-{u}"),
    ("{user}.blogspot.com", "/{y}/{m}/{slug}-{u}.html"),
    ("{user}.wordpress.com", "/{y}/{m}/{d}/{slug}-{u}/"),
    ("www.reddit.com", "/r/{sec}/comments/{u}/{slug}/"),
    ("www.snopes.com", "/fact-check/{slug}-{u}/"),
    ("www.politifact.com", "/factchecks/{y}/{sec}/{slug}-{u}/"),
    ("fullfact.org", "/{sec}/{y}/{slug}-{u}/"),
    ("www.rt.com", "/news/{u}-{slug}/"),
    ("english.news.cn", "/{y}{m}{d}/{u}/c.html"),
    ("www.globaltimes.cn", "/page/{y}{m}/{u}.shtml"),
    ("www.{word}-{word2}-news.com", "/{y}/{m}/{slug}-{u}/"),
    ("{word}{word2}daily.net", "/{sec}/{slug}-{u}"),
    ("www.{word}-research.co.uk", "/notes/{slug}-{u}.pdf"),
    ("{word}-{word2}.de", "/artikel/{slug}-{u}"),
)
_TRACKING = ("", "", "", "?utm_source=feed&utm_medium=rss", "?ref=home", "#comments")
_WORDS = (
    "battery cell grid solar wind chip cloud model data loan bank rate trade port "
    "steel copper lithium nickel vaccine trial drug clinic school budget tax wage "
    "rail road bridge water flood drought harvest wheat rice coffee ocean carbon "
    "market fund bond share deal merger factory plant mine border court vote"
).split()
_SECTIONS = ("world", "business", "markets", "technology", "science", "health", "politics")
_COMPANIES = (
    "Northvolt",
    "Siemens Energy",
    "Alibaba",
    "Nvidia",
    "Rio Tinto",
    "Maersk",
    "Unilever",
    "Tata Steel",
    "Samsung SDI",
    "CATL",
    "BASF",
    "Vale",
    "Iberdrola",
    "Orsted",
    "TSMC",
    "Glencore",
)
_PLACES = (
    "Sweden",
    "Germany",
    "Poland",
    "Spain",
    "Chile",
    "Indonesia",
    "Kenya",
    "Brazil",
    "Vietnam",
    "Ontario",
    "Bavaria",
    "Catalonia",
    "Queensland",
    "Gujarat",
)
_PEOPLE = (
    "the chief executive",
    "a company spokesperson",
    "the finance minister",
    "an industry analyst",
    "the central bank governor",
    "a union representative",
    "the regional governor",
)
_AGENCIES = (
    "The European Commission",
    "The International Energy Agency",
    "The World Bank",
    "The U.S. Department of Energy",
    "The statistics office",
    "The competition regulator",
    "An industry tracker",
)
_SENTENCES = (
    "{Co} said on {day} it would pause construction of its second plant in {pl} while "
    "it renegotiates a loan package worth {money}",
    "{Ag} approved {money} in state aid for projects of this kind in {year}, the largest "
    "package it has cleared so far",
    "Analysts at a regional bank estimate that output in {pl} could rise by {pct} by "
    "{year2} if the announced projects are completed on schedule",
    "Demand from electric cars grew {pct} in {year}, according to figures compiled by an "
    "industry tracker and published in its annual outlook",
    "Some commentators argue that cheaper imports will make local plants unprofitable "
    "within {n} years unless energy prices fall",
    "{Co} employs about {big} people in {pl}, and {person} said no jobs would be cut "
    "during the pause",
    "Shares of {Co} fell {pct} in early trading after the announcement, before recovering "
    "part of the loss by the close",
    "{Ag} said its review of the deal between {Co} and {Co2} would take at least {n} "
    "months and could be extended",
    "The plant in {pl} was meant to supply {n} carmakers and reach full capacity of "
    "{n2} gigawatt hours by {year2}",
    "{Person} told reporters that the company had secured {money} from a consortium of "
    "lenders led by a state-backed bank",
    "Exports of {w} from {pl} rose {pct} year on year in the third quarter, the highest "
    "level recorded since {year0}",
    "Local officials in {pl} said the water permit for the site had been granted in "
    "{month} after a public consultation",
    "The U.S. Inflation Reduction Act has drawn some investment away from Europe, "
    "executives at {Co} and {Co2} said",
    "{Co2} has already cut its forecast for {year} twice, citing weak demand and higher "
    "financing costs in {pl}",
    "Critics note that similar promises were made in {year0} and that only {n} of the "
    "announced factories were ever built",
    "Our own earlier coverage found delays at {n} other plants, most of them linked to "
    "permits and grid connections",
    "Prices of {w} have fallen by almost {pct} since their peak, squeezing the margins "
    "of producers in {pl} and elsewhere",
    "{Ag} expects global investment in the sector to reach {money} in {year2}, up from "
    "{money2} two years earlier",
    "A survey of {big} households in {pl} found that {pct} would consider buying an "
    "electric car within {n} years",
    "{Person} said the decision on the loan was expected before the end of the quarter, "
    "but declined to give a date",
    "Dr. Lena Berg, an economist who studies industrial policy, said the subsidies were "
    "unlikely to change the long-term picture",
    "The company's shares are not listed, but its largest investors include {n} carmakers "
    "and a pension fund based in {pl}",
    "Trade data show that {pl} imported {money} worth of {w} components in {year}, mostly "
    "from Asian suppliers",
    "Investors should watch for the quarterly results of {Co}, due in {month}, for signs "
    "of how long the slowdown will last",
)
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_MONTHS = ("January", "March", "April", "June", "September", "November")
_TITLES = (
    "New battery plants are spreading across Europe, but financing remains the sticking point",
    "Chipmakers race to replace imports as export rules tighten",
    "Mining boom meets water limits in the south",
    "Why the grid, not the panels, now sets the pace of the energy transition",
)
_BOILERPLATE = ("Comments\nBe the first to comment\n", "Share this article\n", "")


class Generator:
    """Deterministic synthetic articles and URLs; every URL carries a unique id."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.counter = 0

    def _uid(self) -> str:
        self.counter += 1
        return f"{self.counter:x}{self.rng.randrange(16**4):04x}"

    def _word(self) -> str:
        return self.rng.choice(_WORDS)

    def url(self, host_pattern: str | None = None, path_pattern: str | None = None) -> str:
        rng = self.rng
        if host_pattern is None or path_pattern is None:
            host_pattern, path_pattern = rng.choice(_HOSTS)
        slug = "-".join(self._word() for _ in range(rng.randint(3, 7)))
        fields = {
            "u": self._uid(),
            "slug": slug,
            "Slug": slug.replace("-", "_").capitalize(),
            "sec": rng.choice(_SECTIONS),
            "user": self._word() + self._word() + str(rng.randint(1, 99)),
            "word": self._word(),
            "word2": self._word(),
            "y": str(rng.randint(2015, 2025)),
            "m": f"{rng.randint(1, 12):02d}",
            "d": f"{rng.randint(1, 28):02d}",
        }
        host = host_pattern.format(**fields)
        scheme = "http" if rng.random() < 0.05 else "https"
        return f"{scheme}://{host}{path_pattern.format(**fields)}{rng.choice(_TRACKING)}"

    def _sentence(self) -> str:
        rng = self.rng
        year = rng.randint(2018, 2025)
        co, co2 = rng.sample(_COMPANIES, 2)
        person = rng.choice(_PEOPLE)
        return rng.choice(_SENTENCES).format(
            Co=co,
            Co2=co2,
            Ag=rng.choice(_AGENCIES),
            pl=rng.choice(_PLACES),
            Person=person[0].upper() + person[1:],
            person=person,
            day=rng.choice(_DAYS),
            month=rng.choice(_MONTHS),
            money=f"{rng.randint(1, 90)}.{rng.randint(1, 9)} billion euros",
            money2=f"${rng.randint(100, 900)} million",
            pct=f"{rng.randint(2, 80)}%",
            n=rng.randint(2, 9),
            n2=rng.randint(10, 60),
            big=f"{rng.randint(1, 30)},{rng.randint(100, 999)}",
            w=self._word(),
            year=year,
            year0=year - rng.randint(3, 8),
            year2=year + rng.randint(2, 8),
        )

    def _markers(self, n_refs: int) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.2:
            return ""  # an uncited sentence
        a = rng.randint(1, n_refs)
        if roll < 0.7:
            return f"[{a}]"
        b = rng.choice([i for i in range(1, n_refs + 1) if i != a])
        if roll < 0.85:
            return f"[{a}][{b}]"
        return f"[{min(a, b)}, {max(a, b)}]"

    def article(self, n_sentences: int = 24, n_refs: int = 5) -> str:
        rng = self.rng
        lines = [rng.choice(_TITLES)]
        left = n_sentences
        while left > 0:
            k = min(left, rng.randint(3, 6))
            parts = []
            for _ in range(k):
                sentence, marker = self._sentence(), self._markers(n_refs)
                if marker and rng.random() < 0.25:
                    parts.append(f"{sentence}. {marker}")  # marker after the full stop
                elif marker:
                    parts.append(f"{sentence} {marker}.")
                else:
                    parts.append(f"{sentence}.")
            lines.append(" ".join(parts))
            left -= k
        lines.append("References:")
        lines += [f"[{i}] {self.url()}" for i in range(1, n_refs + 1)]
        return "\n".join(lines) + "\n" + rng.choice(_BOILERPLATE)

    def big_article(self, target_bytes: int, n_refs: int = 100) -> str:
        paragraphs: list[str] = []
        size = 0
        while size < target_bytes:
            body = self.article(n_sentences=self.rng.randint(4, 8), n_refs=n_refs)
            para = body.split("\nReferences:")[0].split("\n", 1)[1]
            paragraphs.append(para)
            size += len(para) + 2
        refs = "\n".join(f"[{i}] {self.url()}" for i in range(1, n_refs + 1))
        return "Long report\n\n" + "\n\n".join(paragraphs) + "\n\nReferences:\n" + refs + "\n"


# --------------------------------------------------------------------------- helpers


def summary(values: Sequence[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def fmt_rate(stats: dict[str, float], unit: str) -> str:
    return f"{stats['median']:>11,.0f} {unit}  [{stats['min']:,.0f} .. {stats['max']:,.0f}]"


def fmt_ms(stats: dict[str, float]) -> str:
    return f"{stats['median']:8.1f} ms  [{stats['min']:.1f} .. {stats['max']:.1f}]"


def timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("srcscore", "tldextract", "attrs", "scipy", "numpy", "idna", "requests"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "-"
    return out


def revision() -> str:
    """The checkout's commit, and whether src/ differs from it."""
    try:
        head = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--", "src")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + (" + uncommitted changes in src/" if dirty else "")


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages: other work on the machine skews timings."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"nproc": os.cpu_count(), "cpu": cpu, "platform": platform.platform()}


# --------------------------------------------------------------------------- benchmarks

_TIMED_CODE = """
import sys, time
t0 = time.perf_counter()
exec(sys.argv[1])
print(time.perf_counter() - t0)
"""
_COLD_SNIPPETS = {
    "import srcscore": "import srcscore",
    "import tldextract": "import tldextract",
    "import scipy.special": "import scipy.special",
    "srcscore: import + 1st source_of": (
        "import srcscore; srcscore.source_of('https://www.bbc.co.uk/news/x')"
    ),
    "tldextract: import + build + 1st extract": (
        "import tldextract; "
        "tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)('https://www.bbc.co.uk/news/x')"
    ),
}

_COLD_CODE = """
import json, sys, time
a = open(sys.argv[1], encoding="utf-8").read()
b = open(sys.argv[2], encoding="utf-8").read()
out = {}
t = time.perf_counter()
import srcscore
out["import srcscore"] = time.perf_counter() - t
if sys.argv[3] == "breakdown":
    from srcscore import _urls
    from srcscore._priors import Priors
    t = time.perf_counter(); Priors.default()
    out["load priors table"] = time.perf_counter() - t
    t = time.perf_counter(); _urls.registrable_domain("example.com")
    out["import tldextract + load PSL"] = time.perf_counter() - t
    t = time.perf_counter(); import scipy.special
    out["import scipy.special"] = time.perf_counter() - t
t = time.perf_counter(); srcscore.score_text(a)
out["first score_text"] = time.perf_counter() - t
t = time.perf_counter(); srcscore.score_text(b)
out["second score_text"] = time.perf_counter() - t
print(json.dumps(out))
"""


def _python(code: str, *args: str) -> str:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()


def bench_imports(runs: int) -> dict[str, dict[str, float]]:
    out: dict[str, list[float]] = {name: [] for name in _COLD_SNIPPETS}
    for _ in range(runs):  # interleaved so drift hits all alike
        for name, code in _COLD_SNIPPETS.items():
            out[name].append(float(_python(_TIMED_CODE, code)) * 1e3)
    return {k: summary(v) for k, v in out.items()}


def bench_cold(runs: int, a: str, b: str) -> dict[str, dict[str, dict[str, float]]]:
    with tempfile.TemporaryDirectory() as tmp:
        pa, pb = Path(tmp, "a.txt"), Path(tmp, "b.txt")
        pa.write_text(a, encoding="utf-8")
        pb.write_text(b, encoding="utf-8")
        result = {}
        for mode in ("plain", "breakdown"):
            rows: dict[str, list[float]] = {}
            for _ in range(runs):
                for k, v in json.loads(_python(_COLD_CODE, str(pa), str(pb), mode)).items():
                    rows.setdefault(k, []).append(v * 1e3)
            result[mode] = {k: summary(v) for k, v in rows.items()}
    return result


def bench_warm(batches: list[list[str]]) -> dict[str, Any]:
    rates = []
    for batch in batches:
        elapsed = timed(lambda batch=batch: [srcscore.score_text(t) for t in batch])
        rates.append(len(batch) / elapsed)
    # The first batch again: every URL now hits srcscore's caches.
    hot = [
        len(batches[0]) / timed(lambda: [srcscore.score_text(t) for t in batches[0]])
        for _ in range(min(3, len(batches)))
    ]
    return {"articles_per_s": summary(rates), "recached_articles_per_s": summary(hot)}


def bench_stages(batches: list[list[str]]) -> dict[str, dict[str, float]]:
    per: dict[str, list[float]] = {"parse_text": [], "source_of refs": [], "score_document": []}
    for batch in batches:
        t_parse = t_src = t_score = 0.0
        for text in batch:
            t0 = time.perf_counter()
            doc = srcscore.parse_text(text)
            t1 = time.perf_counter()
            for ref in doc.references:
                if ref.url is not None:
                    with contextlib.suppress(srcscore.InvalidURLError):
                        srcscore.source_of(ref.url).prior()
            t2 = time.perf_counter()
            srcscore.score_document(doc)  # its source_of calls now hit the cache
            t3 = time.perf_counter()
            t_parse += t1 - t0
            t_src += t2 - t1
            t_score += t3 - t2
        n = len(batch)
        per["parse_text"].append(t_parse / n * 1e3)
        per["source_of refs"].append(t_src / n * 1e3)
        per["score_document"].append(t_score / n * 1e3)
    return {k: summary(v) for k, v in per.items()}


def url_sets(
    gen: Generator, n: int, n_cold: int, long_stream: bool = False
) -> dict[str, list[str]]:
    rng = gen.rng
    suffixes = ("com", "co.uk", "de", "fr", "com.au", "co.jp", "org", "net", "io", "gov", "edu")
    platforms = ("substack.com", "blogspot.com", "wordpress.com", "github.io", "medium.com")
    # Cold: every URL on a host never seen before; 70% long-tail publishers no
    # table knows (each gets the lookalike check), 30% platform subdomains.
    cold = []
    for _ in range(n_cold):
        if rng.random() < 0.7:
            host = f"www.{gen._word()}{gen._word()}{gen._uid()}.{rng.choice(suffixes)}"
        else:
            host = f"{gen._word()}{gen._uid()}.{rng.choice(platforms)}"
        cold.append(gen.url(host, "/{sec}/{y}/{slug}-{u}"))
    # Repeated hosts: 300 hosts (the real-looking pool plus long-tail ones),
    # every URL still unique.
    pool = sorted({h.format(user="someblog", word="alpha", word2="beta") for h, _ in _HOSTS})
    while len(pool) < 300:
        pool.append(f"www.{gen._word()}-{gen._word()}{len(pool)}.{rng.choice(suffixes)}")
    paths = [p for _, p in _HOSTS]
    repeated_hosts = [gen.url(rng.choice(pool), rng.choice(paths)) for _ in range(n)]
    # A Zipf-like stream of news URLs: 20,000 hosts drawn with weight 1/rank
    # (a few outlets are cited very often, a long tail rarely), unique paths,
    # a third of them with tracking parameters.
    zipf_hosts = [f"www.{gen._word()}{gen._word()}{i}.{rng.choice(suffixes)}" for i in range(20000)]
    weights = [1.0 / (rank + 1) for rank in range(len(zipf_hosts))]

    def zipf_stream(k: int) -> list[str]:
        out = []
        for host in rng.choices(zipf_hosts, weights, k=k):
            url = gen.url(host, "/{sec}/{y}/{slug}-{u}")
            out.append(url + "?utm_source=feed&utm_medium=social" if rng.random() < 0.33 else url)
        return out

    zipf = zipf_stream(n)
    # Repeated URLs: 5,000 distinct URLs looked up n times in all.
    distinct = [gen.url() for _ in range(min(5000, n))]
    repeated_urls = [rng.choice(distinct) for _ in range(n)]
    # The same stream shape over real news domains: 11,520 domains rated by Lin
    # et al., in a seeded random order of popularity, 70% of them behind "www.".
    # Real names, so the table knows some and the rest are checked as lookalikes.
    # Its own generator: the other sets stay as they were before it was added.
    rgen = Generator(SEED + 1)
    real: list[str] = []
    if LIN_DOMAINS.is_file():
        with LIN_DOMAINS.open(encoding="utf-8", newline="") as f:
            domains = [row["domain"] for row in csv.DictReader(f)]
        rgen.rng.shuffle(domains)
        real_hosts = [f"www.{d}" if rgen.rng.random() < 0.7 else d for d in domains]
        real_weights = [1.0 / (rank + 1) for rank in range(len(real_hosts))]
        for host in rgen.rng.choices(real_hosts, real_weights, k=n):
            url = rgen.url(host, "/{sec}/{y}/{slug}-{u}")
            real.append(
                url + "?utm_source=feed&utm_medium=social" if rgen.rng.random() < 0.33 else url
            )
    return {
        "cold: a new host per URL": cold,
        "300 hosts, unique URLs": repeated_hosts,
        "Zipf stream over 20k hosts": zipf,
        "5k distinct URLs, repeated": repeated_urls,
        "Zipf stream over real news domains": real,
        # The same 20k hosts, ten times as many URLs: a corpus-sized stream, in
        # which far fewer URLs are the first of their host.
        "Zipf stream, 10x the URLs": zipf_stream(10 * n) if long_stream else [],
    }


_URL_CODE = """
import json, sys, time
urls = open(sys.argv[1], encoding="utf-8").read().split("\\n")
import srcscore, tldextract
source_of, bad = srcscore.source_of, srcscore.InvalidURLError
# One-time setup of both, outside the timings (cold start is measured in [1]).
source_of("https://www.bench-warmup-zzqx.com/")
extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None).extract_str
extract("https://warm.example.com/")
def run_srcscore(chunk):
    for u in chunk:
        try:
            source_of(u)
        except bad:
            pass
def run_tldextract(chunk):
    for u in chunk:
        extract(u)
# The two take turns chunk by chunk, so that both see the same load on a
# shared machine; each library's caches carry over from chunk to chunk.
order = [("srcscore", run_srcscore), ("tldextract", run_tldextract)]
out = {"srcscore": 0.0, "tldextract": 0.0}
chunks = [urls[i : i + 1000] for i in range(0, len(urls), 1000)]
for chunk in chunks:
    for name, fn in order if sys.argv[2] == "0" else order[::-1]:
        t = time.perf_counter()
        fn(chunk)
        out[name] += time.perf_counter() - t
print(json.dumps(out))
"""


def bench_urls(sets: dict[str, list[str]], repeats: int) -> dict[str, Any]:
    """URLs/s of source_of and of tldextract, each repeat in a fresh interpreter.

    A fresh process per repeat is the only way to be sure that no cache of
    srcscore's (per URL, per host) survives from the previous repeat.
    """
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, urls in sets.items():
            path = Path(tmp, "urls.txt")
            path.write_text("\n".join(urls), encoding="utf-8")
            src_rates, tld_rates = [], []
            for r in range(repeats):
                got = json.loads(_python(_URL_CODE, str(path), str(r % 2)))
                src_rates.append(len(urls) / got["srcscore"])
                tld_rates.append(len(urls) / got["tldextract"])
            src, tld = summary(src_rates), summary(tld_rates)
            results[name] = {
                "n": len(urls),
                "distinct_hosts": len({u.split("/")[2] for u in urls}),
                "srcscore": src,
                "tldextract": tld,
                "time_ratio": tld["median"] / src["median"],
            }
    return results


def bench_cli(docs_batches: list[list[str]]) -> dict[str, Any]:
    rates = []
    with tempfile.TemporaryDirectory() as tmp:
        for r, batch in enumerate(docs_batches):
            src = Path(tmp, f"docs{r}.jsonl")
            with src.open("w", encoding="utf-8") as fh:
                for i, text in enumerate(batch):
                    fh.write(json.dumps({"id": f"doc-{r}-{i}", "text": text}) + "\n")
            out = Path(tmp, f"out{r}.jsonl")
            with out.open("w", encoding="utf-8") as sink, contextlib.redirect_stdout(sink):
                t0 = time.perf_counter()
                status = _cli.main(["score", str(src), "--format", "jsonl"])
                elapsed = time.perf_counter() - t0
            lines = out.read_text(encoding="utf-8").count("\n")
            if status != 0 or lines != len(batch):
                raise SystemExit(f"CLI run failed: status {status}, {lines} lines")
            rates.append(len(batch) / elapsed)
    return {"docs_per_s": summary(rates), "docs": len(docs_batches[0])}


def bench_big(gen: Generator, sizes_kb: Sequence[int], repeats: int) -> dict[str, Any]:
    out = {}
    for kb in sizes_kb:
        body = gen.big_article(kb * 1024).split("\nReferences:\n")[0]
        parse_s, total_s = [], []
        claims = size = 0
        for _ in range(repeats):
            # The same body with a reference list of never-seen URLs each time.
            refs = "\n".join(f"[{i}] {gen.url()}" for i in range(1, 101))
            text = f"{body}\nReferences:\n{refs}\n"
            parse_s.append(timed(lambda text=text: srcscore.parse_text(text)))
            t0 = time.perf_counter()
            report = srcscore.score_text(text)
            total_s.append(time.perf_counter() - t0)
            claims, size = len(report.claims), len(text.encode())
        out[f"{kb} KB"] = {
            "bytes": size,
            "claims": claims,
            "parse_s": summary(parse_s),
            "score_text_s": summary(total_s),
        }
    return out


# Code whose functions the hotspot tables show: srcscore and the libraries it calls.
_PROFILED = ("srcscore", "/attr/", "/attrs/", "/json/", "/re/", "tldextract")


def _hotspot_rows(stats: pstats.Stats, top: int) -> list[str]:
    """Functions by cumulative and by self time, as % of the total."""
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    for (path, line, func), (_, calls, self_t, cum_t, _) in stats.stats.items():  # type: ignore[attr-defined]
        if any(part in path for part in _PROFILED) and "bench_score" not in path:
            rows.append((cum_t, self_t, calls, f"{Path(path).name}:{line}({func})"))
    out = [f"    {'cum %':>6s} {'self %':>6s} {'calls':>9s}  function  (total {total:.3f} s)"]
    by_cum = sorted(rows, reverse=True)[:top]
    by_self = sorted(rows, key=lambda r: r[1], reverse=True)[:top]
    for cum_t, self_t, calls, name in by_cum + [r for r in by_self if r not in by_cum]:
        out.append(f"    {cum_t / total:6.1%} {self_t / total:6.1%} {calls:9,d}  {name}")
    return out


def profile_hotspots(work: dict[str, Callable[[], Any]], top: int) -> str:
    lines = []
    for label, fn in work.items():
        prof = cProfile.Profile()
        prof.enable()
        fn()
        prof.disable()
        lines.append(f"\n  cProfile: {label}")
        lines += _hotspot_rows(pstats.Stats(prof), top)
    return "\n".join(lines)


def bench_prior_vs_table_size(gen: Generator, n_hosts: int) -> dict[str, float]:
    """Per-lookup cost of an unknown domain's prior, by size of the priors table.

    Unknown domains are checked against the table's reliable outlets for
    lookalikes, so the cost of a never-seen publisher may grow with the table.
    Uses sub-tables of the default table (public API: ``Source.prior(table)``).
    """
    table = Priors.default()
    keys = list(table)
    hosts = [f"www.{gen._word()}{gen._word()}{i}.com" for i in range(n_hosts)]
    sources = [srcscore.source_of(f"https://{h}/a") for h in hosts]
    out = {}
    for size in sorted({min(s, len(keys)) for s in (250, 500, 1000, 2000, len(keys))}):
        sub = Priors({k: table.get(k) for k in keys[:size]})
        srcscore.source_of("https://www.bench-warmup-zzqx.com/").prior(sub)  # builds its index
        out[str(size)] = timed(lambda sub=sub: [s.prior(sub) for s in sources]) / n_hosts * 1e3
    return out


# --------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smoke run (a few seconds)")
    parser.add_argument("--repeats", type=int, help="repeats per measurement (default 5)")
    parser.add_argument("--articles", type=int, help="articles per warm batch (default 1000)")
    parser.add_argument("--urls", type=int, help="URLs per source_of set (default 100000)")
    parser.add_argument(
        "--cold-urls", type=int, help="URLs in the new-host-per-URL set (default 10000)"
    )
    parser.add_argument("--jsonl-docs", type=int, help="documents per CLI run (default 1000)")
    parser.add_argument("--profile", action="store_true", help="print cProfile hotspots")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    q = args.quick
    repeats = args.repeats or (2 if q else 5)
    n_articles = args.articles or (100 if q else 1000)
    n_urls = args.urls or (5000 if q else 100_000)
    n_cold = args.cold_urls or (1000 if q else 10_000)
    n_docs = args.jsonl_docs or (100 if q else 1000)
    url_repeats = 2 if q else 3
    sub_runs = 1 if q else 7
    big_sizes = (64,) if q else (256, 512, 1024)

    started = time.perf_counter()
    gen = Generator(SEED)
    info = {
        "machine": machine(),
        "versions": versions(),
        "revision": revision(),
        "priors_rows": len(Priors.default()),
        "loadavg_start": loadavg(),
    }
    print(f"machine: {info['machine']['nproc']} CPUs, {info['machine']['cpu']}")
    print("versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    print(f"srcscore checkout: {info['revision']}; load average {info['loadavg_start']}")
    print(f"priors table: {info['priors_rows']} rows; seed {SEED}; repeats {repeats}")

    warm_batches = [[gen.article() for _ in range(n_articles)] for _ in range(repeats)]
    stage_batches = [[gen.article() for _ in range(n_articles)] for _ in range(repeats)]
    cli_batches = [[gen.article() for _ in range(n_docs)] for _ in range(repeats)]
    sample = warm_batches[0][:200]
    parsed = [srcscore.parse_text(t) for t in sample]
    shape = {
        "bytes": statistics.mean(len(t.encode()) for t in sample),
        "claims": statistics.mean(len(d.claims) for d in parsed),
        "references": statistics.mean(len(d.references) for d in parsed),
    }
    print(
        f"articles: {shape['bytes']:,.0f} B, {shape['claims']:.1f} claims, "
        f"{shape['references']:.0f} references on average"
    )
    extra = SHARED_ARTICLE.read_text(encoding="utf-8") if SHARED_ARTICLE.is_file() else None

    results: dict[str, Any] = {"info": info, "article_shape": shape}

    print(f"\n[1] import time, fresh interpreter, {sub_runs} runs (ms, median [min .. max])")
    results["import_ms"] = imports = bench_imports(sub_runs)
    for name, st in imports.items():
        print(f"  {name:42s} {fmt_ms(st)}")
    ratio = imports["import srcscore"]["median"] / imports["import tldextract"]["median"]
    print(f"  import srcscore / import tldextract: {ratio:.2f}x")
    ratio = (
        imports["srcscore: import + 1st source_of"]["median"]
        / imports["tldextract: import + build + 1st extract"]["median"]
    )
    print(f"  first URL answered, srcscore / tldextract: {ratio:.2f}x")

    print(f"\n[2] cold first call, fresh interpreter, {sub_runs} runs (ms)")
    cold_a, cold_b = warm_batches[0][0], warm_batches[0][1]
    results["cold_ms"] = cold = bench_cold(sub_runs, cold_a, cold_b)
    for mode, rows in cold.items():
        print(f"  {mode}:")
        for k, st in rows.items():
            print(f"    {k:30s} {fmt_ms(st)}")

    print(f"\n[3] warm score_text, {n_articles} distinct articles x {repeats} batches")
    for t in [gen.article() for _ in range(20)]:  # warm-up, not timed
        srcscore.score_text(t)
    results["warm"] = warm = bench_warm(warm_batches)
    print(f"  articles/s                 {fmt_rate(warm['articles_per_s'], 'art/s')}")
    print(f"  re-scored, URLs cached     {fmt_rate(warm['recached_articles_per_s'], 'art/s')}")
    if extra is not None:
        ms = [timed(lambda: srcscore.score_text(extra)) * 1e3 for _ in range(repeats * 4)]
        results["shared_example_ms"] = summary(ms)
        print(f"  shared example, ms/article {fmt_ms(summary(ms))}  (URLs cached after the 1st)")

    print("\n[4] per-stage time per article (ms, median over batches)")
    results["stages_ms"] = stages = bench_stages(stage_batches)
    total = sum(st["median"] for st in stages.values())
    for k, st in stages.items():
        share = st["median"] / total * 100
        print(
            f"  {k:16s} {st['median']:7.3f} ms  ({share:4.1f}%)  "
            f"[{st['min']:.3f} .. {st['max']:.3f}]"
        )

    print("\n[5] source_of vs tldextract, each repeat in a fresh interpreter")
    results["urls"] = urls = bench_urls(
        {k: v for k, v in url_sets(gen, n_urls, n_cold, long_stream=not q).items() if v},
        url_repeats,
    )
    for name, row in urls.items():
        print(f"  {name}: {row['n']:,} URLs, {row['distinct_hosts']:,} distinct hosts")
        print(f"    srcscore.source_of {fmt_rate(row['srcscore'], 'URL/s')}")
        print(f"    tldextract         {fmt_rate(row['tldextract'], 'URL/s')}")
        print(f"    source_of takes {row['time_ratio']:.2f}x tldextract's time")

    print(f"\n[6] CLI in-process: score FILE.jsonl --format jsonl, {n_docs} docs x {repeats}")
    results["cli"] = cli = bench_cli(cli_batches)
    print(f"  docs/s                     {fmt_rate(cli['docs_per_s'], 'doc/s')}")

    print("\n[7] big articles, one score_text each (seconds)")
    results["big"] = big = bench_big(gen, big_sizes, 1 if q else 3)
    for name, row in big.items():
        print(
            f"  {name:8s} {row['bytes']:>9,} B {row['claims']:>6,} claims  "
            f"parse {row['parse_s']['median']:.2f} s  "
            f"score_text {row['score_text_s']['median']:.2f} s  "
            f"[{row['score_text_s']['min']:.2f} .. {row['score_text_s']['max']:.2f}]"
        )

    if args.profile:
        print("\n[8] hotspots (cProfile, on data never seen before in the process)")
        batch = [gen.article() for _ in range(n_articles)]
        big_text = gen.big_article((64 if q else 1024) * 1024)
        cold_urls = url_sets(gen, 10, n_cold // 10)["cold: a new host per URL"]
        host_urls = url_sets(gen, n_urls // 10, 10)["300 hosts, unique URLs"]
        work = {
            f"score_text on {len(batch)} articles": lambda: [srcscore.score_text(t) for t in batch],
            f"score_text on a {len(big_text) // 1024} KB article": lambda: srcscore.score_text(
                big_text
            ),
            f"source_of on {len(cold_urls):,} URLs, a new host each": lambda: [
                srcscore.source_of(u) for u in cold_urls
            ],
            f"source_of on {len(host_urls):,} URLs over 300 hosts, most seen before": lambda: [
                srcscore.source_of(u) for u in host_urls
            ],
        }
        tmp = tempfile.TemporaryDirectory()
        jsonl = Path(tmp.name, "docs.jsonl")
        jsonl.write_text(
            "".join(json.dumps({"id": i, "text": gen.article()}) + "\n" for i in range(n_docs)),
            encoding="utf-8",
        )

        def run_cli() -> None:
            with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
                _cli.main(["score", str(jsonl), "--format", "jsonl"])

        work[f"CLI score --format jsonl on {n_docs} documents"] = run_cli
        # Warm the one-time setup so the profiles show steady-state work.
        srcscore.score_text(gen.article())
        print(profile_hotspots(work, 10))
        tmp.cleanup()
        print("\n[9] prior of a never-seen domain vs priors table size (ms per lookup)")
        results["prior_ms_by_table_rows"] = by_size = bench_prior_vs_table_size(gen, 200)
        for size, ms in by_size.items():
            print(f"  {int(size):6,d} rows  {ms:6.3f} ms")

    results["wall_s"] = time.perf_counter() - started
    results["loadavg_end"] = loadavg()
    print(f"\ntotal wall time: {results['wall_s']:.1f} s; load average {results['loadavg_end']}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
