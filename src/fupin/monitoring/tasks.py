"""Monitoring's queue tasks (fupin.jobs imports every app's tasks.py in every process), and the
nightly work the queue's consumer runs on its own (huey's periodic tasks; `fupin worker` and the
consumer `fupin serve` starts run them, `--no-periodic` turns them off on a consumer).

Every night, in the server's time zone (settings.TIME_ZONE, Beijing time):

- 00:10 `nightly_publicities`: every 村内公示 whose days are over moves on to 乡镇审核
  (services.end_publicities), so a village need not remember to end it;
- 00:30 `nightly_checks`: the data-quality checks (quality.run_checks) of every county with
  monitoring objects (or with findings from before, which a new run clears);
- 01:00 `nightly_rules`: the risk rules (rules.run_rules) over every county with registered
  households, for the current month.

The rules run nightly, not monthly. A rule writes at most one lead per household and period (the
month) however often it runs, so nightly it writes the same leads, sooner. What the rules read
changes without a household's own edit (which re-evaluates that household at once): a bulk import
of incomes or members, a new monitoring line, a 人社 list, months passing without work. With at most
15 days from lead to decision, a month's wait before the lead exists would spend the limit before
anyone knows. A county's run is set-based SQL taking seconds (docs/benchmarks.md, "Monitoring: risk
rules"). One difference: a household whose lead was closed early in the month (不予纳入) can be
flagged again by another of the rules later that month, where a monthly run would flag it next month.

Each county's run is a Job row like a run started on the rules page, without an owner (the system's,
as a command line job): `fupin jobs` lists them; the county sees the night's rule run (操作人 系统)
on the rules page, the findings' 发现时间 on the quality list, and 公示期满 on each lead's timeline.
The counties run one after another inside the periodic task, not as jobs queued side by side: on
the embedded SQLite two writers would wait on each other's lock, and the night's work keeps to one
of the consumer's workers, leaving the other to people's own jobs. A county that fails fails its
own job only; the next county runs.

Several consumers (Redis, several servers) each schedule the periodic tasks; the first to start a
night's task marks it in the queue's storage (`put_if_empty`, atomic there) and the others skip it.
"""

import datetime
import logging

from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey.contrib.djhuey import db_periodic_task

from fupin.jobs.kinds import Kind, register
from fupin.jobs.services import enqueue, first_tonight, job_task, local_crontab, progress
from fupin.monitoring import rules, services
from fupin.monitoring.models import MonitoringObject, QualityFinding
from fupin.monitoring.rules_jobs import CHECK, RUN, run_checks_job, run_rules_job
from fupin.monitoring.screening_jobs import screen_list
from fupin.regions.models import Region
from fupin.registry import selectors as registry

__all__ = [
    "nightly_checks",
    "nightly_publicities",
    "nightly_rules",
    "run_checks_job",
    "run_rules_job",
    "screen_list",
]

log = logging.getLogger(__name__)

COUNTY_DIGITS = 6  # a village code's first six digits are its county's code


def _publicity_links(job) -> list[tuple[str, str]]:
    if not (job.result or {}).get("ended"):
        return []
    return [(_("待乡镇审核的线索"), reverse("monitoring:lead_list") + "?stage=publicised")]


PUBLICITIES = register(
    Kind(
        "monitoring.publicities",
        gettext_lazy("结束期满的村内公示"),
        links=_publicity_links,
        failure=gettext_lazy("结束期满的公示时发生内部错误。请联系系统管理员。"),
    )
)


@job_task
def end_publicities_job(job_id: str, *, on: str) -> dict:
    def report(done: int, total: int, message: str) -> None:
        progress(job_id, done, total, message, force=done == total)

    ended = services.end_publicities(on=datetime.date.fromisoformat(on), progress=report)
    return {"on": on, "ended": ended}


# --- which counties ---------------------------------------------------------------------------


def counties_with_households() -> list[str]:
    """The county codes with at least one registered household, in code order.

    A skip scan over the households' village index: one indexed look-up per county found (the first
    village after the previous county's last possible code), never a pass over every household."""
    found: list[str] = []
    households = registry.household_rows()
    after = ""
    while True:
        village = (
            households.filter(village_id__gt=after)
            .order_by("village_id")
            .values_list("village_id", flat=True)
            .first()
        )
        if village is None:
            return found
        county = village[:COUNTY_DIGITS]
        found.append(county)
        after = county.ljust(12, "9")  # past every village code of the county


def counties_with_objects() -> list[Region]:
    """The counties with monitoring objects, or with findings of an earlier check (a run then clears
    those that no longer hold), in code order."""
    objects = (
        MonitoringObject._base_manager.order_by()
        .annotate(county=Substr("household__village_id", 1, COUNTY_DIGITS))
        .values_list("county", flat=True)
        .distinct()
    )
    findings = QualityFinding._base_manager.order_by().values_list("county_id", flat=True).distinct()
    return _counties({*objects, *findings})


def _counties(codes) -> list[Region]:
    """Those of `codes` that are counties of the division tree (a run refuses anything else)."""
    return list(Region.objects.filter(code__in=set(codes), level=Region.Level.COUNTY).order_by("code"))


# --- the night's work, as plain functions (the periodic tasks call them; so do the tests) ------


def _today(today) -> datetime.date:
    return today or timezone.localdate()


def _run_here(kind: str, task, *, label: str, **params):
    """A Job row (no owner: the system's) whose task runs now, in this worker (see the module's
    docstring): `enqueue` with the task's plain function, which marks the job running, then done
    or failed, exactly as on the queue."""
    return enqueue(kind, None, task.call_local, label=label, **params)


def end_publicities_tonight(today: datetime.date | None = None):
    """End every 公示 whose days are over; returns the job."""
    day = _today(today)
    return _run_here(PUBLICITIES.name, end_publicities_job, label=day.isoformat(), on=day.isoformat())


def check_counties() -> list:
    """The data-quality checks of every county with monitoring objects, one job each; returns them."""
    return [
        _run_here(CHECK.name, run_checks_job, label=str(county), user_id=None, county_code=county.code)
        for county in counties_with_objects()
    ]


def run_rules_in_counties(today: datetime.date | None = None) -> list:
    """The risk rules over every county with registered households for this month, one job each."""
    period = rules.current_period(_today(today))
    return [
        _run_here(
            RUN.name,
            run_rules_job,
            label=f"{county} {period}",
            user_id=None,
            area_code=county.code,
            period=period,
            kinds=None,
        )
        for county in _counties(counties_with_households())
    ]


# --- the periodic tasks -----------------------------------------------------------------------


PUBLICITIES_AT = local_crontab(minute="10", hour="0")
CHECKS_AT = local_crontab(minute="30", hour="0")
RULES_AT = local_crontab(minute="0", hour="1")


@db_periodic_task(PUBLICITIES_AT)
def nightly_publicities():
    if first_tonight("publicities"):
        end_publicities_tonight()


@db_periodic_task(CHECKS_AT)
def nightly_checks():
    if first_tonight("checks"):
        check_counties()


@db_periodic_task(RULES_AT)
def nightly_rules():
    if first_tonight("rules"):
        run_rules_in_counties()
