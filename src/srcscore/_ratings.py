"""Open rating sets: read them into :class:`Priors`, and fetch named ones on request.

Formats (``format=`` / ``--priors-format``):

``csv``
    ``domain,score[,strength[,category[,note]]]``; ``score`` a number in [0, 1]
    or a label (``high``, ``mixed``, ``generally unreliable``...).
``lin2023``
    Lin et al. (2023) aggregate ratings: ``domain,pc1`` with pc1 in [0, 1].
``mbfc``
    Media Bias/Fact Check factuality labels, e.g. the Baly et al. corpora
    (a ``fact`` or ``factuality`` column: very high, high, mostly factual,
    mixed, low, very low); tab- or comma-separated.
``wikipedia-rsp``
    Wikipedia's perennial sources statuses (generally reliable, no consensus,
    marginally reliable, generally unreliable, deprecated, blacklisted).
``iffy``
    Lists of unreliable sites (Iffy.news, CRED-1): every listed domain is
    unreliable unless a ``category`` column says otherwise (fake, conspiracy,
    satire, mixed, reliable...).
``auto``
    Chosen from the header.

Fetching (:func:`fetch_rating_set`) happens only when asked, never at import.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

from ._exceptions import PriorsError
from ._priors import Priors

__all__ = [
    "FORMATS",
    "RATING_SETS",
    "cache_dir",
    "cached_rating_set",
    "fetch_rating_set",
    "load_priors_spec",
    "read_ratings",
    "read_ratings_text",
]

FORMATS: Final = ("auto", "csv", "lin2023", "mbfc", "wikipedia-rsp", "iffy")

_DOMAIN_COLUMNS: Final = ("domain", "source_url_normalized", "site", "source_url", "url", "source")
_LABEL_COLUMNS: Final = ("fact", "factuality", "factual_reporting", "status", "rating", "label")
# Strength given to imported labels: a rating set is one opinion, worth a few
# pseudo-observations, less than a curated table's surest entries.
_IMPORT_STRENGTH: Final = 10.0
_IFFY_CATEGORIES: Final = {
    "fake": (0.05, "news"),
    "conspiracy": (0.1, "news"),
    "unreliable": (0.2, "news"),
    "rumor": (0.2, "news"),
    "satire": (0.15, "satire"),
    "mixed": (0.45, "news"),
    "reliable": (0.8, "news"),
}
_IFFY_FACTUAL: Final = {"VL": 0.1, "L": 0.25, "M": 0.5, "MF": 0.7, "H": 0.82}


def _sniff_rows(text: str) -> tuple[list[str], Any]:
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, [])
    return [h.strip().lower() for h in header], reader


def _column(header: list[str], names: tuple[str, ...], what: str, name: str) -> int:
    for candidate in names:
        if candidate in header:
            return header.index(candidate)
    raise PriorsError(f"{name}: no {what} column (looked for {', '.join(names)})")


def _detect(header: list[str]) -> str:
    if "pc1" in header:
        return "lin2023"
    if "fact" in header or "factuality" in header or "factual_reporting" in header:
        return "mbfc"
    if "status" in header:
        return "wikipedia-rsp"
    if "iffy_factual" in header or ("category" in header and "credibility_score" in header):
        return "iffy"
    return "csv"


def _labelled_rows(text: str, name: str, fmt: str) -> Iterator[tuple[str, Mapping[str, str]]]:
    header, reader = _sniff_rows(text)
    domain_at = _column(header, _DOMAIN_COLUMNS, "domain", name)
    if fmt == "iffy":
        category_at = header.index("category") if "category" in header else None
        factual_at = header.index("iffy_factual") if "iffy_factual" in header else None
        for row in reader:
            if len(row) <= domain_at or not row[domain_at].strip():
                continue
            mean, category = 0.2, "news"
            if category_at is not None and len(row) > category_at:
                mean, category = _IFFY_CATEGORIES.get(
                    row[category_at].strip().lower(), (0.2, "news")
                )
            if factual_at is not None and len(row) > factual_at:
                mean = min(mean, _IFFY_FACTUAL.get(row[factual_at].strip().upper(), mean))
            yield (
                f"line {reader.line_num}",
                {
                    "domain": row[domain_at],
                    "score": str(mean),
                    "category": category,
                    "strength": str(_IMPORT_STRENGTH),
                },
            )
        return
    columns = ("pc1",) if fmt == "lin2023" else _LABEL_COLUMNS
    label_at = _column(header, columns, "rating", name)
    for row in reader:
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(domain_at, label_at):
            raise PriorsError(f"{name}: line {reader.line_num}: too few fields")
        yield (
            f"line {reader.line_num}",
            {
                "domain": row[domain_at],
                "score": row[label_at],
                "strength": str(_IMPORT_STRENGTH),
            },
        )


def read_ratings(
    path: str | os.PathLike[str], format: str = "auto", name: str | None = None
) -> Priors:
    """Read a rating set in one of :data:`FORMATS` into a :class:`Priors` table.

    A generic ``csv`` is the user's own table: a bad row raises
    :class:`~srcscore.PriorsError` naming the file and line. In the third-party
    formats a row whose domain or rating is unusable is skipped and named in
    the table's ``warnings``; a missing column still raises.
    """
    path = Path(path)
    label = name or path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PriorsError(f"priors file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PriorsError(f"cannot read priors file {path}: {exc}") from None
    return read_ratings_text(text, format, label)


def read_ratings_text(text: str, format: str = "auto", name: str = "custom") -> Priors:
    """Like :func:`read_ratings`, from the file's text."""
    if format not in FORMATS:
        raise PriorsError(f"unknown ratings format {format!r} (one of {', '.join(FORMATS)})")
    fmt = format
    try:
        if fmt == "auto":
            header, _ = _sniff_rows(text)
            fmt = _detect(header)
        if fmt == "csv":
            return Priors.from_csv_text(text, name)
        # Third-party sets have the odd broken row: skip it, say so, keep the rest.
        return Priors._build(_labelled_rows(text, name, fmt), name, strict=False)
    except csv.Error as exc:  # a field over the csv module's limit
        raise PriorsError(f"{name}: {exc}") from None


# Named public rating sets: (URL, sha256, format, description). Pinned to a
# commit so that the checksum holds.
RATING_SETS: Final[dict[str, tuple[str, str, str, str]]] = {
    "lin2023": (
        "https://raw.githubusercontent.com/hauselin/domain-quality-ratings/"
        "5671d57e545e48225ef2cbf559a6ab7f8f77a9de/data/domain_pc1.csv",
        "18221d8c4ce30e25ceab4ce3d1c9a7babaf9e935bd42ed2c89e3c52fc19d5e1a",
        "lin2023",
        "Lin et al. (2023) aggregate news-domain quality ratings (pc1), 11,520 domains",
    ),
    "baly-mbfc": (
        "https://raw.githubusercontent.com/ramybaly/News-Media-Reliability/"
        "28ab9b418e9e69e6105d52ddb61a4dfdd791a412/data/acl2020/corpus.tsv",
        "936cc629df930c7caae8b8506fe3843a6b0576c4f4afcd4b371b0156e8a65515",
        "mbfc",
        "Baly et al. (2020) MBFC factuality labels, 859 news sites",
    ),
    "cred1": (
        "https://raw.githubusercontent.com/aloth/cred-1/"
        "3b9875675744bd73c4acb997603ae73bf78d341e/data/cred1_current.csv",
        "31469b9937620077ca904420ffae408f0579e2c62cce345f35d7d2a5e4901cf5",
        "iffy",
        "CRED-1 (Iffy.news index and OpenSources) low-credibility domains",
    ),
}
_MAX_DOWNLOAD: Final = 64 * 1024 * 1024


def cache_dir() -> Path:
    """The user cache directory for srcscore (``$XDG_CACHE_HOME/srcscore``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "srcscore"


def cached_rating_set(name: str, directory: Path | None = None) -> Path | None:
    """The cached file of a named rating set, if it was fetched before."""
    if name not in RATING_SETS:
        return None
    path = (directory or cache_dir() / "ratings") / f"{name}.{RATING_SETS[name][2]}.txt"
    return path if path.is_file() else None


def fetch_rating_set(
    name: str,
    *,
    directory: Path | None = None,
    transport: Any = None,
    timeout: float = 30.0,
) -> Path:
    """Download a named public rating set into the user cache and return its path.

    The download is checked against a pinned SHA-256 and written atomically.
    Raises :class:`~srcscore.PriorsError` with a clear reason when the name is
    unknown, the network is unreachable, or the checksum does not match.
    """
    if name not in RATING_SETS:
        raise PriorsError(f"unknown rating set {name!r} (known: {', '.join(sorted(RATING_SETS))})")
    url, digest, fmt, _ = RATING_SETS[name]
    import httpx

    try:
        client = httpx.Client(transport=transport, timeout=timeout, follow_redirects=True)
        with client, client.stream("GET", url) as response:
            if response.status_code != 200:
                raise PriorsError(f"cannot fetch {name}: HTTP {response.status_code} from {url}")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > _MAX_DOWNLOAD:
                    raise PriorsError(f"cannot fetch {name}: larger than {_MAX_DOWNLOAD} bytes")
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise PriorsError(
            f"cannot fetch {name} from {url}: {type(exc).__name__}: {exc} (offline?)"
        ) from None
    data = b"".join(chunks)
    got = hashlib.sha256(data).hexdigest()
    if got != digest:
        raise PriorsError(f"cannot fetch {name}: checksum mismatch (got sha256 {got[:16]}...)")
    target_dir = directory or cache_dir() / "ratings"
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"{name}.{fmt}.txt"
    tmp = target.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return target


def load_priors_spec(spec: str, format: str = "auto") -> Priors:
    """Load ``--priors`` SPEC: a file path, or the name of a fetched rating set."""
    if not os.path.exists(spec) and spec in RATING_SETS:
        cached = cached_rating_set(spec)
        if cached is None:
            raise PriorsError(
                f"rating set {spec!r} is not fetched yet: run 'srcscore priors fetch {spec}'"
            )
        return read_ratings(cached, RATING_SETS[spec][2] if format == "auto" else format, spec)
    return read_ratings(spec, format)
