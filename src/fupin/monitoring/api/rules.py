"""The monitoring API: risk rules (预警规则) and data-quality checks.

POST /rules/runs starts a run over an area (monitoring.run_rules over that area; an area outside the
caller's scope is a 404, like a missing one) as a job on the queue and answers 202 with the job (GET /api/jobs/{id} follows it; its
result names the run); GET /rules/runs/{id} is a run's result, per rule the households it fired on and
the leads it wrote. POST /quality/checks starts a county's data-quality checks the same way. A wrong
area, period or kind is a 422 naming the field, in Chinese; nothing is queued then.
"""

import datetime
import uuid
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja import Status as Answer
from pydantic import StringConstraints

from fupin.apierrors import WRITE_ERRORS, service_error
from fupin.apitypes import JobStartedOut, job_started
from fupin.core.permissions import may, require
from fupin.monitoring import rules_jobs
from fupin.monitoring.choices import RuleKind
from fupin.monitoring.models import RuleRun
from fupin.monitoring.rules import rule_counts

router = Router()
VIEW = "monitoring.view_rulerun"
RUN = "monitoring.run_rules"


class RuleCountOut(Schema):
    code: str
    name: str
    fired: int = Field(description="范围内命中的户数(含已是监测对象或已有办理中线索的农户)")
    new: int = Field(description="本次新增的风险线索数")


class RuleRunOut(Schema):
    id: int
    area_code: str
    area_name: str
    period: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    by: str | None = Field(description="操作人;为空表示系统")
    job_id: uuid.UUID | None
    fired: int
    new: int
    counts: list[RuleCountOut]


class RuleRunIn(Schema):
    area: Annotated[str, StringConstraints(pattern=r"^\d{2,12}$")] = Field(description="运行范围的区划代码")
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")] | None = Field(
        None, description="预警期间,年-月;默认本月"
    )
    kinds: list[RuleKind] | None = Field(None, description="只运行这些类型的规则;默认全部启用的规则")


class QualityCheckIn(Schema):
    county: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] = Field(description="县级区划代码(6位)")


def _run_out(run: RuleRun) -> dict:
    counts = rule_counts(run)
    return {
        "id": run.pk,
        "area_code": run.area_id,
        "area_name": str(run.area),
        "period": run.period,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "by": (run.by.get_full_name() or run.by.get_username()) if run.by else None,
        "job_id": run.job_id,
        "fired": sum(c["fired"] for c in counts),
        "new": sum(c["new"] for c in counts),
        "counts": counts,
    }


def _in_scope(request: HttpRequest, code: str) -> None:
    """An area outside the caller's scope answers as a missing one (404), as every read does."""
    if not may(request.user, RUN, code=code):
        raise Http404


@router.post("/rules/runs", response={202: JobStartedOut, **WRITE_ERRORS}, summary="运行预警规则(后台任务)")
def start_run(request: HttpRequest, payload: RuleRunIn):
    require(request, RUN)
    _in_scope(request, payload.area)
    try:
        job = rules_jobs.start_run(
            user=request.user,
            area_code=payload.area,
            period=payload.period,
            kinds=[str(k) for k in payload.kinds] if payload.kinds else None,
        )
    except ValidationError as exc:
        return service_error(exc, {"area_code": "area"})
    return Answer(202, job_started(job))


@router.get("/rules/runs/{run_id}", response=RuleRunOut, summary="预警规则运行结果")
def get_run(request: HttpRequest, run_id: int):
    require(request, VIEW)
    run = RuleRun.objects.visible_to(request.user).select_related("area", "by").filter(pk=run_id).first()
    if run is None:
        raise Http404
    return _run_out(run)


@router.post(
    "/quality/checks", response={202: JobStartedOut, **WRITE_ERRORS}, summary="数据质量检查(后台任务)"
)
def start_checks(request: HttpRequest, payload: QualityCheckIn):
    require(request, RUN)
    _in_scope(request, payload.county)
    try:
        job = rules_jobs.start_checks(user=request.user, county_code=payload.county)
    except ValidationError as exc:
        return service_error(exc, {"county_code": "county"})
    return Answer(202, job_started(job))
