"""Fit the learned fallback prior and write it as plain JSON (no pickle).

Run from the repository root, with ``../shared/data`` beside it::

    python benchmarks/train_fallback.py           # writes src/srcscore/data/fallback_model.json
    python benchmarks/train_fallback.py --out -   # prints the JSON instead
    python benchmarks/train_fallback.py --check   # refits, compares with the shipped file

What it learns: the probability that a source is reliable from the *shape* of its
URL (public suffix, length/hyphens/digits of the name, English words in the name,
path patterns; see ``srcscore._learned``), never from the domain's identity.

Training data (read at run time from ``../shared/data``; nothing is copied):

* Lin et al. (2023) ``domain_pc1.csv``: ``pc1`` in [0, 1] as a soft target
  (path-level rows such as ``facebook.com/news`` are skipped);
* Baly et al. (2018, 2020) MBFC factuality: high 1, mixed 0.5, low 0 (the 2020
  corpus wins when a domain is in both);
* CRED-1 (Iffy.news and OpenSources): the Iffy factuality (VL 0, L 0.1, M 0.3,
  MF 0.5, H 0.8), else a low target by category (fake 0, conspiracy 0.05,
  satire 0.1, unreliable 0.15, mixed 0.35);
* ExpertQA, dev split only: each URL cited in a claim's evidence with the expert's
  reliability label (Reliable 1, Somewhat reliable 0.5, Not reliable at all 0;
  other labels skipped), weight ``EXPERTQA_WEIGHT / URLs in the claim``: the only
  labelled URL *paths*.

Rows of IP addresses and of blogs on platforms (``foo.wordpress.com``: the
registrable domain is the platform's) are skipped. A site of the domain lists is
a row for its home page (path ``/``); a host listed by several lists gets the
mean of their targets. Soft targets are fitted as weighted logistic regression
(each row twice: y=1 with weight ``t``, y=0 with weight ``1 - t``). Features
seen in fewer than ``MIN_COUNT`` rows are dropped. The L2 penalty ``C`` is
chosen from ``C_GRID`` by 5-fold cross-validation grouped by registrable domain
(folds by a hash of the domain, so no domain is on both sides), minimising the
weighted log-loss. Everything is deterministic.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
import sklearn
from sklearn.linear_model import LogisticRegression

import srcscore
from srcscore._learned import MODEL_FORMAT, FallbackModel, FeatureSpec

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "srcscore" / "data" / "fallback_model.json"
VERSION = 1
STRENGTH = 3.0
MIN_COUNT = 5
EXPERTQA_WEIGHT = 1.0
C_GRID = (0.03, 0.1, 0.3, 1.0)
FOLDS = 5
SPREAD = 0.15  # the middle 90% of training rows map to 0.5 +/- SPREAD
LOW, HIGH = 0.25, 0.75
MIN_EFFECT = 0.02
LEN_EDGES = [0, 5, 8, 11, 15, 20]

# English words for segmenting names (curated by hand; unsupervised counts of
# substrings in the domain lists suggested some). Order does not matter.
VOCAB = sorted(
    set(
        """
news daily times post press report reporter reports journal herald tribune gazette chronicle
observer courier sentinel examiner telegraph guardian dispatch record register review standard
star sun mirror express mail bulletin digest leader ledger monitor independent inquirer enquirer
globe voice voices beacon citizen patch today tonight weekly week live online media wire network
channel radio tv television broadcast magazine mag zine paper newspaper insider inside watch
watcher alert alerts breaking update updates headline headlines story stories feed buzz viral
trending now info world global international national nation nations local metro city county
state states capital village town valley lake river mountain coast bay island north south east
west northern southern eastern western central american america americans usa europe european
euro asia asian africa african india indian china chinese canada canadian australia australian
british britain english irish scottish texas florida california washington york chicago boston
ohio georgia carolina virginia michigan iowa kansas colorado oregon arizona houston dallas
atlanta denver phoenix detroit miami london paris berlin russia russian israel jewish arab
politics political politico policy government democrat democrats democracy democratic republic
republican liberal liberals liberty libertarian conservative conservatives progressive left
right patriot patriots patriotic freedom free truth truths real fact facts reality people
peoples resistance resist revolution rebel rebels trump maga biden obama clinton hillary first
great eagle constitution tea party militia sovereign awake awakening woke exposed expose
uncensored censored banned forbidden hidden secret secrets conspiracy war wars prison planet
alternative alt underground renegade dissident deep storm anon prophecy prophet god jesus christ
christian christians church bible faith catholic islam muslim zion spirit spiritual soul heaven
angel angels holy pray prayer gospel ministry ministries
health healthy healthcare medical medicine med clinic clinics hospital doctor doctors nurse
nursing care cancer heart diabetes vaccine vaccines natural nature naturals organic holistic
herbal herb remedy remedies cure cures wellness well fitness nutrition diet food foods life
living mind mental brain body science sciences scientific scientist research lab labs bio
biology chemistry physics math tech technology data climate environment environmental energy
green earth space psychology therapy treatment recovery addiction rehab pharmacy pharma drug
drugs dental vision eye kids child children baby mom mother parent parents family women woman
men man
university univ college school schools academy academic institute institution education
learning learn study studies student students teacher teachers teach library archive archives
encyclopedia dictionary wiki pedia guide guides how tutorial tutorials notes course courses
class lesson lessons ebook book books journals publishing pub publications publication scholar
society association foundation council center centre museum history historical heritage
knowledge reference answers answer question questions explained
law laws legal lawyer lawyers attorney attorneys justice court courts rights human humans
public tax finance financial bank banking money invest investor investors investing investment
market markets trade trading economy economic economics business biz fund crypto coin bitcoin
insurance loan loans credit estate realty property home homes house housing
shop shopping store stores buy sale sales deal deals discount cheap price prices best top
reviews compare coupon coupons outlet mall brand brands product products supply supplies direct
depot warehouse wholesale factory company corp group solutions services service systems
consulting agency marketing digital web site sites hub zone spot point place land base pro
plus max mart
blog blogs blogger diary thoughts musings tips hacks ideas why what who you your our the and my
travel lifestyle style fashion beauty art arts design photo photos video videos fun funny
humor comedy satire parody sports sport game games gaming play music movie movies film films
entertainment celebrity celeb gossip
true honest red blue black white gold golden silver new old big little small good smart wise
clear pure simple super mega ultra extreme hot cool crazy insane shocking amazing awesome epic
one all every open
noticias noticia diario periodico notizie giornale quotidiano zeitung nachrichten nieuws krant
gazeta jornal presse actu actualite actualidad prensa informe semana hoy tiempo mundo nacional
tribuna
official alliance action project institute policy center council committee coalition
movement mission network watchdog
for day time morning evening line union check anti country front echo flash enterprise defense
view focus gate scoop room brief advance vote rock water things banner box pulse matters just
light spectator rising side advocate affairs military empire think leak leaks collapse defender
opinion future foreign speech high beat messenger middle next occupy ocean power raw reason
social spectrum total activist advertiser angry back tyranny dot border tube corner interest
crime field delta shore king master survival fresh geek healing guard ranger security region
talk prevention monthly mercury summit pet popular populist positive pundit veterans hawk age
air syndicate works forum firearms gun guns ammo atlantic pacific system flag break commercial
club list consumer culture deadline desk fast trends change signal covid corona coronavirus gop
cook mass extra wide sci page word very about out down off over here this are last per oak
know known unknown firm firms partners associates consultants experts expert answers
mexico idaho maine nevada utah kentucky illinois wisconsin jersey dakota louisiana montana
alabama alaska arkansas connecticut delaware hawaii indiana maryland massachusetts minnesota
mississippi missouri nebraska hampshire tennessee vermont wyoming pennsylvania oklahoma
toronto seattle austin columbus philadelphia baltimore portland orleans vegas diego francisco
angeles jose louis memphis nashville pittsburgh cleveland cincinnati milwaukee minneapolis
""".split()
    )
)
# Path words (tokens of the URL path) that may carry signal.
PATH_WORDS = sorted(
    set(
        """
blog blogs news product products shop store handle article articles wiki doi abs pdf story
stories post posts category tag tags topic topics page pages content research publication
publications paper papers journal journals science health conditions condition disease diseases
drugs treatment guide guides how learn resources library education faq help support docs about
services service item items collections catalog detail details view viewer download files
uploads wp sites encyclopedia dictionary definition questions question answers forum forums
thread community reviews review press release releases media video videos book books chapter
law laws legal cases case opinion report reports data statistics policy program courses course
lesson student students school insights magazine editorial lifestyle recipes travel deals buy
cart sale amp index full fulltext abstract pmc pubmed bookshelf ebook
""".split()
    )
)
# Subdomain labels named as such (others are ``sub=other``).
SUB_LABELS = sorted(
    set(
        """
blog blogs news en m shop store library health research journals journal docs help support
wiki edu link online my law pubmed ncbi data apps app forum forums community
""".split()
    )
)


def feature_spec() -> dict[str, Any]:
    return {
        "vocab": VOCAB,
        "path_words": PATH_WORDS,
        "sub_labels": SUB_LABELS,
        "len_edges": LEN_EDGES,
    }


# ----------------------------------------------------------------------------- data


def default_data_dir() -> Path:
    for base in (ROOT.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"):
        if base.is_dir():
            return base
    return ROOT.parent / "shared" / "data"


@dataclass(frozen=True)
class Row:
    """One training example: a URL's parts, a soft target, a weight and its groups."""

    host: str
    domain: str
    suffix: str
    path: str | None  # "/" for the sites of domain lists
    target: float
    weight: float
    origin: str  # "list" or "expertqa"
    annotator: str = ""


def _source(url: str) -> srcscore.Source | None:
    try:
        return srcscore.source_of(url)
    except srcscore.InvalidURLError:
        return None


def _usable(src: srcscore.Source | None) -> bool:
    """A row says something about a name's shape: a domain under a public suffix,
    not an IP address, and not a blog on a platform (``foo.wordpress.com``), whose
    registrable domain is the platform's, not the publisher's.
    """
    return (
        src is not None
        and bool(src.suffix)
        and src.category != "ip"
        and "platform-subdomain" not in src.flags
    )


def _path_of(url: str) -> str:
    rest = url.split("://", 1)[-1]
    slash = rest.find("/")
    return rest[slash:] if slash >= 0 else "/"


def read_lin(data: Path) -> dict[str, float]:
    out = {}
    with (data / "lin2023" / "domain_pc1.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if "/" not in row["domain"]:
                out[row["domain"].strip().lower()] = float(row["pc1"])
    return out


BALY_FILES = ("emnlp18_corpus.tsv", "acl2020_corpus.tsv")  # later wins
BALY_TARGET = {"high": 1.0, "mixed": 0.5, "low": 0.0}


def read_baly(data: Path) -> dict[str, tuple[str, str]]:
    """Registrable domain -> (fact label, home URL); the 2020 corpus wins; ambiguous dropped."""
    out: dict[str, tuple[str, str]] = {}
    for name in BALY_FILES:
        seen: dict[str, set[str]] = defaultdict(set)
        rows: dict[str, str] = {}
        with (data / "baly-mbfc" / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                src = _source(row["source_url"])
                if src is None or not src.suffix:
                    continue
                seen[src.domain].add(row["fact"])
                if src.domain not in rows or src.host == src.domain:
                    rows[src.domain] = row["source_url"]
        for domain, facts in seen.items():
            if len(facts) == 1:
                out[domain] = (next(iter(facts)), rows[domain])
            else:
                out.pop(domain, None)
    return out


IFFY_TARGET = {"VL": 0.0, "L": 0.1, "M": 0.3, "MF": 0.5, "H": 0.8}
CRED_TARGET = {
    "fake": 0.0,
    "conspiracy": 0.05,
    "satire": 0.1,
    "rumor": 0.1,
    "unreliable": 0.15,
    "mixed": 0.35,
}


def read_cred(data: Path) -> dict[str, float]:
    out = {}
    with (data / "iffy-cred1" / "cred1_current.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            fact = (row.get("iffy_factual") or "").strip()
            if fact in IFFY_TARGET:
                out[row["domain"].strip().lower()] = IFFY_TARGET[fact]
            elif row["category"] in CRED_TARGET:
                out[row["domain"].strip().lower()] = CRED_TARGET[row["category"]]
    return out


EXPERTQA_TARGET = {"Reliable": 1.0, "Somewhat reliable": 0.5, "Not reliable at all": 0.0}
_URL_RE = re.compile(r"https?://\S+")


def expertqa_claims(data: Path) -> list[dict[str, Any]]:
    """Claims of the ExpertQA dev split: annotator, reliability label and cited URLs."""
    claims = []
    path = data / "expertqa" / "expertqa_dev.jsonl"
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            for system, answer in record["answers"].items():
                for claim in answer["claims"]:
                    urls = []
                    for item in claim.get("evidence") or []:
                        match = _URL_RE.search(item.split("\n", 1)[0])
                        if match:
                            urls.append(match.group(0))
                    claims.append(
                        {
                            "annotator": record["annotator_id"],
                            "system": system,
                            "reliability": claim.get("reliability"),
                            "urls": urls,
                        }
                    )
    return claims


def training_rows(data: Path) -> tuple[list[Row], dict[str, int]]:
    lin, baly, cred = read_lin(data), read_baly(data), read_cred(data)
    targets: dict[str, list[float]] = defaultdict(list)
    parts: dict[str, tuple[str, str, str]] = {}

    def add(url: str, target: float) -> None:
        src = _source(url)
        if not _usable(src):
            return
        assert src is not None
        targets[src.host].append(target)
        parts[src.host] = (src.host, src.domain, src.suffix)

    for domain, pc1 in sorted(lin.items()):
        add(f"https://{domain}/", pc1)
    for fact, url in sorted(baly.values()):
        add(url, BALY_TARGET[fact])
    for domain, target in sorted(cred.items()):
        add(f"https://{domain}/", target)
    rows = [Row(*parts[h], "/", sum(t) / len(t), 1.0, "list") for h, t in sorted(targets.items())]
    n_list = len(rows)
    for claim in expertqa_claims(data):
        label = EXPERTQA_TARGET.get(claim["reliability"] or "")
        if label is None or not claim["urls"]:
            continue
        for url in claim["urls"]:
            src = _source(url)
            if not _usable(src):
                continue
            assert src is not None
            weight = EXPERTQA_WEIGHT / len(claim["urls"])
            rows.append(
                Row(
                    src.host,
                    src.domain,
                    src.suffix,
                    _path_of(src.url),
                    label,
                    weight,
                    "expertqa",
                    claim["annotator"],
                )
            )
    counts = {
        "lin_domains": len(lin),
        "baly_domains": len(baly),
        "cred_domains": len(cred),
        "list_hosts": n_list,
        "expertqa_url_rows": len(rows) - n_list,
    }
    return rows, counts


def fold_of(key: str, folds: int = FOLDS, salt: str = "srcscore-fallback-v1") -> int:
    digest = hashlib.sha256(f"{salt}|{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % folds


# ----------------------------------------------------------------------------- fit


def _features(spec: FeatureSpec, rows: Sequence[Row]) -> list[list[str]]:
    return [spec.features(r.host, r.domain, r.suffix, r.path) for r in rows]


def _matrix(feats: Sequence[Sequence[str]], index: dict[str, int]) -> sp.csr_matrix:
    indptr, indices = [0], []
    for fs in feats:
        cols = sorted({index[f] for f in fs if f in index})
        indices += cols
        indptr.append(len(indices))
    values = np.ones(len(indices))
    return sp.csr_matrix((values, indices, indptr), shape=(len(feats), len(index)))


def _soft(
    x: sp.csr_matrix, target: np.ndarray, weight: np.ndarray
) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    xx = sp.vstack([x, x]).tocsr()
    yy = np.concatenate([np.ones(len(target)), np.zeros(len(target))])
    ww = np.concatenate([weight * target, weight * (1.0 - target)])
    keep = ww > 0
    return xx[keep], yy[keep], ww[keep]


def _fit(x: sp.csr_matrix, target: np.ndarray, weight: np.ndarray, c: float) -> LogisticRegression:
    xx, yy, ww = _soft(x, target, weight)
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-8)
    model.fit(xx, yy, sample_weight=ww)
    return model


def _logloss(p: np.ndarray, target: np.ndarray, weight: np.ndarray) -> float:
    p = np.clip(p, 1e-9, 1 - 1e-9)
    loss = -(target * np.log(p) + (1 - target) * np.log(1 - p))
    return float(np.sum(weight * loss) / np.sum(weight))


def _vocabulary(feats: Sequence[Sequence[str]]) -> dict[str, int]:
    counts = Counter(f for fs in feats for f in set(fs))
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    return {f: i for i, f in enumerate(names)}


def select_c(
    rows: Sequence[Row],
    feats: Sequence[Sequence[str]],
    grid: Iterable[float] = C_GRID,
) -> tuple[float, dict[str, float]]:
    """Pick C by grouped (registrable-domain) cross-validated weighted log-loss."""
    target = np.array([r.target for r in rows])
    weight = np.array([r.weight for r in rows])
    fold = np.array([fold_of(r.domain) for r in rows])
    scores: dict[str, float] = {}
    grid = tuple(grid)
    for c in grid:
        pred = np.zeros(len(rows))
        for k in range(FOLDS):
            train, test = fold != k, fold == k
            if not test.any() or not train.any():
                continue
            train_feats = [f for f, t in zip(feats, train, strict=True) if t]
            index = _vocabulary(train_feats)
            model = _fit(_matrix(train_feats, index), target[train], weight[train], c)
            test_x = _matrix([f for f, t in zip(feats, test, strict=True) if t], index)
            pred[test] = model.predict_proba(test_x)[:, 1]
        scores[repr(c)] = round(_logloss(pred, target, weight), 6)
    best = min(grid, key=lambda c: (scores[repr(c)], c))
    return best, scores


def row_features(rows: Sequence[Row]) -> list[list[str]]:
    """Feature names of each row, with the feature spec that ships."""
    return _features(FeatureSpec(feature_spec()), rows)


def fit_model(
    rows: Sequence[Row],
    c: float | None = None,
    meta: dict[str, Any] | None = None,
    feats: Sequence[Sequence[str]] | None = None,
) -> dict[str, Any]:
    """Fit on ``rows`` (choosing C by grouped CV unless given) and return the JSON document.

    ``feats`` are the rows' feature names when already computed (see :func:`row_features`).
    """
    if feats is None:
        feats = row_features(rows)
    cv_scores: dict[str, float] = {}
    if c is None:
        c, cv_scores = select_c(rows, feats)
    index = _vocabulary(feats)
    target = np.array([r.target for r in rows])
    weight = np.array([r.weight for r in rows])
    model = _fit(_matrix(feats, index), target, weight, c)
    coef = {f: float(model.coef_[0][i]) for f, i in index.items()}
    intercept = float(model.intercept_[0])
    # Mean mapping: the weighted median training logit maps to 0.5, and the middle
    # 90% of training rows to 0.5 +/- SPREAD.
    z = np.array([intercept + sum(coef.get(f, 0.0) for f in set(fs)) for fs in feats])
    center = _weighted_quantile(z, weight, 0.5)
    width = _weighted_quantile(z, weight, 0.95) - _weighted_quantile(z, weight, 0.05)
    gain = 2 * SPREAD / width if width > 0 else 0.0
    doc: dict[str, Any] = {
        "format": MODEL_FORMAT,
        "version": VERSION,
        "description": (
            "Learned fallback prior of srcscore: logistic regression on URL-structure "
            "features; fitted by benchmarks/train_fallback.py. mean = clip(0.5 + gain * "
            "(logit - center), low, high)."
        ),
        "strength": STRENGTH,
        "mapping": {
            "center": round(center, 10),
            "gain": round(gain, 10),
            "low": LOW,
            "high": HIGH,
            "min_effect": MIN_EFFECT,
        },
        "intercept": round(intercept, 10),
        "coefficients": {f: round(w, 10) for f, w in sorted(coef.items()) if abs(w) >= 1e-10},
        "features": feature_spec(),
        "training": {
            "script": "benchmarks/train_fallback.py",
            "sklearn": sklearn.__version__,
            "C": c,
            "cv_logloss_by_C": cv_scores,
            "folds": f"{FOLDS}-fold, grouped by registrable domain (sha256 hash)",
            "min_count": MIN_COUNT,
            "expertqa_weight": EXPERTQA_WEIGHT,
            "rows": len(rows),
            "features_kept": len(index),
            **(meta or {}),
        },
    }
    return doc


def _weighted_quantile(values: np.ndarray, weight: np.ndarray, q: float) -> float:
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weight[order])
    pos = int(np.searchsorted(cum, q * cum[-1]))
    return float(values[order][min(pos, len(values) - 1)])


def data_fingerprint(data: Path) -> dict[str, str]:
    files = [
        "lin2023/domain_pc1.csv",
        *(f"baly-mbfc/{n}" for n in BALY_FILES),
        "iffy-cred1/cred1_current.csv",
        "expertqa/expertqa_dev.jsonl",
    ]
    return {f: hashlib.sha256((data / f).read_bytes()).hexdigest()[:16] for f in files}


def build(data: Path) -> dict[str, Any]:
    """The whole training run: the JSON document that ships."""
    rows, counts = training_rows(data)
    meta = {"data": counts, "data_sha256_16": data_fingerprint(data)}
    return fit_model(rows, meta=meta)


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=1, sort_keys=False, ensure_ascii=True) + "\n"


def compare(a: dict[str, Any], b: dict[str, Any], tol: float = 1e-4) -> list[str]:
    """Differences between two model documents beyond ``tol`` (empty when they agree)."""
    out = []
    for key in ("version", "features", "strength"):
        if a.get(key) != b.get(key):
            out.append(f"{key} differs")
    if abs(a["intercept"] - b["intercept"]) > tol:
        out.append(f"intercept {a['intercept']} != {b['intercept']}")
    for name in sorted(set(a["coefficients"]) | set(b["coefficients"])):
        x, y = a["coefficients"].get(name, 0.0), b["coefficients"].get(name, 0.0)
        if abs(x - y) > tol:
            out.append(f"coefficient {name}: {x} != {y}")
    for key in ("center", "gain"):
        if abs(a["mapping"][key] - b["mapping"][key]) > tol:
            out.append(f"mapping {key} differs")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="the shared data directory")
    parser.add_argument("--out", default=str(OUT), help="output JSON file, or - for stdout")
    parser.add_argument("--check", action="store_true", help="compare with the shipped JSON")
    args = parser.parse_args(argv)
    data = args.data or default_data_dir()
    if not data.is_dir():
        print(f"data directory not found: {data}", file=sys.stderr)
        return 2
    doc = build(data)
    FallbackModel(doc)  # validates
    tr = doc["training"]
    print(
        f"rows {tr['rows']} ({tr['data']}), features kept {tr['features_kept']}, "
        f"C {tr['C']} (CV log-loss {tr['cv_logloss_by_C']})",
        file=sys.stderr,
    )
    top = sorted(doc["coefficients"].items(), key=lambda kv: -abs(kv[1]))[:25]
    print("largest coefficients: " + ", ".join(f"{k} {v:+.2f}" for k, v in top), file=sys.stderr)
    if args.check:
        shipped = json.loads(OUT.read_text(encoding="utf-8"))
        diffs = compare(shipped, doc)
        print("\n".join(diffs) or "the shipped model is reproduced", file=sys.stderr)
        return 1 if diffs else 0
    if args.out == "-":
        sys.stdout.write(dumps(doc))
    else:
        Path(args.out).write_text(dumps(doc), encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
