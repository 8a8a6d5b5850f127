"""bench_dashboard on a tiny filled database: prepare() writes rows the models accept (the ledger's
trigger included) and is idempotent; the full refresh equals the hand-written GROUP BYs and DuckDB's
(the run stops on any difference); the 驾驶舱's figures equal the bare view's; a member added through
the registry's service marks its village and the drain rewrites it."""

import contextlib

import pytest
from django.db import connection

from benchmarks import dashboard as bench
from benchmarks import fill
from fupin.reports.models import DirtyCode, Rollup

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="bench_dashboard is PostgreSQL's")


def _quiet(_line):
    return None


@pytest.fixture
def filled(cast):
    with connection.cursor() as cursor:
        # The cast's rows wait for their deferred foreign-key checks, which forbid the fill's
        # ALTER TABLEs in the test's transaction: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    fill.fill(400, provinces=("632524",), progress=_quiet)
    added = bench.prepare(progress=_quiet)
    return added


def test_prepare_writes_every_kind_of_record_once(filled):
    counts = bench.counts()
    for table in (
        "monitoring_monitoringobject",
        "monitoring_lead",
        "assistance_pairing",
        "assistance_visit",
        "assistance_posting",
        "party_partyorg",
        "party_meeting",
        "party_branchscore",
        "assistance_trainingattendee",
        "projects_project",
        "projects_ledgerentry",
        "outcomes_purchase",
    ):
        assert counts[table] > 0, table
    # Idempotent: a second run adds nothing.
    assert bench.prepare(progress=_quiet) == {}
    assert bench.counts() == counts
    with connection.cursor() as c:
        # The ledger's own checks held: no source allocates more than its budget.
        c.execute(
            "SELECT count(*) FROM (SELECT source_id, sum(CASE kind WHEN 'budget' THEN amount "
            "WHEN 'allocation' THEN -amount ELSE 0 END) AS left_over FROM projects_ledgerentry "
            "GROUP BY 1) x WHERE left_over < 0"
        )
        assert c.fetchone()[0] == 0


@contextlib.contextmanager
def _committed():
    """What a commit does to the on-commit hooks an edit registered (the test's transaction never
    commits): run them and forget them."""
    start = len(connection.run_on_commit)
    yield
    callbacks = connection.run_on_commit[start:]
    del connection.run_on_commit[start:]
    for _savepoints, callback, _robust in callbacks:
        callback()


def test_the_runs_agree_with_their_limits(filled):
    """Every run's own check: the rollup equals the hand-written GROUP BYs and DuckDB's rows; the
    dashboard's key figures equal the bare view's for the three viewers; the drain rewrites."""
    refresh = bench.run_refresh(progress=_quiet)
    assert refresh["ours_rows"] == refresh["hand_rows"] > 0
    assert Rollup.objects.filter(indicator="party.meetings_held").exists()

    dashboard = bench.run_dashboard(requests=2, warmup=0, province="63", county="632524", progress=_quiet)
    assert [r["viewer"] for r in dashboard["rows"]] == ["national", "province 63", "county 632524"]
    assert all(r["figures"] == 10 for r in dashboard["rows"])

    incremental = bench.run_incremental(
        samples=2,
        county="632524",
        progress=_quiet,
        committed=_committed,
    )
    assert incremental["samples"] == 2
    assert incremental["marks_per_edit"] >= 1 and incremental["rows_per_drain"] > 0
    assert not DirtyCode.objects.exists()

    pages = bench.run_pages(samples=1, province="63", progress=_quiet)
    assert len(pages["rows"]) == 7


def test_a_changed_count_is_caught(filled):
    """The hand-written side is a real check: a rollup row off by one fails the comparison."""
    bench.run_refresh(progress=_quiet)
    row = Rollup.objects.filter(indicator="registry.households", category="").first()
    Rollup.objects.filter(pk=row.pk).update(value=row.value + 1)
    assert bench._rows_differ(["registry.households"]) == {
        "registry.households": 1,
        "registry.households (hand only)": 1,
    }
