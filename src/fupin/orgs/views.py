from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from fupin.core.exports import xlsx_response
from fupin.core.scoping import get_visible_or_404
from fupin.orgs import selectors
from fupin.orgs.forms import UnitQueryForm
from fupin.orgs.models import Unit


def _filtered(request):
    form = UnitQueryForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list(user=request.user, q=filters.get("q", ""), kind=filters.get("kind", ""))
    return form, units


@login_required
def unit_list(request):
    from fupin.core.pagination import paginate

    form, units = _filtered(request)
    return render(request, "orgs/unit_list.html", {"form": form, "page": paginate(request, units)})


@login_required
def unit_detail(request, pk: int):
    unit = get_visible_or_404(Unit.objects.select_related("region", "parent"), request.user, pk=pk)
    return render(request, "orgs/unit_detail.html", {"unit": unit, "places": selectors.unit_places(unit)})


@login_required
def unit_export(request):
    from fupin.audit.services import audit_record

    _form, units = _filtered(request)
    headers = [_("单位名称"), _("简称"), _("单位类型"), _("上级单位"), _("所在地"), _("帮扶地区")]
    rows = [
        [
            u.name,
            u.short_name,
            u.get_kind_display(),
            str(u.parent or ""),
            str(u.region or ""),
            "、".join(str(p.region) for p in u.assisted_places.all()),
        ]
        for u in units.prefetch_related("assisted_places__region")
    ]
    audit_record(
        action="export", actor=request.user, request=request, object_type="orgs.unit", detail=f"{len(rows)}"
    )
    return xlsx_response(_("帮扶单位") + ".xlsx", headers, rows)
