"""The rules (monitoring.rules.run_rules) and bench_monitoring's hand-written SQL (benchmarks/monitoring.py)
write the same leads on test_rules' households, also when some households are already handled: a
lead of another channel still open (a cadre's, a self-report) or a monitored object. The bench asserts
the same at 1 M and 10 M; this is its check at the size of a test (PostgreSQL only: the hand side is
PostgreSQL's SQL).

The bench's hand side once read only the leads it had written itself, so a household with an open
lead of another channel (bench_dashboard --prepare opens them) got a lead by hand and none from the
rules, which leave it out (monitoring/rules.py: a household already monitored or with an open
lead is left out)."""

import pytest
from django.db import connection

from benchmarks import monitoring as bench
from fupin.monitoring import rules, services
from fupin.monitoring.choices import Channel, ObjectStatus, ObjectType, Stage
from fupin.monitoring.models import MonitoringObject
from fupin.monitoring.tests.test_rules import PERIOD, TODAY, build
from fupin.testing import XINGHAI

pytestmark = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="the hand-written SQL is PostgreSQL's"
)

WORLD_LAYERS = (build,)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _leads(table: str) -> set[tuple]:
    with connection.cursor() as c:
        c.execute(f"SELECT {bench.COMPARED} FROM {table} WHERE rule_id IS NOT NULL")  # noqa: S608 - constants
        return {tuple(str(v) for v in row) for row in c.fetchall()}


def _both() -> tuple[set, set]:
    """Ours into monitoring_lead, the hand-written side into scratch copies (as the bench does)."""
    with connection.cursor() as c:
        c.execute("CREATE TABLE bench_lead (LIKE monitoring_lead INCLUDING ALL)")
        c.execute("CREATE TABLE bench_leadevent (LIKE monitoring_leadevent INCLUDING ALL)")
    hand = bench.hand_run(
        XINGHAI, PERIOD, rules.active_rules(), lead_table="bench_lead", event_table="bench_leadevent"
    )
    ours = rules.run_rules(area_code=XINGHAI, period=PERIOD)
    assert hand == {code: c["new"] for code, c in ours.counts.items()}
    return _leads("monitoring_lead"), _leads("bench_lead")


def test_both_sides_write_the_same_leads(cast):
    ours, hand = _both()
    assert ours and ours == hand


def test_both_sides_leave_out_households_already_handled(cast):
    # An open cadre lead (no rule wrote it) on a household income-below-line fires on, a closed one
    # on income-drop's household (closed: the rules may raise a new one), a monitored object.
    services.open_lead(
        by=None,
        channel=Channel.CADRE,
        village=cast["below"].village,
        household=cast["below"],
        risks=["illness"],
    )
    closed = services.open_lead(
        by=None,
        channel=Channel.CADRE,
        village=cast["drop"].village,
        household=cast["drop"],
        risks=["illness"],
    )
    type(closed).objects.filter(pk=closed.pk).update(stage=Stage.REJECTED)
    MonitoringObject.objects.create(
        household=cast["share"], type=ObjectType.MARGINAL, identified_on=TODAY, status=ObjectStatus.MONITORED
    )
    ours, hand = _both()
    households = {row[0] for row in ours}
    assert str(cast["below"].pk) not in households and str(cast["share"].pk) not in households
    assert str(cast["drop"].pk) in households
    assert ours == hand
