"""Party's figures in the indicator catalogue: each recounted from the records at the county, a
township and a village of 兴海县 equals a count by hand, and its drill-through lists exactly the
records counted to the county officer."""

import datetime as dt
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.http import QueryDict
from django.urls import resolve

from fupin.core import lists as core_lists
from fupin.core.indicators import MONTH, catalogue, recount
from fupin.testing import MINZU_VILLAGE, NINGQU_VILLAGE, TANGNAIHAI, XINGHAI

pytestmark = pytest.mark.django_db

HEHKA = "632524101"  # 河卡镇, the township of 宁曲村
FENGHUANG = "620821100206"  # 泾川县: never counted in 兴海县


def _records(made: dict) -> dict:
    """Beside the matrix's 民族村 branch (a secretary, a 2000 founding, last year's meeting, score
    and cadre score, this year's weak case, a reserve): 2023 records in two villages, a township
    committee and a 泾川县 branch, plus what must not count."""
    from fupin.party.models import (
        BranchScore,
        CadreMonthScore,
        Checklist,
        IndicatorSet,
        Meeting,
        PartyMember,
        PartyOrg,
        ReserveCadre,
        VillageCadre,
        WeakCase,
    )

    minzu = made["party_branch"]

    def org(name, region, level="branch", parent=None):
        return PartyOrg.objects.create(
            name=name, level=level, kind="village", region_id=region, parent=parent
        )

    committee = org("唐乃亥乡党委", TANGNAIHAI, level="committee")
    group = org("民族村第一党小组", MINZU_VILLAGE, level="group", parent=minzu)
    ningqu = org("宁曲村党支部", NINGQU_VILLAGE)
    fenghuang = org("凤凰村党支部", FENGHUANG)
    for o, name, stage, status in [
        (minzu, "卓玛", "probationary", "active"),
        (minzu, "多杰", "applicant", "active"),  # not yet a member
        (minzu, "拉毛", "full", "transferred"),  # left
        (ningqu, "王芳", "full", "active"),
        (fenghuang, "李强", "full", "active"),
    ]:
        PartyMember.objects.create(org=o, name=name, stage=stage, status=status)
    for o, kind, day in [
        (minzu, "committee", dt.date(2023, 3, 2)),
        (minzu, "lesson", dt.date(2023, 3, 20)),
        (group, "group", dt.date(2023, 3, 21)),
        (minzu, "committee", dt.date(2023, 4, 3)),
        (committee, "committee", dt.date(2023, 3, 9)),
        (ningqu, "committee", dt.date(2023, 3, 15)),
        (fenghuang, "committee", dt.date(2023, 3, 15)),
    ]:
        Meeting.objects.create(org=o, kind=kind, held_on=day, topic="学习")
    checklist = Checklist.objects.get()
    for o, total in [(minzu, "88.50"), (ningqu, "71.00"), (fenghuang, "99.00")]:
        BranchScore.objects.create(org=o, checklist=checklist, year=2023, total=Decimal(total))
    for o, status in [(minzu, "closed"), (ningqu, "rectifying"), (ningqu, "revoked"), (fenghuang, "closed")]:
        WeakCase.objects.create(org=o, year=2023, criteria=["disunity"], status=status)
    for o, name, status in [
        (ningqu, "格桑", "in_pool"),
        (ningqu, "次仁", "appointed"),
        (fenghuang, "张三", "in_pool"),
    ]:
        ReserveCadre.objects.create(
            org=o, name=name, sex="M", birth_year=1990, education="senior",
            added_on=dt.date(2023, 1, 1), status=status,
        )  # fmt: skip
    indicators = IndicatorSet.objects.get()
    for o, name in [(minzu, "才让"), (ningqu, "卓玛"), (fenghuang, "王五")]:
        cadre = VillageCadre.objects.get_or_create(org=o, name=name, post="村委会主任")[0]
        CadreMonthScore.objects.create(cadre=cadre, indicator_set=indicators, month=dt.date(2023, 5, 1))
    return {"committee": committee, "group": group, "ningqu": ningqu}


WORLD_LAYERS = ("party", _records)

LAST_YEAR = str(dt.date.today().year - 1)
THIS_YEAR = str(dt.date.today().year)

# (indicator, period, category): {division: count by hand}.
EXPECTED = {
    # 民族村: its branch and group; 唐乃亥乡 adds its committee; 宁曲村's branch; 大唐's branch has no place.
    ("party.orgs", "", ""): {XINGHAI: 4, TANGNAIHAI: 3, MINZU_VILLAGE: 2},
    ("party.orgs", "", "village"): {XINGHAI: 4, TANGNAIHAI: 3, MINZU_VILLAGE: 2},
    ("party.orgs", "", "enterprise"): {XINGHAI: 0, TANGNAIHAI: 0, MINZU_VILLAGE: 0},
    # 才让东智 (full) and 卓玛 (probationary) of 民族村, 王芳 of 宁曲村.
    ("party.members", "", ""): {XINGHAI: 3, TANGNAIHAI: 2, MINZU_VILLAGE: 2},
    ("party.members", "", "probationary"): {XINGHAI: 1, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    ("party.members", "", "full"): {XINGHAI: 2, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    # March 2023: 民族村 committee, lesson and its group's meeting; the township committee; 宁曲村.
    ("party.meetings_held", "2023-03", ""): {XINGHAI: 5, TANGNAIHAI: 4, MINZU_VILLAGE: 3},
    ("party.meetings_held", "2023-03", "committee"): {XINGHAI: 3, TANGNAIHAI: 2, MINZU_VILLAGE: 1},
    ("party.meetings_held", "2023-04", ""): {XINGHAI: 1, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    ("party.meetings_held", "2023", ""): {XINGHAI: 6, TANGNAIHAI: 5, MINZU_VILLAGE: 4},
    ("party.meetings_held", LAST_YEAR, "members"): {XINGHAI: 1, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    ("party.score_sum", "2023", ""): {
        XINGHAI: Decimal("159.50"),
        TANGNAIHAI: Decimal("88.50"),
        MINZU_VILLAGE: Decimal("88.50"),
    },  # fmt: skip
    ("party.branches_scored", "2023", ""): {XINGHAI: 2, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    ("party.score_average", "2023", ""): {
        XINGHAI: Decimal("79.75"),
        TANGNAIHAI: Decimal("88.5"),
        MINZU_VILLAGE: Decimal("88.5"),
    },  # fmt: skip
    # 2023: 民族村 closed, 宁曲村 rectifying (its revoked case does not count).
    ("party.weak_identified", "2023", ""): {XINGHAI: 2, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    ("party.weak_identified", "2023", "rectifying"): {XINGHAI: 1, TANGNAIHAI: 0, MINZU_VILLAGE: 0},
    ("party.weak_identified", THIS_YEAR, "identified"): {XINGHAI: 1, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    ("party.weak_rectified", "2023", ""): {XINGHAI: 1, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    # 多杰 of 民族村 (the matrix's) and 格桑 of 宁曲村 (次仁 was appointed).
    ("party.reserves", "", ""): {XINGHAI: 2, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    ("party.cadres_scored", "2023-05", ""): {XINGHAI: 2, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
    ("party.cadres_scored", f"{LAST_YEAR}-11", ""): {XINGHAI: 1, TANGNAIHAI: 1, MINZU_VILLAGE: 1},
}


def _listed(user, url: str) -> list[int]:
    """The ids the URL's list shows this user (the page's own declaration and form)."""
    parts = urlsplit(url)
    spec = resolve(parts.path).func.spec
    query = core_lists.resolve(spec, user, QueryDict(parts.query))
    assert query.valid, query.form.errors
    return sorted(r["id"] if isinstance(r, dict) else r.pk for r in query.rows)


def _counted_ids(indicator, prefix: str, period: str, category: str) -> list[int]:
    """The records the declaration counts (for the drill comparison)."""
    rows = indicator.rows().filter(**{f"{indicator.code_field}__startswith": prefix})
    if period:
        rows = rows.annotate(_p=indicator.period_of)
        if indicator.period == MONTH and len(period) == 4:
            rows = rows.filter(_p__startswith=period + "-")
        else:
            rows = rows.filter(_p=period)
    if category:
        rows = rows.annotate(_c=indicator.category_of).filter(_c=category)
    return sorted(rows.values_list("pk", flat=True))


@pytest.mark.parametrize("key", list(EXPECTED), ids=lambda k: "-".join(filter(None, k)))
def test_recount_equals_the_hand_count(world, key):
    code, period, category = key
    indicator = catalogue()[code]
    for division, expected in EXPECTED[key].items():
        assert recount(indicator, prefix=division, period=period, category=category) == expected, division
    # Nothing of 兴海县 in 泾川县's count, and 泾川县's records are there.
    assert recount(indicator, prefix="632524", period=period, category=category) == EXPECTED[key][XINGHAI]


def test_jingchuan_counts_its_own(world):
    assert recount(catalogue()["party.orgs"], prefix="620821") == 1
    assert recount(catalogue()["party.score_sum"], prefix="620821", period="2023") == Decimal("99.00")
    assert recount(catalogue()["party.weak_rectified"], prefix="620821", period="2023") == 1


@pytest.mark.parametrize("key", list(EXPECTED), ids=lambda k: "-".join(filter(None, k)))
def test_the_drill_lists_exactly_the_records_counted(client, world, key):
    code, period, category = key
    indicator = catalogue()[code]
    county = world["county"]
    client.force_login(county)
    for division in (XINGHAI, TANGNAIHAI, MINZU_VILLAGE):
        url = indicator.drill(division, period, category)
        if url is None:
            assert indicator.period == "month" and len(period) == 4
            continue
        assert client.get(url).status_code == 200, url
        if indicator.kind == "ratio":
            indicator = catalogue()[indicator.parts[1]]
        assert _listed(county, url) == _counted_ids(indicator, division, period, category), url


def test_score_average_of_a_place_without_scores_is_none(world):
    assert recount(catalogue()["party.score_average"], prefix=HEHKA, period="2022") is None


def test_meetings_due_counts_the_periods_owed_this_year(world, monkeypatch):
    """On 2026-07-15 six monthly periods (委员会, 主题党日, and 党小组会 where a branch has groups)
    and two quarterly ones (党员大会, 党课) have ended: 民族村's branch (founded 2000, with a group)
    owes 6 × 3 + 2 × 2 = 22, 宁曲村's (no group) 6 × 2 + 2 × 2 = 16; a branch founded in April owes
    from April: monthly 6 − 3 = 3 each, quarterly 2 − 1 = 1 each."""
    from django.utils import timezone

    from fupin.party.models import PartyOrg

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 7, 15))
    PartyOrg.objects.create(
        name="宁曲村新支部",
        level="branch",
        kind="village",
        region_id=NINGQU_VILLAGE,
        founded_on=dt.date(2026, 4, 2),
    )
    due = catalogue()["party.meetings_due"]
    assert recount(due, prefix=MINZU_VILLAGE, period="2026") == 22
    assert recount(due, prefix=NINGQU_VILLAGE, period="2026") == 16 + 3 * 2 + 1 * 2
    assert recount(due, prefix=XINGHAI, period="2026") == 22 + 16 + 8
    assert recount(due, prefix=XINGHAI, period="2025") == 0  # counted for the current year only
    assert recount(due, prefix=FENGHUANG, period="2026") == 16


def test_meetings_met_counts_the_periods_held_of_those_owed(world, monkeypatch):
    """On 2026-07-15 (the periods of test_meetings_due_…): 民族村's branch met 支部委员会 in February
    (twice: one period), 党课 in the second quarter and, through its group, 党小组会 in March — 3 of
    its 22; a 主题党日 in July is in a period not yet ended and counts nothing. 宁曲村's branch met
    支部委员会 in January — 1 of 16; its 党小组会 counts nothing (it has no group). The township
    committee's meeting is no branch's. 完成率 = met ÷ due × 100."""
    from django.utils import timezone

    from fupin.party.models import Meeting

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 7, 15))
    met = catalogue()["party.meetings_met"]
    assert recount(met, prefix=XINGHAI, period="2026") == 0
    minzu, group, ningqu = world["party_branch"], world["group"], world["ningqu"]
    for org, kind, day in [
        (minzu, "committee", dt.date(2026, 2, 3)),
        (minzu, "committee", dt.date(2026, 2, 20)),
        (minzu, "lesson", dt.date(2026, 5, 8)),
        (group, "group", dt.date(2026, 3, 9)),
        (minzu, "theme_day", dt.date(2026, 7, 1)),
        (ningqu, "committee", dt.date(2026, 1, 12)),
        (ningqu, "group", dt.date(2026, 1, 13)),
        (world["committee"], "committee", dt.date(2026, 1, 14)),
    ]:
        Meeting.objects.create(org=org, kind=kind, held_on=day, topic="学习")
    assert recount(met, prefix=MINZU_VILLAGE, period="2026") == 3
    assert recount(met, prefix=NINGQU_VILLAGE, period="2026") == 1
    assert recount(met, prefix=XINGHAI, period="2026") == 4
    assert recount(met, prefix=XINGHAI, period="2025") == 0  # the current year only, as due
    assert recount(met, prefix=FENGHUANG, period="2026") == 0
    completion = catalogue()["party.meetings_completion"]
    assert recount(completion, prefix=MINZU_VILLAGE, period="2026") == Decimal(3) * 100 / Decimal(22)
    assert recount(completion, prefix=XINGHAI, period="2026") == Decimal(4) * 100 / Decimal(22 + 16)
