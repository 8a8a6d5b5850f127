"""How a service's refusal becomes an API answer, the same way in every app.

A stale `version` or a refused workflow step is a 409 with every reason; a ValidationError is a 422
with one entry per field (`aliases` renames a service's field to the API schema's name, e.g.
unit → unit_id). The body matches ErrorOut, which each write operation documents.
`patch_answer` is the one PATCH: the fields sent, the version, the service, the refusals.
"""

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Schema
from ninja import Status as Answer

from fupin.core.errors import StaleVersion, TransitionRefused


class ErrorOut(Schema):
    detail: str
    reasons: list[str] = []
    errors: list[dict] = []


REFUSALS = (StaleVersion, TransitionRefused, ValidationError)
# 400: a body that is not JSON at all (ninja answers before validation).
WRITE_ERRORS = {400: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def service_error(exc: Exception, aliases: dict[str, str] | None = None) -> Answer:
    """A service's refusal as an answer: 409 for stale/refused, 422 for field errors."""
    if isinstance(exc, StaleVersion):
        return Answer(409, {"detail": exc.message, "reasons": [exc.message]})
    if isinstance(exc, TransitionRefused):
        return Answer(409, {"detail": str(exc) or _("操作被拒绝"), "reasons": exc.reasons})
    assert isinstance(exc, ValidationError)
    aliases = aliases or {}
    errors = []
    if hasattr(exc, "error_dict"):
        for field, items in exc.error_dict.items():
            for error in items:
                for message in error.messages:
                    loc = ["body", aliases.get(field, field)]
                    errors.append({"loc": loc, "type": error.code or "invalid", "msg": message})
    else:
        errors = [
            {"loc": ["body"], "type": e.code or "invalid", "msg": m}
            for e in exc.error_list
            for m in e.messages
        ]
    reason = ";".join(f"{e['loc'][-1]}:{e['msg']}" if len(e["loc"]) > 1 else e["msg"] for e in errors)
    return Answer(422, {"detail": _("请求参数有误:%(reason)s") % {"reason": reason}, "errors": errors})


def patch_answer(
    request,
    payload: Schema,
    update: Callable,
    out: Callable,
    *,
    aliases: dict[str, str] | None = None,
    clearable: Iterable[str] = (),
) -> Answer:
    """Apply a PATCH of a row the handler has already fetched in scope (and checked permission on).

    `update(by=, version=, request=, **fields)` gets the fields the client sent; a null means
    "unchanged" except for those in `clearable`, where it clears. The service compares the version
    (a stale one is a 409). The answer is 200 with `out(updated row)`, or the refusal by
    service_error (`aliases` as there)."""
    fields = payload.model_dump(exclude_unset=True)
    version = fields.pop("version")
    fields = {k: v for k, v in fields.items() if v is not None or k in clearable}
    try:
        row = update(by=request.user, version=version, request=request, **fields)
    except REFUSALS as exc:
        return service_error(exc, aliases)
    return Answer(200, out(row))
