"""Assistance's figures in the indicator catalogue (core.indicators): first-secretary coverage of poor
villages, households paired with a cadre, visits (per month, per paired household), households
overdue for a visit, and training person-times by kind.

The definitions are the app's own: a poor village is a village with a household still 未脱贫 and it
is covered when a first secretary serves there today (the coverage report, selectors.poor_villages);
a pairing is active when it is in force today (services.serving); a household is overdue for a visit
when an active pairing's household has had no visit in FUPIN_VISIT_INTERVAL_DAYS (the 超期未走访
list, selectors.overdue_pairings); 在任选派干部 are the postings in force today (services.serving), by
kind; 驻村工作队 are every team, by status (the home page of assistance counts both); 培训人次 are the attendees of the classes that started in the year,
by the attendee's kind, where the class was held (selectors.training_person_times).
Each drill opens the app's list with the filters that list exactly the records counted (the pairing
and overdue lists show pairings: a household paired with two cadres is one row each, counted once).
"""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from fupin.assistance.choices import PostKind, TeamStatus, TrainingKind
from fupin.assistance.models import Pairing, Posting, TrainingAttendee, Visit, WorkTeam
from fupin.assistance.selectors import unvisited_since, visit_interval_days
from fupin.assistance.services import serving
from fupin.core.indicators import MONTH, RATIO, SNAPSHOT, YEAR, Indicator, month_of, register, year_of
from fupin.regions.models import Region
from fupin.registry import selectors as registry
from fupin.registry.choices import Status

COVERAGE_SOURCES = (("registry.Household", "village_id"), ("assistance.Posting", "region_id"))
PAIRING_SOURCES = (("assistance.Pairing", "household__village_id"),)
VISIT_SOURCES = (("assistance.Visit", "household__village_id"),)
POSTING_SOURCES = (("assistance.Posting", "region_id"),)
TEAM_SOURCES = (("assistance.WorkTeam", "village_id"),)
TRAINING_SOURCES = (
    ("assistance.TrainingAttendee", "training__region_id"),
    ("assistance.TrainingClass", "region_id"),
)


def serving_first_secretary():
    """EXISTS a first secretary serving today in the outer row's village (a Region row)."""
    postings = serving(Posting._base_manager.filter(kind=PostKind.FIRST_SECRETARY))
    return Exists(postings.filter(region_id=OuterRef("code")))


def poor_villages():
    """Villages with a household still 未脱贫: those that should have a first secretary."""
    poor = registry.household_rows().filter(status=Status.POOR).values("village_id")
    return Region.objects.filter(level=Region.Level.VILLAGE, code__in=poor)


def covered_villages():
    return poor_villages().filter(serving_first_secretary())


def paired():
    """Pairings in force today."""
    return serving(Pairing._base_manager.all())


def overdue_pairings(on: datetime.date | None = None):
    """Pairings in force whose household has had no visit within the interval (the 超期未走访 rule:
    no visit on or after the cutoff is the same as a last visit before it, or none)."""
    on = on or timezone.localdate()
    cutoff = on - datetime.timedelta(days=visit_interval_days())
    return serving(Pairing._base_manager.all(), on).filter(unvisited_since(cutoff))


def _url(name: str, code: str, **params) -> str:
    query = {"division": code, **{k: v for k, v in params.items() if v not in ("", None)}}
    return f"{reverse(name)}?{urlencode(query)}"


POOR_VILLAGES = register(
    Indicator(
        code="assistance.poor_villages",
        name=_("应选派第一书记村数"),
        definition=_("有未脱贫户的行政村数(贫困村),即应有驻村第一书记的村。"),
        unit=_("个"),
        period=SNAPSHOT,
        rows=poor_villages,
        code_field="code",
        value=Count("code"),
        drill=lambda code, period, category: _url("assistance:coverage_list", code),
        sources=COVERAGE_SOURCES,
    )
)

COVERED_VILLAGES = register(
    Indicator(
        code="assistance.covered_villages",
        name=_("第一书记覆盖村数"),
        definition=_("有在任驻村第一书记的贫困村数。"),
        unit=_("个"),
        period=SNAPSHOT,
        rows=covered_villages,
        code_field="code",
        value=Count("code"),
        drill=lambda code, period, category: _url("assistance:coverage_list", code, covered="on"),
        sources=COVERAGE_SOURCES,
    )
)

COVERAGE = register(
    Indicator(
        code="assistance.secretary_coverage",
        name=_("第一书记覆盖率"),
        definition=_("第一书记覆盖村数 ÷ 应选派第一书记村数 × 100%。"),
        unit="%",
        period=SNAPSHOT,
        kind=RATIO,
        parts=(COVERED_VILLAGES.code, POOR_VILLAGES.code),
        scale=100,
        drill=lambda code, period, category: _url("assistance:coverage_list", code),
        sources=COVERAGE_SOURCES,
    )
)

PAIRED_HOUSEHOLDS = register(
    Indicator(
        code="assistance.paired_households",
        name=_("结对帮扶户数"),
        definition=_("今天有在帮结对帮扶责任人的农户数(一户有两名责任人也只计一户)。"),
        unit=_("户"),
        period=SNAPSHOT,
        rows=paired,
        code_field="household__village__code",
        value=Count("household_id", distinct=True),
        drill=lambda code, period, category: _url("assistance:pairing_list", code, active="1"),
        sources=PAIRING_SOURCES,
    )
)

VISITS = register(
    Indicator(
        code="assistance.visits",
        name=_("走访次数"),
        definition=_("按走访日期所在月份统计的入户走访次数。"),
        unit=_("次"),
        period=MONTH,
        rows=lambda: Visit._base_manager.all(),
        code_field="household__village__code",
        value=Count("id"),
        period_of=month_of("visited_on"),
        drill=lambda code, period, category: _url("assistance:visitrecord_list", code, visited_in=period),
        sources=VISIT_SOURCES,
    )
)

VISITS_PER_HOUSEHOLD = register(
    Indicator(
        code="assistance.visits_per_household",
        name=_("户均走访"),
        definition=_("走访次数 ÷ 结对帮扶户数(今天在帮的户)。"),
        unit=_("次/户"),
        period=MONTH,
        kind=RATIO,
        parts=(VISITS.code, PAIRED_HOUSEHOLDS.code),
        drill=VISITS.drill,
        sources=(*VISIT_SOURCES, *PAIRING_SOURCES),
    )
)

OVERDUE_VISITS = register(
    Indicator(
        code="assistance.overdue_visits",
        name=_("逾期未走访户数"),
        definition=_("有在帮结对、但超过规定的走访间隔天数没有走访记录的农户数。"),
        unit=_("户"),
        period=SNAPSHOT,
        rows=overdue_pairings,
        code_field="household__village__code",
        value=Count("household_id", distinct=True),
        drill=lambda code, period, category: _url("assistance:overdue_list", code),
        sources=(*PAIRING_SOURCES, *VISIT_SOURCES),
    )
)

TRAINING = register(
    Indicator(
        code="assistance.training",
        name=_("培训人次"),
        definition=_("按开班年度统计的培训学员人次,记在培训地区,按学员类别分列。"),
        unit=_("人次"),
        period=YEAR,
        rows=lambda: TrainingAttendee._base_manager.all(),
        code_field="training__region__code",
        value=Sum("count"),
        period_of=year_of("training__start"),
        category_of=F("kind"),
        categories=dict(TrainingKind.choices),
        drill=lambda code, period, category: _url(
            "assistance:training_summary_list", code, year=period, kind=category
        ),
        sources=TRAINING_SOURCES,
    )
)

POSTINGS = register(
    Indicator(
        code="assistance.postings",
        name=_("在任选派干部数(按选派类型)"),
        definition=_("今天在任的选派干部(驻村第一书记、驻村工作队员、挂职干部),记在派驻地,按选派类型分列。"),
        unit=_("人"),
        period=SNAPSHOT,
        rows=lambda: serving(Posting._base_manager.all()),
        code_field="region__code",
        value=Count("id"),
        category_of=F("kind"),
        categories=dict(PostKind.choices),
        drill=lambda code, period, category: _url("assistance:posting_list", code, active="1", kind=category),
        sources=POSTING_SOURCES,
    )
)

TEAMS = register(
    Indicator(
        code="assistance.teams",
        name=_("驻村工作队数(按状态)"),
        definition=_("登记的驻村工作队数(组建中、在岗和已期满),记在驻村所在村,按状态分列。"),
        unit=_("支"),
        period=SNAPSHOT,
        rows=lambda: WorkTeam._base_manager.all(),
        code_field="village__code",
        value=Count("id"),
        category_of=F("status"),
        categories=dict(TeamStatus.choices),
        drill=lambda code, period, category: _url("assistance:team_list", code, status=category),
        sources=TEAM_SOURCES,
    )
)
