"""Priors: the embedded default table, user tables, overrides and the fallback chain."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

import srcscore
from srcscore import CATEGORIES, Prior, Priors, PriorsError, source_of
from srcscore._priors import NEUTRAL, rule_prior


def write(tmp_path: Path, text: str, name: str = "ratings.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the default table -------------------------------------------------------------


def test_default_table_loads_and_is_cached() -> None:
    table = Priors.default()
    assert isinstance(table, Priors)
    assert Priors.default() is table
    assert "default" in table.name


def test_default_table_is_large_enough() -> None:
    assert len(Priors.default()) >= 1500


def test_default_table_rows_are_valid() -> None:
    table = Priors.default()
    for key in table:
        prior = table.get(key)
        assert prior is not None
        assert 0.0 <= prior.mean <= 1.0, key
        assert 0.0 < prior.strength < 1e6 and math.isfinite(prior.strength), key
        assert prior.category in CATEGORIES, key
        assert prior.provenance.endswith(key)
        # keys are normalised: lower case, no scheme, no www., no trailing slash
        assert key == key.lower().strip(), key
        assert "://" not in key and not key.startswith("www.") and not key.endswith("/"), key
        assert " " not in key, key


def test_default_table_keys_are_hosts_on_public_suffixes_with_notes() -> None:
    # Curated rows must name a real host (a known public suffix, so a typo such
    # as "example.cmo" fails) and say what the source is: the note is the row's
    # explanation in reports and in `srcscore priors show`.
    table = Priors.default()
    for key in table:
        prior = table.get(key)
        assert prior is not None and prior.note.strip(), key
        if "/" in key:
            continue  # platform publishers such as twitter.com/nasa
        assert source_of(f"https://{key}/").suffix, key


def test_default_table_does_not_rate_whole_hosting_services_as_publishers() -> None:
    # A row on a host whose subdomains or URLs carry other people's pages would
    # pass its mean to all of them through the parent-domain fallback.
    table = Priors.default()
    for key in ("translate.google.com", "wpengine.com", "translate.goog"):
        assert table.get(key) is None, key
    for host in ("blogspot.com", "wordpress.com", "substack.com"):
        prior = table.get(host)
        assert prior is not None and prior.mean <= 0.6, host


def test_default_table_has_some_variety() -> None:
    table = Priors.default()
    means = [table.get(k).mean for k in table]  # type: ignore[union-attr]
    categories = {table.get(k).category for k in table}  # type: ignore[union-attr]
    assert min(means) < 0.4 < 0.8 < max(means)
    assert len(categories) >= 5


def test_default_table_covers_wires_above_unknowns() -> None:
    for url in ["https://apnews.com/x", "https://www.reuters.com/y"]:
        prior = source_of(url).prior()
        assert prior.mean > NEUTRAL.mean
        assert prior.strength > NEUTRAL.strength
        assert "default" in prior.provenance


# --- user tables ---------------------------------------------------------------------


def test_csv_with_header(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "domain,score,strength,category,note\n"
        "example-one.com,0.9,30,news,a note\n"
        "https://www.Example-Two.org/,0.2,,blog,\n",
    )
    table = Priors.from_csv(path)
    assert len(table) == 2
    one = table.get("example-one.com")
    assert one == Prior(0.9, 30.0, "news", "ratings.csv: example-one.com", "a note")
    two = table.get("example-two.org")
    assert two is not None
    assert (two.mean, two.category) == (0.2, "blog")
    assert two.strength > 0  # default strength when the field is empty


def test_csv_without_header(tmp_path: Path) -> None:
    path = write(tmp_path, "example-one.com,0.9\nexample-two.org,0.3,7\n")
    table = Priors.from_csv(path)
    assert len(table) == 2
    assert table.get("example-one.com").mean == 0.9  # type: ignore[union-attr]
    two = table.get("example-two.org")
    assert (two.mean, two.strength, two.category) == (0.3, 7.0, "unknown")  # type: ignore[union-attr]


def test_strength_is_optional_and_defaults_to_the_same_value(tmp_path: Path) -> None:
    table = Priors.from_csv(write(tmp_path, "a-site.com,0.7\nb-site.com,0.7,\n"))
    a, b = table.get("a-site.com"), table.get("b-site.com")
    assert a is not None and b is not None
    assert a.strength == b.strength > 0


def test_header_aliases_mean_and_pc1(tmp_path: Path) -> None:
    for column in ["mean", "pc1", "score"]:
        table = Priors.from_csv(write(tmp_path, f"domain,{column}\nsite-a.com,0.61\n"))
        assert table.get("site-a.com").mean == 0.61  # type: ignore[union-attr]


def test_labels(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "very-high.com,very high\nhigh.com,High\nmostly.com,mostly factual\n"
        "mixed.com,mixed\nlow.com,LOW\nvery-low.com,very low\n",
    )
    table = Priors.from_csv(path)
    means = [
        table.get(k).mean  # type: ignore[union-attr]
        for k in ["very-high.com", "high.com", "mostly.com", "mixed.com", "low.com", "very-low.com"]
    ]
    assert means == sorted(means, reverse=True)
    assert len(set(means)) == len(means)
    assert means[1] > 0.5 > means[4]
    assert table.get("mixed.com").mean == pytest.approx(0.5)  # type: ignore[union-attr]
    assert all(0 <= m <= 1 for m in means)


def test_comments_blank_lines_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffdomain,score\n# a comment\n\nsite-a.com,0.4\n".encode())
    table = Priors.from_csv(path)
    assert list(table) == ["site-a.com"]


def test_path_level_keys(tmp_path: Path) -> None:
    table = Priors.from_csv(write(tmp_path, "twitter.com/SomeAgency,0.85,10,government\n"))
    assert "twitter.com/someagency" in table
    prior = source_of("https://x.com/someagency/status/1").prior(table)
    assert prior.mean == 0.85
    assert prior.category == "government"


def test_empty_file_gives_an_empty_table(tmp_path: Path) -> None:
    assert len(Priors.from_csv(write(tmp_path, ""))) == 0


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        ("bad-score.com,1.5", "outside"),
        ("bad-score.com,-0.1", "outside"),
        ("bad-score.com,nan", ""),
        ("bad-score.com,excellent", "label"),
        ("bad-strength.com,0.5,-3", "strength"),
        ("bad-strength.com,0.5,0", "strength"),
        ("bad-strength.com,0.5,lots", "strength"),
        ("bad-category.com,0.5,10,tabloidish", "category"),
        (",0.5", "domain"),
        ("javascript:alert(1),0.5", "domain"),
        ("only-a-domain.com", ""),
    ],
)
def test_bad_rows_raise_naming_file_and_row(tmp_path: Path, row: str, reason: str) -> None:
    # no header: the bad row is data row 3 and line 3 of the file
    path = write(tmp_path, f"good-a.com,0.5\ngood-b.com,0.6\n{row}\n", "my-ratings.csv")
    with pytest.raises(PriorsError) as info:
        Priors.from_csv(path)
    message = str(info.value)
    assert "my-ratings.csv" in message
    assert re.search(r"\b(?:row|line) 3\b", message), message
    assert reason in message.lower()
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, srcscore.InputError)
    assert isinstance(info.value, srcscore.SrcscoreError)


def test_bad_row_is_located_by_its_line_in_the_file(tmp_path: Path) -> None:
    # The docstring promises "the file and line of the first bad row": with a header
    # and a comment before it, the bad row is on line 4 of the file.
    path = write(tmp_path, "domain,score\n# comment\ngood.com,0.5\nbad.com,2\n", "rated.csv")
    with pytest.raises(PriorsError) as info:
        Priors.from_csv(path)
    assert "rated.csv" in str(info.value)
    assert re.search(r"\b(?:row|line) 4\b", str(info.value)), str(info.value)


def test_missing_file_raises_priors_error(tmp_path: Path) -> None:
    with pytest.raises(PriorsError, match="not found"):
        Priors.from_csv(tmp_path / "nope.csv")


def test_non_utf8_file_raises_priors_error(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("caf\xe9.com,0.5\n".encode("latin-1"))
    with pytest.raises(PriorsError, match=r"latin1\.csv"):
        Priors.from_csv(path)


def test_from_rows_requires_domain_and_score() -> None:
    with pytest.raises(PriorsError, match="row 1"):
        Priors.from_rows([{"domain": "x-site.com"}], "rows")
    table = Priors.from_rows([{"domain": "x-site.com", "mean": "0.3"}], "rows")
    assert table.get("x-site.com").provenance == "rows: x-site.com"  # type: ignore[union-attr]


# --- overrides -------------------------------------------------------------------------


def test_override_wins(tmp_path: Path) -> None:
    default = Priors.default()
    base = source_of("https://apnews.com/article/x").prior()
    user = Priors.from_csv(write(tmp_path, "apnews.com,0.11,3,news\n", "mine.csv"))
    merged = default.with_overrides(user)
    got = source_of("https://apnews.com/article/x").prior(merged)
    assert got.mean == 0.11 != base.mean
    assert got.provenance == "mine.csv: apnews.com"
    # entries the override does not name still come from the default
    assert (
        source_of("https://www.reuters.com/x").prior(merged)
        == source_of("https://www.reuters.com/x").prior()
    )
    assert len(merged) >= len(default)
    # the default itself is unchanged
    assert source_of("https://apnews.com/article/x").prior() == base


def test_override_used_by_score_text(tmp_path: Path) -> None:
    text = "Officials confirmed the plan [1].\n\nReferences\n[1] https://apnews.com/article/x\n"
    low = write(tmp_path, "apnews.com,0.05,50\n", "low.csv")
    default_report = srcscore.score_text(text)
    low_report = srcscore.score_text(text, priors=low)
    assert low_report.references[0].prior == 0.05
    assert low_report.claims[0].score < default_report.claims[0].score


# --- the fallback chain ---------------------------------------------------------------

KEYS = ("example.gov/@alice", "a.b.example.gov", "b.example.gov", "example.gov")


def _table(keys: tuple[str, ...]) -> Priors:
    means = {k: 0.1 + 0.2 * i for i, k in enumerate(KEYS)}
    return Priors({k: Prior(means[k], 5.0, "news", f"t: {k}") for k in keys}, "t")


def test_fallback_chain_order() -> None:
    # platform key, then host, then parent host, then registrable domain ...
    for start in range(len(KEYS)):
        table = _table(KEYS[start:])
        found = table.lookup(KEYS, "gov")
        assert found.provenance == f"t: {KEYS[start]}"
    # ... then a rule on the suffix ...
    ruled = _table(()).lookup(KEYS, "gov")
    assert ruled.provenance.startswith("rule:")
    assert ruled.category == "government"
    # ... then neutral
    keys = ("plain-unlisted-site.com",)
    assert _table(()).lookup(keys, "com") is NEUTRAL
    assert NEUTRAL.provenance.startswith("neutral")


def test_more_specific_key_wins_even_if_listed_later() -> None:
    table = Priors(
        {
            "example.gov": Prior(0.3, 5.0, "news", "t: example.gov"),
            "a.b.example.gov": Prior(0.9, 5.0, "news", "t: a.b.example.gov"),
        }
    )
    assert table.lookup(KEYS, "gov").mean == 0.9


def test_fallback_chain_through_source_of(tmp_path: Path) -> None:
    table = Priors.from_csv(
        write(
            tmp_path,
            "somebody.substack.com,0.7,10,blog\nsubstack.com,0.45,5,blog\n"
            "news.example-paper.co.uk,0.8\nexample-paper.co.uk,0.6\n",
        )
    )
    assert source_of("https://somebody.substack.com/p/1").prior(table).mean == 0.7
    assert source_of("https://nobody.substack.com/p/1").prior(table).mean == 0.45
    assert source_of("https://news.example-paper.co.uk/x").prior(table).mean == 0.8
    assert source_of("https://www.example-paper.co.uk/x").prior(table).mean == 0.6
    assert source_of("https://sport.example-paper.co.uk/x").prior(table).mean == 0.6
    gov = source_of("https://unlisted-agency.gov/x").prior(table)
    assert gov.provenance.startswith("rule:") and gov.category == "government"
    neutral = source_of("https://qzvx-unlisted.net/x").prior(table)
    assert (neutral.mean, neutral.provenance) == (NEUTRAL.mean, NEUTRAL.provenance)


@pytest.mark.parametrize(
    ("suffix", "category"),
    [
        ("gov", "government"),
        ("mil", "government"),
        ("gov.uk", "government"),
        ("gouv.fr", "government"),
        ("go.jp", "government"),
        ("int", "intergovernmental"),
        ("edu", "academic"),
        ("ac.uk", "academic"),
        ("edu.au", "academic"),
        ("com", None),
        ("co.uk", None),
        ("", None),
    ],
)
def test_rule_prior(suffix: str, category: str | None) -> None:
    found = rule_prior(suffix)
    if category is None:
        assert found is None
    else:
        assert found is not None
        assert found.category == category
        assert 0.5 < found.mean < 1
        assert suffix in found.provenance


def test_prior_alpha_beta() -> None:
    p = Prior(0.8, 10.0)
    assert p.alpha == pytest.approx(8.0)
    assert p.beta == pytest.approx(2.0)


def test_embedded_table_is_stored_normalised() -> None:
    # The default table is read without canonicalising its keys, for speed:
    # this keeps that shortcut honest, and reading it the careful way agrees.
    from importlib import resources

    from srcscore import Priors

    text = resources.files("srcscore").joinpath("data/priors.csv").read_text("utf-8")
    careful = Priors.from_csv_text(text, "careful")
    fast = Priors.default()
    assert sorted(careful) == sorted(fast)
    for key in fast:
        a, b = fast.get(key), careful.get(key)
        assert a is not None and b is not None
        assert (a.mean, a.strength, a.category, a.note) == (b.mean, b.strength, b.category, b.note)
