"""The exchange in the API: a file in the national layout (a job), a return to compare (a job), the
returns read and their differences (the one list mechanism).

POST /exchange/exports starts the file's job and answers 202 with its id; `GET /api/jobs/{id}` follows
it and gives `file_url` once done. POST /exchange/returns (multipart: county, file) starts the
comparison's job the same way. A division outside the caller's scope is a 404, as a missing one.
"""

from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja import Status as Answer
from ninja.files import UploadedFile
from pydantic import StringConstraints

from fupin.apierrors import WRITE_ERRORS
from fupin.apitypes import JobStartedOut, job_started
from fupin.core import lists as core_lists
from fupin.core.permissions import require
from fupin.exchange import lists, tasks
from fupin.regions.models import Region
from fupin.registry import selectors as registry

router = Router(tags=["exchange"])

Code = Annotated[str, StringConstraints(pattern=r"^\d{2}(\d{2}(\d{2}(\d{3}(\d{3})?)?)?)?$")]


class ExportIn(Schema):
    division: Code = Field(description="区划代码(省2位至村12位)")
    what: Literal["members", "objects", "roster"] = Field(
        description="members=户籍及家庭成员(国家采集格式);objects=监测对象(国家采集格式);roster=监测对象名单(打印格式)"
    )
    format: Literal["xlsx", "csv"] = Field("xlsx", description="文件格式;roster 总是 xlsx")
    clear: bool = Field(False, description="明文导出(需 registry.reveal_household 权限与用途)")
    purpose: Annotated[str, StringConstraints(max_length=200)] = Field("", description="明文导出的用途")
    unit: Annotated[str, StringConstraints(max_length=100)] = Field("", description="名单上的填报单位")


class ReturnIn(Schema):
    county: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] = Field(description="县级区划代码(6位)")


class RunOut(Schema):
    id: int
    county_code: str
    file_name: str
    state: str
    rows: int
    matched: int
    changed: int = Field(description="数据不一致项")
    codes: int = Field(description="国家编号(户编号/人编号)不一致项")
    theirs_unknown: int = Field(description="回传中本县无此人的行")
    ours_unknown: int = Field(description="本县登记而回传中没有的人")
    errors: int = Field(description="有误的单元格")


class DifferenceOut(Schema):
    id: int
    run: int
    kind: str
    row: int | None
    column: str
    household_number: str
    name: str
    id_masked: str = Field(description="证件号码(脱敏)")
    ours: str
    theirs: str
    message: str


def _in_scope(request, code: str) -> None:
    if not registry.division_in_scope(request.user, code) or not Region.objects.filter(code=code).exists():
        raise Http404


@router.post(
    "/exports", response={202: JobStartedOut, **WRITE_ERRORS}, summary="按国家系统格式导出(后台任务)"
)
def start_export(request: HttpRequest, payload: ExportIn):
    require(request, tasks.EXPORT_PERM)
    _in_scope(request, payload.division)
    if payload.clear and not payload.purpose.strip():
        return Answer(422, {"detail": _("明文导出须说明用途。")})
    job = tasks.start_export(
        user=request.user,
        area=payload.division,
        what=payload.what,
        fmt=payload.format,
        clear=payload.clear,
        purpose=payload.purpose,
        unit=payload.unit,
    )
    return Answer(202, job_started(job))


@router.post(
    "/returns",
    response={202: JobStartedOut, **WRITE_ERRORS},
    summary="导入国家系统回传并比对(multipart,后台任务)",
)
def upload_return(request: HttpRequest, payload: Form[ReturnIn], file: File[UploadedFile]):
    require(request, tasks.IMPORT_PERM)
    _in_scope(request, payload.county)
    if not (file.name or "").lower().endswith((".xlsx", ".csv")):
        return Answer(422, {"detail": _("只能导入 .xlsx 或 .csv 文件。")})
    county = Region.objects.get(code=payload.county)
    job = tasks.start_return(user=request.user, county=county, upload=file)
    return Answer(202, job_started(job))


def _run_out(r) -> dict:
    return {
        "id": r.pk,
        "county_code": r.county_id,
        "file_name": r.file_name,
        "state": r.state,
        "rows": r.rows,
        "matched": r.matched,
        "changed": r.changed,
        "codes": r.codes,
        "theirs_unknown": r.theirs_unknown,
        "ours_unknown": r.ours_unknown,
        "errors": r.errors,
    }


def _difference_out(d) -> dict:
    return {
        "id": d.pk,
        "run": d.run_id,
        "kind": d.kind,
        "row": d.row,
        "column": d.column,
        "household_number": d.household_number,
        "name": d.name,
        "id_masked": d.id_masked,
        "ours": d.ours,
        "theirs": d.theirs,
        "message": d.message,
    }


core_lists.api_list(
    router, "/returns", lists.RUNS, RunOut, summary="国家系统回传比对列表", serialize=_run_out
)
core_lists.api_list(
    router,
    "/differences",
    lists.DIFFERENCES,
    DifferenceOut,
    summary="比对差异列表",
    serialize=_difference_out,
)
