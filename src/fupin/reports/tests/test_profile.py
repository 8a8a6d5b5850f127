"""村情画像 (reports.lists.VILLAGE_PROFILE): one row per village in scope, each value the rollup's,
equal to the indicator counted straight from the records (core.indicators.recount) after a full
refresh; sortable, filterable, exportable; the outsider sees no village of 兴海县.

The world: the party, assistance and monitoring records of 兴海县 (民族村's branch scored last
year, a cadre paired with 扎西 of 民族村 and 王芳 of 宁曲村, 宁曲村's first secretary, 王芳 a
monitoring object), plus two meetings of 民族村's branch this year.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fupin.core.indicators import catalogue, recount
from fupin.party import services as party
from fupin.reports import lists, services
from fupin.reports.lists import SOURCES, VILLAGE_PROFILE, village_rows
from fupin.testing import MINZU_VILLAGE, NINGQU_VILLAGE, xlsx_rows

FENGHUANG = "620821100206"


def build(made: dict) -> dict:
    today = timezone.localdate()
    for day in (1, 2):
        # This year's, on a day already past (January's first days, or the last few).
        held = max(datetime.date(today.year, 1, day), today - datetime.timedelta(days=day))
        party.meeting_record(by=None, org=made["party_branch"], kind="committee", held_on=held, topic="学习")
    return {}


WORLD_LAYERS = ("party", "assistance", "monitoring", build)


@pytest.fixture
def refreshed(world):
    services.refresh()
    return world


def _expected(code: str, category: str, when: str, village: str):
    ind = catalogue().get(code)
    if ind is None:
        return None
    year = lists.this_year()
    period = {"year": str(year), "last": str(year - 1)}.get(when, "")
    return recount(ind, prefix=village, period=period, category=category)


def _ratio(code: str, village: str, period: str):
    value = recount(catalogue()[code], prefix=village, period=period)
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def test_values_equal_the_recount(refreshed):
    rows = {r.code: r for r in village_rows(refreshed["county"], {})}
    assert set(rows) == {MINZU_VILLAGE, NINGQU_VILLAGE}
    for code, row in rows.items():
        for name, indicator, category, when in SOURCES:
            expected = _expected(indicator, category, when, code)
            found = getattr(row, name)
            assert (found is None) == (expected is None), (code, name)
            if expected is not None:
                assert Decimal(found) == Decimal(expected), (code, name, found, expected)
        last = str(lists.this_year() - 1)
        score = VILLAGE_PROFILE.columns[6].value(row)
        assert score == _ratio("party.score_average", code, last)
    # By hand: 民族村 held two meetings this year, has 扎西 paired and its branch scored; 宁曲村 has
    # the first secretary, 王芳 paired and monitored.
    minzu, ningqu = rows[MINZU_VILLAGE], rows[NINGQU_VILLAGE]
    assert (minzu.meetings, minzu.pairings, minzu.secretary_n, minzu.objects) == (2, 1, 0, 0)
    assert (ningqu.meetings, ningqu.pairings, ningqu.secretary_n, ningqu.objects) == (0, 1, 1, 1)
    assert minzu.score is not None and ningqu.score is None


def test_filters_pick_the_villages(refreshed):
    county = refreshed["county"]
    codes = lambda f: [r.code for r in village_rows(county, f)]  # noqa: E731
    assert codes({"objects_min": 1}) == [NINGQU_VILLAGE]
    assert codes({"secretary": "0"}) == [MINZU_VILLAGE]
    assert codes({"division": "632524203"}) == [MINZU_VILLAGE]
    assert codes({"score_min": Decimal("0.01"), "objects_max": 0}) == [MINZU_VILLAGE]


def test_page_sort_and_export(refreshed, client):
    client.force_login(refreshed["county"])
    url = reverse("reports:village_profile_list")
    page = client.get(url, {"sort": "-objects"})
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("宁曲") < text.index("民族村")
    page = client.get(url, {"sort": "objects"})
    text = page.content.decode()
    assert text.index("民族村") < text.index("宁曲")
    sheet = xlsx_rows(client.get(reverse("reports:village_profile_export"), {"sort": "-meetings"}))
    assert sheet[0][:3] == ["乡镇", "村", "区划代码"]
    assert [row[2] for row in sheet[1:]] == [MINZU_VILLAGE, NINGQU_VILLAGE]
    meetings = sheet[0].index("三会一课(已开)")
    assert sheet[1][meetings] == 2


def test_outsider_sees_no_village_of_xinghai(refreshed, client):
    assert [r.code for r in village_rows(refreshed["outsider"], {})] == [FENGHUANG]
    client.force_login(refreshed["outsider"])
    page = client.get(reverse("reports:village_profile_list"))
    assert page.status_code == 200
    assert "民族村" not in page.content.decode() and "宁曲" not in page.content.decode()
    sheet = xlsx_rows(client.get(reverse("reports:village_profile_export")))
    assert [row[2] for row in sheet[1:]] == [FENGHUANG]
    # A division of 兴海县 is refused by the form: nothing listed.
    page = client.get(reverse("reports:village_profile_list"), {"division": "632524"})
    assert "民族村" not in page.content.decode()


def test_administrators_see_nothing(refreshed):
    assert list(village_rows(refreshed["sysadmin"], {})) == []
