"""End to end: the bundled sample site on loopback, with failures, through the real flow."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flows.cli import main
from flows.site_server import SiteServer, demo_site_dir
from tests.loopback import refused_url

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

EXPECTED = json.loads((demo_site_dir() / "EXPECTED.json").read_text(encoding="utf-8"))
ARTICLES = {a["path"]: a for a in EXPECTED["articles"]
            if a.get("expect", "article") == "article" and not a.get("duplicate_of")}
DUPLICATE = EXPECTED["duplicate"]
MISSING = next(p for p in ARTICLES if p != DUPLICATE["path"])  # the page the server will 404
CORE = ("core.fact_article", "core.fact_feed_item", "core.dim_entity",
        "core.fact_entity_mention", "core.fact_quote")


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    server = SiteServer(demo_site_dir(), faults={MISSING: 404, "/rss/broken.xml": 500})
    with server.running():
        yield server


@pytest.fixture(scope="module")
def run(site: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One ingest with a refused feed, a 500 feed and a 404 page; then a second ingest."""
    root = tmp_path_factory.mktemp("e2e")
    feeds = root / "feeds.toml"
    entries = [("world", f"{site.base_url}/rss/worldrss.xml"),
               ("china", f"{site.base_url}/rss/chinarss.xml"),
               ("refused", refused_url("/rss/refused.xml")),
               ("broken", f"{site.base_url}/rss/broken.xml")]
    feeds.write_text("".join(f'[[feed]]\nname = "{n}"\nurl = "{u}"\nprofile = "xinhua"\n\n'
                             for n, u in entries), encoding="utf-8")
    args = ["ingest", "--db", str(root / "w.duckdb"), "--feeds", str(feeds),
            "--data-dir", str(root / "data")]
    first_code = main(args)
    first = _counts(root / "w.duckdb")
    second_code = main(args)
    second = _counts(root / "w.duckdb")
    return {"db": root / "w.duckdb", "root": root, "codes": (first_code, second_code),
            "first": first, "second": second}


def _counts(db: Path) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in (*CORE, "core.etl_run", "raw.fetch_log")}


def _norm(text: str | None) -> str:
    return re.sub(r"\s+", " ", (text or "").replace("\u00a0", " ")).strip()


def test_partial_run_exits_3_and_loads_everything_else(run: dict) -> None:
    assert run["codes"] == (3, 3)
    assert run["first"]["core.fact_article"] == len(ARTICLES) - 1


def test_each_failure_is_logged_with_its_reason(run: dict, site: SiteServer) -> None:
    with duckdb.connect(str(run["db"]), read_only=True) as con:
        rows = con.execute("SELECT url, kind, http_status, error FROM raw.fetch_log "
                           "WHERE error IS NOT NULL").fetchall()
        runs = con.execute("SELECT status, feeds_ok, feeds_failed, pages_failed, articles_new "
                           "FROM core.etl_run ORDER BY started_at").fetchall()
    by_url = {(url.rsplit("/", 1)[-1] if "rss" in url else url): (kind, status, error)
              for url, kind, status, error in rows}
    assert by_url["refused.xml"][0] == "feed" and by_url["refused.xml"][1] is None
    assert "connection failed" in by_url["refused.xml"][2]
    assert by_url["broken.xml"][1] == 500 and "HTTP 500" in by_url["broken.xml"][2]
    page = site.base_url + MISSING
    assert by_url[page][:2] == ("page", 404) and "HTTP 404" in by_url[page][2]
    assert runs[0] == ("partial", 2, 2, 1, len(ARTICLES) - 1)


def test_second_run_adds_no_rows_to_core_tables(run: dict) -> None:
    first, second = run["first"], run["second"]
    assert {t: second[t] for t in CORE} == {t: first[t] for t in CORE}
    assert second["core.etl_run"] == first["core.etl_run"] + 1  # the run log records each run


def test_duplicate_link_is_one_article_with_a_clean_canonical_url(run: dict) -> None:
    with duckdb.connect(str(run["db"]), read_only=True) as con:
        urls = [r[0] for r in con.execute("SELECT canonical_url FROM core.fact_article").fetchall()]
        feeds = con.execute(
            "SELECT count(DISTINCT feed_name) FROM core.fact_feed_item fi "
            "JOIN core.fact_article a USING (article_id) WHERE a.canonical_url LIKE ?",
            [f"%{DUPLICATE['path']}"]).fetchone()[0]
    assert sum(1 for u in urls if u.endswith(DUPLICATE["path"])) == 1
    assert not any("utm_" in u for u in urls)
    assert feeds == 2


def test_articles_match_the_expected_fields(run: dict) -> None:
    with duckdb.connect(str(run["db"]), read_only=True) as con:
        rows = con.execute(
            "SELECT canonical_url, title, strftime(published_at AT TIME ZONE 'UTC', "
            "'%Y-%m-%dT%H:%M:%SZ'), dateline_place, editor, photo_credits, body "
            "FROM core.fact_article").fetchall()
    got = {re.sub(r"^https?://[^/]+", "", r[0]): r for r in rows}
    problems = []
    for path, want in ARTICLES.items():
        if path == MISSING:
            continue
        _, title, published, place, editor, credits, body = got[path]
        paragraphs = [p for p in body.split("\n\n") if p.strip()]
        checks = {
            "title": (_norm(title), _norm(want["title"])),
            "published_at": (published, want["published_at_utc"]),
            "dateline_place": (place, want["dateline_place"]),
            "editor": (editor, want["editor"]),
            "photo_credits": (sorted(credits), sorted(want["photo_credits"])),
            "paragraphs": (len(paragraphs), want["paragraphs"]),
            "body_first": (_norm(body)[:60].startswith(_norm(want["body_first"])[:60]), True),
            "body_last": (_norm(body).endswith(_norm(want["body_last"])), True),
        }
        problems += [f"{path} {k}: got {g!r}, want {w!r}" for k, (g, w) in checks.items()
                     if g != w]
    assert not problems, "\n".join(problems)


def test_second_run_is_conditional_and_fetches_no_page(run: dict) -> None:
    with duckdb.connect(str(run["db"]), read_only=True) as con:
        second = con.execute(
            "SELECT kind, http_status, count(*) FROM raw.fetch_log WHERE run_id = "
            "(SELECT run_id FROM core.etl_run ORDER BY started_at DESC LIMIT 1) "
            "GROUP BY ALL ORDER BY ALL").fetchall()
    # world and china answer 304; the refused and the 500 feed are tried again in full.
    assert second == [("feed", 304, 2), ("feed", 500, 1), ("feed", None, 1)]


def test_runs_leave_a_summary_and_a_failures_table(run: dict) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with duckdb.connect(str(run["db"]), read_only=True) as con:
        run_ids = [r[0] for r in con.execute("SELECT run_id FROM core.etl_run").fetchall()]
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(
            any_=["newswire-ingest-summary", "newswire-ingest-failures"])))
    # Other tests' runs share the session's Prefect API: pick this module's runs.
    summaries = [a for a in found if a.key == "newswire-ingest-summary"
                 and any(run_id in a.data for run_id in run_ids)]
    assert len(summaries) == 2
    for summary in summaries:
        assert summary.type == "markdown" and "## Failures" in summary.data
        assert "HTTP 500" in summary.data  # the broken feed
    flow_runs = {s.flow_run_id for s in summaries}
    tables = [a for a in found if a.key == "newswire-ingest-failures"
              and a.flow_run_id in flow_runs]
    assert len(tables) == 2 and all(t.type == "table" for t in tables)
