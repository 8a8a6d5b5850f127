"""The overdue benchmark's two sides agree on real rows: the lists of a province viewer (judged on a
fixed day) and the hand-written SQL give the same pages and counts."""

import datetime

import pytest
from django.db import connection  # noqa: F401 - the skipif condition reads it
from django.test import RequestFactory

from benchmarks import overdue as bench
from fupin.monitoring import services
from fupin.monitoring.choices import Channel
from fupin.regions.models import Region

WORLD_LAYERS = ("households",)
OPENED = datetime.date(2026, 3, 2)  # step due 6 March (4 days), decision 17 March (15)


def _leads(households):
    """Two open leads in 青海 (扎西, 王芳) and one in 甘肃 (李强), all opened on OPENED."""
    for key in ("zhaxi", "wang", "li"):
        household = households[key]
        services.open_lead(
            by=None,
            channel=Channel.CADRE,
            village=Region.objects.get(code=household.village_id),
            opened_on=OPENED,
            household=household,
            risks=["illness"],
        )


def _overdue_counts(user, day):
    with bench.judged_on(day):
        rows, count = bench.ours("overdue", user, RequestFactory())
    return [(code, orange, red, total) for code, orange, red, total, *_names in rows], count


def test_the_lists_judge_urgency_on_the_day_given(cast, households):
    """No data rewritten: the day the lists judge on makes the same leads on time, orange, then red;
    the province's viewer sees its own province only."""
    _leads(households)
    viewer = bench.province_viewer("63")
    assert bench.province_viewer("63") == viewer  # made once
    townships = sorted(households[key].village_id[:9] for key in ("zhaxi", "wang"))
    assert _overdue_counts(viewer, OPENED) == ([], 0)
    orange = [(code, 1, 0, 1) for code in townships]
    assert _overdue_counts(viewer, datetime.date(2026, 3, 9)) == (orange, 2)
    red = [(code, 0, 1, 1) for code in townships]
    assert _overdue_counts(viewer, datetime.date(2026, 3, 18)) == (red, 2)
    with bench.judged_on(datetime.date(2026, 3, 18)):
        ids, count = bench.ours("leads", viewer, RequestFactory())
    assert count == 2 and len(ids) == 2


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the hand-written SQL is PostgreSQL's")
@pytest.mark.parametrize("day", [OPENED, datetime.date(2026, 3, 9), datetime.date(2026, 3, 18)])
def test_the_hand_written_sql_gives_the_lists_pages_and_counts(cast, households, day):
    """bench_overdue's check (the run stops when the sides differ) on real rows, on each colour's day."""
    _leads(households)
    result = bench.run(province="63", n=2, warmup=0, on=day)
    assert [p["page"] for p in result["pages"]] == list(bench.PAGES)
    expected = 0 if day == OPENED else 2
    assert [p["count"] for p in result["pages"]] == [expected, expected]  # townships, leads
    assert result["leads"]["open"] == 2
