"""Department screening in the API (部门筛查预警): upload a department's list, read a batch, list batches.

POST /screening is a multipart form (source, county, period, file, and `mapping` as a JSON object
of field → header when the columns must be named). It runs the import in the request and answers
201 with the batch. When the source has no mapping in the county yet, or the file lacks a mapped
header, it answers 409 with the file's headers and a guess: send the same form again with `mapping`.
A refused file or field is a 422 naming it, in Chinese; nothing is written then.
"""

import datetime
import json
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja import Status as Answer
from ninja.files import UploadedFile
from pydantic import StringConstraints

from fupin.apierrors import WRITE_ERRORS, ErrorOut, service_error
from fupin.core import lists
from fupin.core.permissions import require
from fupin.monitoring import screening
from fupin.monitoring.choices import Source

router = Router()


class ScreeningBatchOut(Schema):
    id: int
    source: Source
    source_label: str
    county_code: str
    county_name: str
    period: str
    file_name: str
    rows: int = Field(description="数据行数(空行不计)")
    matched: int = Field(description="匹配到本县登记人员的人数")
    unmatched: int = Field(description="未匹配的行数(含身份证号有误的行)")
    hits: int = Field(description="部门数据预警规则命中的户数")
    created_at: datetime.datetime


class MappingFieldOut(Schema):
    key: str
    label: str
    required: bool


class MappingNeededOut(ErrorOut):
    headers: list[str] = Field(description="文件的表头")
    guess: dict[str, str] = Field(
        description="按常见表头推测的对应关系(字段 → 表头),请核对后作为 mapping 提交"
    )
    missing: list[str] = Field(description="已保存的对应关系中、文件里没有的表头")
    fields: list[MappingFieldOut]


class ScreeningUploadIn(Schema):
    source: Source
    county: Annotated[str, StringConstraints(pattern=r"^\d{6}$")] = Field(description="县级区划代码(6位)")
    period: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")] = Field(description="数据期间,年-月")
    mapping: Annotated[str, StringConstraints(max_length=4000)] = Field(
        "",
        description='列对应关系(JSON 对象,字段 → 表头),如 {"id_number": "公民身份号码", "name": "姓名"};'
        "字段:id_number(必需)、name、amount、event、event_date。省略则沿用本县该部门已保存的对应关系",
    )


def _out(batch) -> dict:
    return {
        "id": batch.pk,
        "source": batch.source,
        "source_label": str(batch.get_source_display()),
        "county_code": batch.county_id,
        "county_name": str(batch.county),
        "period": batch.period,
        "file_name": batch.file_name,
        "rows": batch.rows,
        "matched": batch.matched,
        "unmatched": batch.unmatched,
        "hits": batch.hits,
        "created_at": batch.created_at,
    }


def _mapping(text: str) -> dict | None:
    """The form's `mapping` as a dict (None when not sent); a 422 when it is not a JSON object of text."""
    if not text.strip():
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValidationError({"mapping": _('mapping 应为 JSON 对象,如 {"id_number": "身份证号码"}')})
    return value


@router.post(
    "/screening",
    response={201: ScreeningBatchOut, **WRITE_ERRORS, 409: MappingNeededOut},
    summary="上传部门数据并匹配(multipart)",
)
def upload_screening(request: HttpRequest, payload: Form[ScreeningUploadIn], file: File[UploadedFile]):
    require(request, screening.PERM, code=payload.county)
    try:
        batch = screening.import_list(
            by=request.user,
            source=payload.source,
            county=payload.county,
            period=payload.period,
            upload=file,
            mapping=_mapping(payload.mapping),
            file_name=file.name or "",
        )
    except screening.MappingNeeded as needed:
        return Answer(
            409,
            {
                "detail": needed.message,
                "reasons": [needed.message],
                "headers": needed.headers,
                "guess": needed.guess,
                "missing": needed.missing,
                "fields": [
                    {"key": f.key, "label": str(f.label), "required": f.required} for f in screening.FIELDS
                ],
            },
        )
    except ValidationError as exc:
        return service_error(exc, {f.key: f"mapping.{f.key}" for f in screening.FIELDS})
    return Answer(201, _out(batch))


@router.get("/screening/{batch_id}", response=ScreeningBatchOut, summary="部门筛查数据批次")
def get_screening(request: HttpRequest, batch_id: int):
    require(request, screening.VIEW_PERM)
    batch = screening.batch_for(request.user, batch_id)
    if batch is None:
        raise Http404
    return _out(batch)


lists.api_list(
    router,
    "/screening",
    screening.SCREENING_BATCHES,
    ScreeningBatchOut,
    summary="部门筛查数据批次列表",
    serialize=_out,
)
