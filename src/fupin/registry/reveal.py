"""Showing a full personal value: a separate permission, the choke point, and an audit row each time."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fupin.audit.services import _region_code_of, audit_denied, audit_record
from fupin.core import crypto
from fupin.core.audit_actions import AuditAction
from fupin.core.masking import mask_account, mask_id_number, mask_phone
from fupin.registry.choices import Health
from fupin.registry.models import Household, Member

# field -> (model, encrypted column, masking for the audit row). `health` gives the stored code
# (registry.choices.Health): the API answers the code, a page shows `shown(field, value)`.
REVEALABLE = {
    "id_number": (Member, "id_number_enc", mask_id_number),
    "health": (Member, "health_enc", lambda _v: "******"),
    "disability": (Member, "disability_enc", lambda _v: "******"),
    "phone": (Household, "phone_enc", mask_phone),
    "bank_account": (Household, "bank_account_enc", mask_account),
}


def reveal(*, by, request, obj, field: str) -> str:
    """The decrypted value of `field` of a Member or Household, if `by` may see it in full.

    Needs `registry.reveal_household` and the object visible to `by`; otherwise PermissionDenied
    (and a DENIED audit row). Each reveal writes a REVEAL row naming the field, with the value masked.
    """
    spec = REVEALABLE.get(field)
    if spec is None or not isinstance(obj, spec[0]):
        raise ValueError(f"{field!r} cannot be revealed on {type(obj).__name__}")
    model, column, masker = spec
    allowed = (
        by is not None
        and by.has_perm("registry.reveal_household")
        and model.objects.visible_to(by).filter(pk=obj.pk).exists()
    )
    if not allowed:
        if request is not None:
            audit_denied(request, reason=_("查看敏感信息被拒绝:%(field)s") % {"field": field})
        raise PermissionDenied(_("没有查看完整敏感信息的权限"))
    stored = model._base_manager.filter(pk=obj.pk).values_list(column, flat=True).get()
    value = crypto.decrypt(stored)
    audit_record(
        action=AuditAction.REVEAL,
        actor=by,
        request=request,
        obj=obj,
        region_code=_region_code_of(obj),
        changes={field: masker(value) if value else ""},
        detail=_("查看完整的%(field)s") % {"field": field},
    )
    return value


def shown(field: str, value: str) -> str:
    """How a page shows a revealed value: a coded field (健康状况) by its label, never its code."""
    if field == "health" and value:
        return str(Health(value).label) if value in Health.values else value
    return value
