"""The learned model: training, JSON round trip, validation, evaluation, CLI."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path
from typing import Any

import pytest

import srcscore
from srcscore._cli import main
from srcscore._features import FEATURES
from srcscore._model import Model, expected_calibration_error
from srcscore._train import measure

GOOD = ["apnews.com", "reuters.com", "bbc.co.uk", "nature.com", "cdc.gov", "nytimes.com"]
BAD = ["infowars.com", "naturalnews.com", "some-random-blog.blogspot.com", "x.com/someone"]


def labelled_docs(n: int = 60, seed: int = 3) -> list[dict[str, Any]]:
    """Documents whose claims are labelled 1 when they cite a reliable outlet."""
    rng = random.Random(seed)
    docs = []
    for d in range(n):
        refs, claims = [], []
        for j in range(4):
            good = rng.random() < 0.5
            domain = rng.choice(GOOD if good else BAD)
            refs.append({"id": j + 1, "url": f"https://{domain}/story-{d}-{j}"})
            # Labels agree with the source most of the time, not always.
            label = good if rng.random() < 0.85 else not good
            claims.append(
                {"text": f"Claim {j} of document {d}.", "references": [j + 1], "label": label}
            )
        docs.append({"id": f"doc-{d}", "references": refs, "claims": claims})
    return docs


def test_train_learns_a_real_signal_and_records_honest_cv_metrics() -> None:
    model = srcscore.train(labelled_docs(), label="label")
    assert model.features == FEATURES
    assert model.metrics["n"] == 240
    assert model.metrics["cv_auc"] > 0.75  # the labels follow the source 85% of the time
    assert model.metrics["cv_ece"] > 0.0  # calibration measured out of fold, not in sample
    good = srcscore.score_document(
        {
            "references": [{"id": 1, "url": "https://apnews.com/x"}],
            "claims": [{"text": "A.", "references": [1]}],
        },
        model=model,
    )
    bad = srcscore.score_document(
        {
            "references": [{"id": 1, "url": "https://infowars.com/x"}],
            "claims": [{"text": "A.", "references": [1]}],
        },
        model=model,
    )
    assert good.claims[0].score > bad.claims[0].score
    assert "Learned model (label)" in good.claims[0].explanation
    lo, hi = good.claims[0].interval
    assert 0 <= lo <= good.claims[0].score <= hi <= 1


def test_model_json_round_trip(tmp_path: Path) -> None:
    model = srcscore.train(labelled_docs(30), label="label")
    path = tmp_path / "m.json"
    model.save(path)
    again = srcscore.load_model(path)
    assert again == model
    x = [0.5] * len(FEATURES)
    assert again.predict(x) == model.predict(x)


def _valid() -> dict[str, Any]:
    n = len(FEATURES)
    return Model(
        FEATURES, (0.0,) * n, (1.0,) * n, (0.1,) * n, 0.0, (0.2, 0.8), (0.1, 0.9)
    ).to_dict()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="other"), "not a srcscore model"),
        (lambda d: d.update(version=99), "version 99 is not supported"),
        (lambda d: d.update(features=["nope"]), "unknown features nope"),
        (lambda d: d.update(features=list(reversed(FEATURES))), "not in srcscore's order"),
        (lambda d: d.update(coef=[1.0]), "'coef' has 1 values"),
        (lambda d: d.update(scale=[0.0] * len(FEATURES)), "must be positive"),
        (lambda d: d.update(intercept="x"), "'intercept' must be a finite number"),
        (lambda d: d.update(intercept=10**400), "'intercept' must be a finite number"),
        (lambda d: d.update(coef=[10**400] * len(FEATURES)), "'coef' must be a list of finite"),
        (
            lambda d: d.update(version=2, calibration={"method": "platt", "a": 10**400, "b": 0}),
            "Platt calibration needs finite numbers",
        ),
        (lambda d: d["calibration"].update(y=[0.9, 0.1]), "increasing"),
        (lambda d: d["calibration"].update(method="magic"), "unknown calibration"),
    ],
)
def test_invalid_models_are_refused_with_the_reason(change: Any, message: str) -> None:
    data = _valid()
    change(data)
    with pytest.raises(srcscore.ModelError, match=message):
        Model.from_dict(data)


def test_model_file_errors(tmp_path: Path) -> None:
    with pytest.raises(srcscore.ModelError, match="not found"):
        srcscore.load_model(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(srcscore.ModelError, match="invalid JSON"):
        srcscore.load_model(bad)
    assert issubclass(srcscore.ModelError, ValueError)


def test_calibration_map_is_monotone_and_clipped() -> None:
    n = len(FEATURES)
    model = Model(FEATURES, (0.0,) * n, (1.0,) * n, (0.0,) * n, 0.0, (0.2, 0.6), (0.1, 0.7))
    assert model.predict([0.0] * n) == pytest.approx(0.1 + (0.7 - 0.1) * (0.5 - 0.2) / 0.4)
    low = Model(FEATURES, (0.0,) * n, (1.0,) * n, (0.0,) * n, -5.0, (0.2, 0.6), (0.1, 0.7))
    assert low.predict([0.0] * n) == 0.1


def test_training_needs_both_labels() -> None:
    docs = labelled_docs(5)
    for d in docs:
        for c in d["claims"]:
            c["label"] = True
    with pytest.raises(srcscore.ModelError, match="both labels"):
        srcscore.train(docs)


def test_bad_labels_and_documents_are_named() -> None:
    docs = labelled_docs(2)
    docs[1]["claims"][2]["label"] = "yes"
    with pytest.raises(srcscore.ModelError, match="document 2: claim 3: label"):
        srcscore.train(docs)
    with pytest.raises(srcscore.InputError, match="need a 'claims' list"):
        srcscore.train([{"text": "No claims given [1]."}])


def test_measure_matches_hand_computed_values() -> None:
    labels = [1, 1, 0, 0]
    scores = [0.9, 0.4, 0.4, 0.1]
    result = measure(labels, scores)
    # Pairs (pos, neg): (0.9>0.4), (0.9>0.1), (0.4=0.4 -> 1/2), (0.4>0.1): 3.5 / 4.
    assert result.auc == pytest.approx(0.875)
    assert result.brier == pytest.approx((0.01 + 0.36 + 0.16 + 0.01) / 4)
    assert result.ece == pytest.approx(expected_calibration_error(labels, scores))
    # Bins: [0.1] -> |0.1 - 0|, [0.4, 0.4] -> |0.4 - 0.5|, [0.9] -> |0.9 - 1|.
    assert result.ece == pytest.approx((0.1 + 2 * 0.1 + 0.1) / 4)
    assert measure([1, 1], [0.3, 0.8]).auc is None


def _labels_file(tmp_path: Path, n: int) -> Path:
    labels = tmp_path / "labels.jsonl"
    labels.write_text("\n".join(json.dumps(d) for d in labelled_docs(n)) + "\n")
    return labels


def test_cli_train_evaluate_and_score_with_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = _labels_file(tmp_path, 40)
    model = tmp_path / "model.json"
    assert main(["train", str(labels), "-o", str(model)]) == 0
    assert "cross-validated AUC" in capsys.readouterr().out
    assert main(["evaluate", str(labels), "--model", str(model), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["n"] == 160 and result["auc"] > 0.75
    assert main(["evaluate", str(labels)]) == 0  # the hand-set model
    assert capsys.readouterr().out.startswith("claims 160")
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(labelled_docs(1)[0]))
    assert main(["score", str(doc), "--model", str(model)]) == 0
    assert "Learned model" in capsys.readouterr().out


def test_cli_bad_model_file_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "m.json"
    bad.write_text('{"format": "srcscore-model", "version": 7}')
    assert main(["score", "examples/battery-plant-article.txt", "--model", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "version 7 is not supported" in err


def test_cli_train_unwritable_output_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = _labels_file(tmp_path, 10)
    assert main(["train", str(labels), "-o", str(tmp_path)]) == 1  # a directory
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("srcscore: error: ")
    assert str(tmp_path) in err and "internal error" not in err


def test_cli_bad_label_line_names_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps(labelled_docs(1)[0]) + "\n{oops\n")
    assert main(["train", str(labels), "-o", str(tmp_path / "m.json")]) == 1
    assert "line 2" in capsys.readouterr().err


def test_reliability_diagram_png_or_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = _labels_file(tmp_path, 10)
    png = tmp_path / "diagram.png"
    status = main(["evaluate", str(labels), "--plot", str(png)])
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert status == 1
        assert "needs matplotlib" in capsys.readouterr().err
    else:
        assert status == 0
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _v2(**extra: Any) -> dict[str, Any]:
    n = len(FEATURES)
    doc = Model(
        FEATURES,
        (0.0,) * n,
        (1.0,) * n,
        (0.0,) * n,
        0.5,
        offset="hand_score",
        platt=(0.5, -0.25),
    ).to_dict()
    doc.update(extra)
    return doc


def test_format_version_2_offset_and_platt_round_trip_and_predict() -> None:
    doc = _v2()
    assert doc["version"] == 2 and doc["offset"] == "hand_score"
    assert doc["calibration"] == {"method": "platt", "a": 0.5, "b": -0.25}
    model = Model.from_dict(json.loads(json.dumps(doc)))
    assert model.offset == "hand_score" and model.platt == (0.5, -0.25)
    x = [0.0] * len(FEATURES)
    x[FEATURES.index("hand_score")] = 0.8
    z = 0.5 + math.log(0.8 / 0.2)  # intercept + the offset's log-odds (coefficients are 0)
    assert model.log_odds(x) == pytest.approx(z)
    assert model.predict(x) == pytest.approx(1 / (1 + math.exp(-(0.5 * z - 0.25))))
    # The offset's push is measured from the log-odds of its training mean (0 here,
    # clipped), and named after the feature.
    name, push = model.contributions(x)[0]
    assert name == "hand_score" and push > 0


def test_version_1_models_still_load_and_are_still_written() -> None:
    doc = _valid()
    assert doc["version"] == 1 and "offset" not in doc
    model = Model.from_dict(doc)
    assert model.offset is None and model.platt is None


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (_v2(offset="nope"), "'offset' must name one of the model's features"),
        (_v2(version=1), "'offset' must name one of the model's features"),
        (_v2(offset=None, version=1), "unknown calibration 'platt'"),
        (_v2(calibration={"method": "platt", "a": "x", "b": 0}), "finite numbers 'a' and 'b'"),
        (_v2(calibration={"method": "platt", "a": -1.0, "b": 0}), "must not be negative"),
        (_v2(version=True), "version True is not supported"),
    ],
)
def test_invalid_version_2_models_are_refused(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(srcscore.ModelError, match=message):
        Model.from_dict(doc)


def test_train_with_platt_calibration_and_the_hand_set_offset(tmp_path: Path) -> None:
    model = srcscore.train(labelled_docs(), label="label", calibration="platt", offset="hand_score")
    assert model.offset == "hand_score"
    assert model.platt is not None and model.platt[0] > 0
    assert not model.calibration_x
    assert model.metrics["cv_auc"] > 0.75
    assert model.metrics["calibration"] == "platt"
    path = tmp_path / "m.json"
    model.save(path)
    assert srcscore.load_model(path) == model
    x = [0.5] * len(FEATURES)
    assert srcscore.load_model(path).predict(x) == model.predict(x)
    with pytest.raises(srcscore.ModelError, match="unknown calibration"):
        srcscore.train(labelled_docs(10), label="label", calibration="magic")
    with pytest.raises(srcscore.ModelError, match="offset 'nope'"):
        srcscore.train(labelled_docs(10), label="label", offset="nope")


def test_cli_train_with_platt_and_offset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = _labels_file(tmp_path, 30)
    out = tmp_path / "m.json"
    args = ["train", str(labels), "-o", str(out), "--calibration", "platt"]
    args += ["--offset", "hand_score"]
    assert main(args) == 0
    saved = json.loads(out.read_text())
    assert saved["version"] == 2 and saved["calibration"]["method"] == "platt"
    assert "cross-validated AUC" in capsys.readouterr().out


def test_deeply_nested_model_json_is_a_model_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(srcscore.ModelError, match="nested too deeply"):
        srcscore.load_model(path)
    assert main(["score", "examples/battery-plant-article.txt", "--model", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" not in err


@pytest.mark.parametrize("c", [0.0, -1.0, math.nan])
def test_training_refuses_a_c_that_is_not_positive(
    c: float, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(srcscore.ModelError, match="must be positive"):
        srcscore.train(labelled_docs(5), c=c)
    labels = _labels_file(tmp_path, 5)
    assert main(["train", str(labels), "-o", str(tmp_path / "m.json"), "--c", str(c)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "must be positive" in err


def test_too_few_claims_per_label_is_a_model_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = labelled_docs(1)[0]
    for claim, label in zip(doc["claims"], [True, False, True, False], strict=True):
        claim["label"] = label
    with pytest.raises(srcscore.ModelError, match="too few claims of each label"):
        srcscore.train([doc])
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps(doc))
    assert main(["train", str(labels), "-o", str(tmp_path / "m.json")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" not in err
