"""Constrained types for API inputs, so bad input is a 422 with a reason and never a 500.

PostgreSQL refuses NUL characters in text and integers beyond 64 bits; unconstrained inputs would
reach the database and fail there. Every API schema takes its strings and ids from here.
"""

import uuid
from typing import Annotated

from django.core.exceptions import ValidationError as FieldRuleError
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError

from fupin.core import validators

# No NUL or other C0 control characters (the rule of core.validators.has_control): tab and line
# breaks only in text of several lines (NO_CONTROL_TEXT), none in a single line (NO_CONTROL_LINE).
_NO_CONTROL = validators.NO_CONTROL_TEXT

SearchText = Annotated[str, StringConstraints(max_length=50, pattern=_NO_CONTROL)]
Text = Annotated[str, StringConstraints(max_length=2000, pattern=_NO_CONTROL)]
DbId = Annotated[int, Field(ge=1, le=2**63 - 1)]
Limit = Annotated[int, Field(ge=1, le=200)]
Offset = Annotated[int, Field(ge=0, le=10_000_000)]
DIVISION_CODE_PATTERN = r"^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$"
DivisionCode = Annotated[str, StringConstraints(pattern=DIVISION_CODE_PATTERN)]


def _rule(function, *, blank: bool = False):
    """A core.validators rule as a pydantic validator: its Chinese message becomes the 422's reason.

    blank: "" passes unchanged (an optional text field left empty)."""

    def check(value):
        if blank and value == "":
            return value
        try:
            return function(value)
        except FieldRuleError as exc:
            raise PydanticCustomError("field_rule", "{reason}", {"reason": exc.messages[0]}) from None

    return AfterValidator(check)


# The same rules as the forms and the import (core.validators); "" is "not given" or "clear".
MobilePhone = Annotated[
    str, StringConstraints(max_length=30, pattern=_NO_CONTROL), _rule(validators.mobile_phone, blank=True)
]
BankAccount = Annotated[
    str, StringConstraints(max_length=40, pattern=_NO_CONTROL), _rule(validators.bank_account, blank=True)
]
PastYear = Annotated[int, Field(ge=1900, le=9999, description="1900年至今年"), _rule(validators.past_year)]


# Chinese reasons for the validation errors the types above produce (pydantic's are English).
_MESSAGES = {
    "missing": _("缺少必填参数"),
    "string_too_long": _("过长(最多 {max_length} 个字符)"),
    "string_too_short": _("过短(至少 {min_length} 个字符)"),
    "int_parsing": _("应为整数"),
    "int_type": _("应为整数"),
    "greater_than_equal": _("不能小于 {ge}"),
    "less_than_equal": _("不能大于 {le}"),
    "enum": _("取值无效,可选:{expected}"),
    "literal_error": _("取值无效,可选:{expected}"),
}
_PATTERN_MESSAGES = {
    DIVISION_CODE_PATTERN: _("区划代码应为 2、4、6、9 或 12 位数字"),
    _NO_CONTROL: _("含有不允许的控制字符"),
    validators.NO_CONTROL_LINE: _("含有不允许的控制字符"),
}


def describe_errors(errors: list[dict]) -> str:
    """One readable Chinese sentence per invalid field, e.g. `code:区划代码应为 2、4、6、9 或 12 位数字`."""
    parts = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body", "params")]
        ctx = error.get("ctx") or {}
        if error.get("type") == "field_rule":
            template = ctx.get("reason", "")
        elif error.get("type") == "string_pattern_mismatch":
            template = _PATTERN_MESSAGES.get(ctx.get("pattern"), _("格式不正确"))
        else:
            template = _MESSAGES.get(error.get("type"), _("取值无效"))
        try:
            message = str(template).format(**ctx)
        except (KeyError, IndexError):
            message = str(template)
        parts.append(f"{'.'.join(loc)}:{message}" if loc else message)
    return ";".join(parts)


class JobStartedOut(Schema):
    """The answer of every call that starts a background job (fupin.jobs): where to follow it.
    One class for all of them (a rule run, a quality check, a rollup refresh), so the OpenAPI
    document has one component of that name."""

    job_id: uuid.UUID
    state: str
    status_url: str = Field(description="任务进度(GET);完成后 result 给出结果")
    result: dict = Field(description="任务已完成时的结果(如运行编号 run),否则为空")


def job_started(job) -> dict:
    """The body of a JobStartedOut answer (202) for a job just queued."""
    return {
        "job_id": job.pk,
        "state": job.state,
        "status_url": f"/api/jobs/{job.pk}",
        "result": job.result or {},
    }
