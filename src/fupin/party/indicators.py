"""Party building's figures for the indicator catalogue (core.indicators): organisations, members,
organisational life, standardisation scores, weak branches, reserve cadres and cadre scoring.

Every record counts at its organisation's division code (`org.region`); an organisation kept by a
unit with no division (an enterprise's branch at its headquarters) is on no map and counts nowhere.
Each drill opens the party list that shows exactly the records counted.
"""

from urllib.parse import urlencode

from django.db.models import (
    CharField,
    Count,
    F,
    Sum,
    Value,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fupin.core.indicators import MONTH, RATIO, SNAPSHOT, YEAR, Indicator, month_of, register
from fupin.party.choices import (
    MeetingKind,
    MemberStatus,
    OrgKind,
    OrgLevel,
    ReserveStatus,
    Stage,
    WeakStatus,
)
from fupin.party.models import (
    BranchScore,
    CadreMonthScore,
    Meeting,
    PartyMember,
    PartyOrg,
    ReserveCadre,
    WeakCase,
)
from fupin.party.selectors import meeting_periods

# The stages that are party members (预备党员 and 正式党员): the home page's 党员 figure.
MEMBER_STAGES = {Stage.PROBATIONARY: Stage.PROBATIONARY.label, Stage.FULL: Stage.FULL.label}


def _url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in ("", None)})
    return reverse(name) + (f"?{query}" if query else "")


def _year(period: str) -> str:
    return period[:4]


def _month(period: str) -> str:
    """The month number of a 'YYYY-MM' period ('' for a year)."""
    return str(int(period[5:])) if len(period) == 7 else ""


def _of_year(field: str):
    """The period key of a YEAR figure from an integer year column ('2026')."""
    return Cast(field, CharField())


PARTY_SOURCES = (("party.PartyOrg", "region_id"),)

register(
    Indicator(
        code="party.orgs",
        name=_("党组织数"),
        definition=_("所在区划内的党组织(党委、党总支、党支部、党小组),按组织类型分列。"),
        unit=_("个"),
        period=SNAPSHOT,
        rows=lambda: PartyOrg.objects.filter(region__isnull=False),
        code_field="region__code",
        value=Count("id"),
        category_of=Cast("kind", CharField()),
        categories=dict(OrgKind.choices),
        drill=lambda code, period, category: _url("party:org_list", division=code, kind=category),
        sources=PARTY_SOURCES,
    )
)

register(
    Indicator(
        code="party.members",
        name=_("党员数"),
        definition=_("在册的正式党员和预备党员(不含入党申请人、积极分子和发展对象),按发展阶段分列。"),
        unit=_("人"),
        period=SNAPSHOT,
        rows=lambda: PartyMember.objects.filter(
            org__region__isnull=False, status=MemberStatus.ACTIVE, stage__in=list(MEMBER_STAGES)
        ),
        code_field="org__region__code",
        value=Count("id"),
        category_of=Cast("stage", CharField()),
        categories=MEMBER_STAGES,
        drill=lambda code, period, category: _url(
            "party:member_list", division=code, stage=category or "member", status=MemberStatus.ACTIVE
        ),
        sources=(("party.PartyMember", "org__region_id"),),
    )
)

register(
    Indicator(
        code="party.meetings_held",
        name=_("三会一课召开次数"),
        definition=_(
            "党组织记录的支部党员大会、支部委员会、党小组会、党课和主题党日,按召开月份计,按会议类型分列。"
        ),
        unit=_("次"),
        period=MONTH,
        rows=lambda: Meeting.objects.filter(org__region__isnull=False),
        code_field="org__region__code",
        value=Count("id"),
        period_of=month_of("held_on"),
        category_of=Cast("kind", CharField()),
        categories=dict(MeetingKind.choices),
        drill=lambda code, period, category: _url(
            "party:meeting_list", division=code, year=_year(period), month=_month(period), kind=category
        ),
        sources=(("party.Meeting", "org__region_id"),),
    )
)

register(
    Indicator(
        code="party.score_sum",
        name=_("标准化评分总分"),
        definition=_("当年已评分党支部的标准化考评总分之和(支部标准化平均分的分子)。"),
        unit=_("分"),
        period=YEAR,
        rows=lambda: BranchScore.objects.filter(org__region__isnull=False),
        code_field="org__region__code",
        value=Sum("total"),
        period_of=_of_year("year"),
        drill=lambda code, period, category: _url("party:score_list", division=code, year=_year(period)),
        sources=(("party.BranchScore", "org__region_id"),),
    )
)

register(
    Indicator(
        code="party.branches_scored",
        name=_("已评分党支部数"),
        definition=_("当年有标准化考评得分的党组织数。"),
        unit=_("个"),
        period=YEAR,
        rows=lambda: BranchScore.objects.filter(org__region__isnull=False),
        code_field="org__region__code",
        value=Count("id"),
        period_of=_of_year("year"),
        drill=lambda code, period, category: _url("party:score_list", division=code, year=_year(period)),
        sources=(("party.BranchScore", "org__region_id"),),
    )
)

register(
    Indicator(
        code="party.score_average",
        name=_("支部标准化平均分"),
        definition=_("标准化考评总分之和 ÷ 已评分党支部数(当年)。"),
        unit=_("分"),
        period=YEAR,
        kind=RATIO,
        parts=("party.score_sum", "party.branches_scored"),
        drill=lambda code, period, category: _url("party:score_list", division=code, year=_year(period)),
    )
)

register(
    Indicator(
        code="party.weak_identified",
        name=_("软弱涣散党组织认定数"),
        definition=_("按认定年度计的软弱涣散党组织(不含已撤销的认定),按当前状态分列。"),
        unit=_("个"),
        period=YEAR,
        rows=lambda: WeakCase.objects.filter(org__region__isnull=False).exclude(status=WeakStatus.REVOKED),
        code_field="org__region__code",
        value=Count("id"),
        period_of=_of_year("year"),
        category_of=Cast("status", CharField()),
        categories={
            WeakStatus.IDENTIFIED: WeakStatus.IDENTIFIED.label,
            WeakStatus.RECTIFYING: WeakStatus.RECTIFYING.label,
            WeakStatus.CLOSED: WeakStatus.CLOSED.label,
        },
        drill=lambda code, period, category: _url(
            "party:weak_list", division=code, year=_year(period), status=category or "in_force"
        ),
        sources=(("party.WeakCase", "org__region_id"),),
    )
)

register(
    Indicator(
        code="party.weak_rectified",
        name=_("软弱涣散党组织整顿销号数"),
        definition=_("按认定年度计、已整改销号的软弱涣散党组织。"),
        unit=_("个"),
        period=YEAR,
        rows=lambda: WeakCase.objects.filter(org__region__isnull=False, status=WeakStatus.CLOSED),
        code_field="org__region__code",
        value=Count("id"),
        period_of=_of_year("year"),
        drill=lambda code, period, category: _url(
            "party:weak_list", division=code, year=_year(period), status=WeakStatus.CLOSED
        ),
        sources=(("party.WeakCase", "org__region_id"),),
    )
)

register(
    Indicator(
        code="party.reserves",
        name=_("后备干部数"),
        definition=_("村后备干部库中在库的后备干部(不含已任用、已出库)。"),
        unit=_("人"),
        period=SNAPSHOT,
        rows=lambda: ReserveCadre.objects.filter(org__region__isnull=False, status=ReserveStatus.IN_POOL),
        code_field="org__region__code",
        value=Count("id"),
        drill=lambda code, period, category: _url(
            "party:reserve_list", division=code, status=ReserveStatus.IN_POOL
        ),
        sources=(("party.ReserveCadre", "org__region_id"),),
    )
)

register(
    Indicator(
        code="party.cadres_scored",
        name=_("村干部月考评人次"),
        definition=_("当月完成绩效月考评的村干部人次。"),
        unit=_("人次"),
        period=MONTH,
        rows=lambda: CadreMonthScore.objects.filter(cadre__org__region__isnull=False),
        code_field="cadre__org__region__code",
        value=Count("id"),
        period_of=month_of("month"),
        # The ranking is of one month: a year's figure has no single list.
        drill=lambda code, period, category: (
            _url("party:cadre_list", division=code, month=period) if len(period) == 7 else None
        ),
        sources=(("party.CadreMonthScore", "cadre__org__region_id"),),
    )
)


def _branches_this_year():
    """Every branch on the map with its meeting periods of this year (party.selectors.meeting_periods:
    `owed` and `met`, overdue_branches' rule). Counted for the current year only (the period is
    today's year): a past year's periods are all owed, and the nightly full refresh moves the count
    on as periods end."""
    today = timezone.localdate()
    branches = PartyOrg.objects.filter(region__isnull=False, level=OrgLevel.BRANCH).annotate(
        due_year=Value(str(today.year), output_field=CharField())
    )
    return meeting_periods(branches, year=today.year, today=today)


def _branches_summing(total: str):
    """_branches_this_year with `total` ('owed' or 'met') promoted from an alias to an annotation:
    a recount's aggregate() sums annotations only, and the other total's subqueries stay out."""
    return lambda: _branches_this_year().annotate(**{total: F(total)})


register(
    Indicator(
        code="party.meetings_due",
        name=_("三会一课应开次数"),
        definition=_(
            "本年已结束的会议周期中,党支部应召开的支部党员大会、支部委员会、党小组会(有党小组的支部)、"
            "党课和主题党日次数之和(自成立之月起算)。"
        ),
        unit=_("次"),
        period=YEAR,
        rows=_branches_summing("owed"),
        code_field="region__code",
        value=Sum("owed"),
        period_of=F("due_year"),
        drill=lambda code, period, category: _url("party:org_list", division=code, level=OrgLevel.BRANCH),
        sources=PARTY_SOURCES,
    )
)


register(
    Indicator(
        code="party.meetings_met",
        name=_("三会一课按期召开次数"),
        definition=_(
            "本年已结束的会议周期中(与应开次数同一口径),党支部按期召开了该类会议的周期数之和;"
            "同一周期召开多次只计一次,党小组召开的党小组会计入所在支部。"
        ),
        unit=_("次"),
        period=YEAR,
        rows=_branches_summing("met"),
        code_field="region__code",
        value=Sum("met"),
        period_of=F("due_year"),
        drill=lambda code, period, category: _url("party:org_list", division=code, level=OrgLevel.BRANCH),
        sources=(*PARTY_SOURCES, ("party.Meeting", "org__region_id")),
    )
)

register(
    Indicator(
        code="party.meetings_completion",
        name=_("三会一课完成率"),
        definition=_("三会一课按期召开次数 ÷ 三会一课应开次数 × 100(本年已结束的会议周期)。"),
        unit=_("%"),
        period=YEAR,
        kind=RATIO,
        parts=("party.meetings_met", "party.meetings_due"),
        scale=100,
        drill=lambda code, period, category: _url("party:org_list", division=code, level=OrgLevel.BRANCH),
    )
)
