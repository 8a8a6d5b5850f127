"""The documents API (`/api/documents`).

明白卡 (cards): `GET /households/{id}/card?size=A5|A4` and `GET /households/{id}/file` answer the PDF
(masked; a household out of scope is a 404, as a missing one); `POST /cards/batch` starts a village's
明白卡 as a job (202, follow it at `/api/jobs/{id}`, whose `file_url` gives the PDF). Every print is
audited as the pages' are (documents.views.cards.audit_print; the batch's file when downloaded).
"""

from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja import Status as Answer
from pydantic import Field, StringConstraints

from fupin.apierrors import WRITE_ERRORS
from fupin.apitypes import DbId, JobStartedOut, job_started
from fupin.core.permissions import require
from fupin.documents import tasks
from fupin.documents.views.cards import PRINT, print_household
from fupin.regions.models import Region
from fupin.registry import selectors as registry

router = Router(tags=["documents"])

PDF = {200: {"content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}


@router.get(
    "/households/{household_id}/card", summary="一户的明白卡(PDF,脱敏)", openapi_extra={"responses": PDF}
)
def household_card(request: HttpRequest, household_id: DbId, size: Literal["A5", "A4"] = "A5"):
    require(request, PRINT)
    household = registry.household_or_404(request.user, household_id)
    return print_household(request, household, document="card", size=size)


@router.get("/households/{household_id}/file", summary="一户一档(PDF,脱敏)", openapi_extra={"responses": PDF})
def household_file(request: HttpRequest, household_id: DbId):
    require(request, PRINT)
    household = registry.household_or_404(request.user, household_id)
    return print_household(request, household, document="file")


VillageCode = Annotated[str, StringConstraints(pattern=r"^\d{12}$")]


class CardBatchIn(Schema):
    village: VillageCode = Field(description="村级区划代码(12 位)")
    size: Literal["A5", "A4"] = "A5"


@router.post(
    "/cards/batch", response={202: JobStartedOut, **WRITE_ERRORS}, summary="打印本村明白卡(后台任务,一户一页)"
)
def card_batch(request: HttpRequest, payload: CardBatchIn):
    require(request, PRINT)
    region = Region.objects.filter(code=payload.village, level=5).first()
    if region is None or not registry.division_in_scope(request.user, region.code):
        raise Http404  # a village outside the caller's scope answers as a missing one
    job = tasks.start_village_cards(by=request.user, village=region, size=payload.size)
    return Answer(202, job_started(job))


# --- 帮扶成效报告 (helper "results"): POST starts the job; GET /api/jobs/{id} then gives file_url ----

from django.http import Http404 as _Http404  # noqa: E402
from django.utils.translation import gettext as _gettext  # noqa: E402
from ninja import Field as _Field  # noqa: E402
from ninja import Schema as _Schema  # noqa: E402
from ninja import Status as _Answer  # noqa: E402

from fupin.apierrors import WRITE_ERRORS as _WRITE_ERRORS  # noqa: E402
from fupin.apitypes import JobStartedOut as _JobStartedOut  # noqa: E402
from fupin.core.permissions import require as _require  # noqa: E402
from fupin.documents import results as results_report  # noqa: E402
from fupin.orgs.selectors import unit_for  # noqa: E402


class ResultsReportIn(_Schema):
    unit: int = _Field(description="帮扶单位编号(本人可查看的单位)")
    first: int = _Field(description="起始年度,如 2018")
    last: int = _Field(description="结束年度,如 2020;与起始年度相同则为单一年度")


@router.post(
    "/results", response={202: _JobStartedOut, **_WRITE_ERRORS}, summary="生成帮扶成效报告(后台任务,.docx)"
)
def start_results_report(request, payload: ResultsReportIn):
    from fupin.documents import tasks as document_tasks

    _require(request, "documents.print_results")
    unit = unit_for(request.user, payload.unit)
    if unit is None:
        raise _Http404  # out of scope answers as missing
    try:
        first, last = results_report.check_years(payload.first, payload.last)
    except ValueError as error:
        return _Answer(
            422,
            {
                "detail": _gettext("请求参数有误:%(reason)s") % {"reason": f"last:{error}"},
                "errors": [{"loc": ["body", "last"], "type": "invalid", "msg": str(error)}],
            },
        )
    job = document_tasks.start_results_report(by=request.user, unit=unit, first=first, last=last)
    job.refresh_from_db()
    return _Answer(202, job_started(job))
