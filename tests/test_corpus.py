"""Corpus mode: linking claims across documents, learning source trust, CLI --corpus."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import srcscore
from srcscore._cli import main
from srcscore._corpus import claim_key

FACTS = [
    ("Acme revenue jumped {} percent in the June quarter.", "26", "18"),
    ("The Elm Street bridge reopened after {} months of repairs.", "14", "30"),
    ("Wind power supplied {} percent of the grid last winter.", "31", "55"),
    ("The council approved a budget of {} million euros.", "120", "300"),
    ("Factory output rose {} percent in March.", "2", "9"),
    ("The mayor's approval rating stood at {} percent.", "48", "12"),
]


def corpus() -> list[dict[str, Any]]:
    """Articles where apnews.com and an unknown site agree, and a third site contradicts them."""
    docs = []
    for i, (template, true, false) in enumerate(FACTS):
        for j, (domain, value) in enumerate(
            [("apnews.com", true), ("quiet-local-gazette.example", true),
             ("loud-rumour-mill.example", false)]
        ):  # fmt: skip
            docs.append(
                {
                    "id": f"doc-{i}-{j}",
                    "references": [{"id": 1, "url": f"https://{domain}/story-{i}"}],
                    "claims": [{"text": template.format(value), "references": [1]}],
                }
            )
    return docs


def test_claim_key_masks_numbers() -> None:
    a = claim_key("Alibaba's cloud revenue jumped 26% in the June quarter.")
    b = claim_key("alibaba's cloud revenue jumped 18% in the June quarter")
    assert a is not None and b is not None
    assert a[0] == b[0] and a[1] != b[1]
    assert claim_key("Yes.") is None


def test_corroborated_sources_gain_trust_and_contradicted_ones_lose_it() -> None:
    table, sources = srcscore.learn_sources(corpus())
    rows = {s.source: s for s in sources}
    quiet = rows["quiet-local-gazette.example"]
    loud = rows["loud-rumour-mill.example"]
    assert quiet.claims == loud.claims == 6
    assert quiet.agreements == 6 and loud.agreements == 0
    assert quiet.conflicts == 6 and loud.conflicts == 6
    assert quiet.posterior > quiet.prior
    assert loud.posterior < loud.prior
    assert quiet.posterior > loud.posterior
    learned = srcscore.source_of("https://quiet-local-gazette.example/x").prior(table)
    assert learned.provenance.startswith("corpus: prior_sums")
    assert learned.mean == pytest.approx(quiet.posterior, abs=1e-3)


def test_score_corpus_uses_what_it_learned() -> None:
    docs = corpus()
    plain = [srcscore.score_document(d) for d in docs]
    reports, _ = srcscore.score_corpus(docs)
    by_id = {r.id: r for r in reports}
    before = {r.id: r for r in plain}
    assert by_id["doc-0-1"].score > before["doc-0-1"].score  # corroborated
    assert by_id["doc-0-2"].score < before["doc-0-2"].score  # contradicted


def test_empty_or_unlinkable_corpus_changes_nothing() -> None:
    table, sources = srcscore.learn_sources(
        [{"text": "Short [1].\n\nReferences:\n[1] apnews.com/x"}]
    )
    assert sources == []
    assert table is srcscore.Priors.default()


def test_cli_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(d) for d in corpus()) + "\n{bad line\n")
    assert main(["score", str(path), "--corpus", "--format", "jsonl"]) == 1  # the bad line
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sum(1 for r in lines if "score" in r) == 18
    assert any(r.get("line") == 19 for r in lines)
    table = lines[-1]["sources"]
    assert {row["source"] for row in table} >= {"apnews.com", "loud-rumour-mill.example"}
    assert set(table[0]) >= {"source", "prior", "posterior", "claims", "agreements", "conflicts"}
    out = tmp_path / "sources.jsonl"
    assert main(["score", str(path), "--corpus", "--sources", str(out), "--format", "json"]) == 1
    assert len(out.read_text().splitlines()) == 3
    with pytest.raises(SystemExit) as info:
        main(["score", str(path), "--sources", str(out)])
    assert info.value.code == 2
