"""Importing open rating sets, combining them with the default, and fetching them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest

import srcscore
from _shared import SHARED_DATA
from srcscore import _ratings
from srcscore._cli import main
from srcscore._ratings import RATING_SETS, fetch_rating_set, read_ratings, read_ratings_text


def test_generic_csv_with_labels_and_numbers() -> None:
    table = read_ratings_text("domain,score,strength\nexample.com,high,\nother.org,0.3,4\n")
    assert table.get("example.com") is not None
    assert table.get("example.com").mean == pytest.approx(0.82)
    assert table.get("other.org").strength == 4


def test_lin2023_format_reads_pc1() -> None:
    table = read_ratings_text("domain,pc1\nwww.Example.com,0.91\nbad.net,0.05\n", name="lin")
    assert table.get("example.com").mean == pytest.approx(0.91)
    assert table.get("bad.net").mean == pytest.approx(0.05)
    assert table.get("example.com").provenance == "lin: example.com"


def test_mbfc_tsv_is_detected_from_its_fact_column() -> None:
    text = "source_url\tsource_url_normalized\tref\tfact\tbias\n" + (
        "https://a.com\ta.com\tx\thigh\tleft\nhttps://b.com\tb.com\tx\tlow\tright\n"
        "https://c.com\tc.com\tx\tmixed\tcenter\n"
    )
    table = read_ratings_text(text)
    assert [round(table.get(d).mean, 2) for d in ("a.com", "b.com", "c.com")] == [0.82, 0.25, 0.5]


def test_wikipedia_statuses() -> None:
    text = (
        "domain,status\nwire.example,generally reliable\nmeh.example,no consensus\n"
        "bad.example,generally unreliable\ngone.example,deprecated\nspam.example,blacklisted\n"
    )
    table = read_ratings_text(text, "wikipedia-rsp")
    means = [table.get(d + ".example").mean for d in ("wire", "meh", "bad", "gone", "spam")]
    assert means == sorted(means, reverse=True)
    assert means[0] > 0.8 and means[-1] < 0.1


def test_iffy_list_marks_domains_unreliable_by_category() -> None:
    text = (
        "domain,category,credibility_score,iffy_factual\n"
        "fake.example,fake,0.1,VL\nsat.example,satire,0.2,\nmix.example,mixed,0.5,M\n"
    )
    table = read_ratings_text(text)
    assert table.get("fake.example").mean < table.get("mix.example").mean
    assert table.get("sat.example").category == "satire"


def test_bad_rows_of_a_third_party_set_are_skipped_and_named(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("domain,fact\na.com,high\nb.com,excellent\nc .com,low\nd.com,low\n")
    table = read_ratings(path, "mbfc")
    assert sorted(table) == ["a.com", "d.com"]
    assert len(table.warnings) == 2
    assert "r.csv: line 3" in table.warnings[0] and "'excellent'" in table.warnings[0]


def test_bad_row_of_the_users_own_csv_raises(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("domain,score\na.com,high\nb.com,excellent\n")
    with pytest.raises(srcscore.PriorsError, match=r"mine\.csv: line 3: .*'excellent'"):
        read_ratings(path)


def test_unknown_format_and_missing_column_are_clear() -> None:
    with pytest.raises(srcscore.PriorsError, match="unknown ratings format"):
        read_ratings_text("domain,score\n", "xml")
    with pytest.raises(srcscore.PriorsError, match="no rating column"):
        read_ratings_text("domain,colour\na.com,red\n", "mbfc")


def test_override_wins_and_pool_adds_pseudo_counts() -> None:
    default = srcscore.Priors.from_rows([{"domain": "a.com", "score": "0.9", "strength": "30"}])
    user = srcscore.Priors.from_rows([{"domain": "a.com", "score": "0.3", "strength": "10"}])
    assert default.with_overrides(user).get("a.com").mean == pytest.approx(0.3)
    pooled = default.pooled_with(user).get("a.com")
    assert pooled.strength == 40
    assert pooled.mean == pytest.approx((0.9 * 30 + 0.3 * 10) / 40)
    assert pooled.provenance.startswith("pooled: ")


def _set_content(name: str) -> bytes:
    return f"fake {name} content".encode()


def test_fetch_checks_checksum_and_writes_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = b"domain,pc1\nexample.com,0.9\n"
    url, _, fmt, about = RATING_SETS["lin2023"]
    monkeypatch.setitem(RATING_SETS, "lin2023", (url, hashlib.sha256(body).hexdigest(), fmt, about))
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, content=body)

    path = fetch_rating_set("lin2023", directory=tmp_path, transport=httpx.MockTransport(handler))
    assert seen == [url]
    assert path.read_bytes() == body
    assert read_ratings(path, "lin2023").get("example.com").mean == pytest.approx(0.9)


def test_fetch_refuses_a_wrong_checksum(tmp_path: Path) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b"tampered"))
    with pytest.raises(srcscore.PriorsError, match="checksum mismatch"):
        fetch_rating_set("lin2023", directory=tmp_path, transport=transport)
    assert not list(tmp_path.iterdir())


def test_fetch_reports_http_errors_and_offline(tmp_path: Path) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(404))
    with pytest.raises(srcscore.PriorsError, match="HTTP 404"):
        fetch_rating_set("cred1", directory=tmp_path, transport=transport)

    def offline(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route", request=request)

    with pytest.raises(srcscore.PriorsError, match="offline"):
        fetch_rating_set("cred1", directory=tmp_path, transport=httpx.MockTransport(offline))
    with pytest.raises(srcscore.PriorsError, match="unknown rating set"):
        fetch_rating_set("nope", directory=tmp_path)


def test_cli_priors_show_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["priors", "show", "reuters.com", "https://x.com/nasa/status/1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[:2] == ["reuters.com", "0.93"]
    assert lines[1].startswith("twitter.com/nasa\t")
    assert main(["priors", "list"]) == 0
    assert {line.split("\t")[0] for line in capsys.readouterr().out.splitlines()} == set(
        RATING_SETS
    )


def test_cli_priors_show_several_bad_domains_is_one_error_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["priors", "show", "also:bad", "reuters.com", "http://[::1", "mailto:x@y"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith("reuters.com\t")  # the good one is still shown
    assert captured.err == (
        "srcscore: error: also:bad: not a web URL (scheme 'also') (and 2 more)\n"
    )


def test_cli_priors_fetch_offline_is_one_clear_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))

    def unreachable(self: object, request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", unreachable)
    assert main(["priors", "fetch", "lin2023"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("srcscore: error: cannot fetch lin2023")
    assert not (tmp_path / "srcscore" / "ratings" / "lin2023.lin2023.txt").exists()


def test_cli_unfetched_set_name_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert main(["source", "reuters.com", "--priors", "cred1"]) == 1
    assert "srcscore priors fetch cred1" in capsys.readouterr().err


def test_cli_repeated_priors_and_combine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = tmp_path / "a.csv"
    a.write_text("domain,score,strength\nreuters.com,0.1,50\n")
    b = tmp_path / "b.csv"
    b.write_text("domain,score,strength\nreuters.com,0.3,50\n")
    main(
        [
            "priors",
            "show",
            "reuters.com",
            "--priors",
            str(a),
            "--priors",
            str(b),
            "--format",
            "jsonl",
        ]
    )
    assert '"mean":0.3' in capsys.readouterr().out
    main(
        [
            "priors",
            "show",
            "reuters.com",
            "--priors",
            str(a),
            "--priors-combine",
            "pool",
            "--format",
            "jsonl",
        ]
    )
    out = capsys.readouterr().out
    assert '"mean":0.515' in out and '"strength":100.0' in out


@pytest.mark.skipif(not (SHARED_DATA / "lin2023").is_dir(), reason="../shared/data absent")
@pytest.mark.parametrize(
    ("name", "relative", "fmt", "rows"),
    [
        ("lin2023", "lin2023/domain_pc1.csv", "lin2023", 11000),
        ("baly-mbfc", "baly-mbfc/acl2020_corpus.tsv", "mbfc", 850),
        ("cred1", "iffy-cred1/cred1_current.csv", "iffy", 2600),
    ],
)
def test_real_rating_sets_import_and_match_their_pinned_checksums(
    name: str, relative: str, fmt: str, rows: int
) -> None:
    path = SHARED_DATA / relative
    assert hashlib.sha256(path.read_bytes()).hexdigest() == RATING_SETS[name][1]
    table = read_ratings(path)  # auto-detected; third-party rows that are unusable are skipped
    assert len(table) >= rows
    assert len(table.warnings) < 10
    assert read_ratings(path, fmt).get(next(iter(table))) == table.get(next(iter(table)))


def test_cache_dir_respects_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _ratings.cache_dir() == tmp_path / "srcscore"


@pytest.mark.parametrize("fmt", ["auto", "csv", "lin2023", "mbfc"])
def test_a_field_over_the_csv_limit_is_a_priors_error(fmt: str) -> None:
    big = "x" * 200_000  # over the csv module's 131072-character field limit
    header = "domain,pc1,fact" if fmt in ("lin2023", "mbfc") else "domain,score"
    with pytest.raises(srcscore.PriorsError):
        read_ratings_text(f"{header}\n{big}.com,0.5,high\n", fmt)
    with pytest.raises(srcscore.PriorsError):
        srcscore.Priors.from_csv_text(f"{big}.com,0.5\n")


def test_cli_priors_file_with_a_huge_field_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("domain,score\n" + "x" * 200_000 + ",0.5\n")
    assert main(["priors", "show", "apnews.com", "--priors", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("srcscore: error: mine.csv")
