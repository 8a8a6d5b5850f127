"""The unit list, declared once (fupin.core.lists): the page, its export and the API's /units."""

from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fupin.core.lists import Column, ListSpec
from fupin.orgs import selectors
from fupin.orgs.forms import UnitQueryForm


def _places(units) -> None:
    # 帮扶地区 of a page (or an export chunk) in two queries rather than two per unit.
    prefetch_related_objects(units, "assisted_places__region")


UNITS = ListSpec(
    name="orgs.unit",
    url="orgs:unit",
    title=_("帮扶单位"),
    filters=UnitQueryForm,
    rows=lambda user, f: selectors.unit_list(user=user, q=f.get("q", ""), kind=f.get("kind", "")),
    columns=[
        Column(_("单位名称"), lambda u: u.name, sort="name"),
        Column(_("简称"), lambda u: u.short_name),
        Column(_("单位类型"), lambda u: u.get_kind_display(), sort="kind", tag=lambda u: "blue"),
        Column(_("上级单位"), lambda u: str(u.parent or "")),
        Column(_("所在地"), lambda u: str(u.region or ""), sort="region_id"),
        Column(_("帮扶地区"), lambda u: "、".join(str(p.region) for p in u.assisted_places.all())),
    ],
    permission="orgs.view_unit",
    actions=lambda u, user: [(_("查看"), reverse("orgs:unit_detail", args=[u.pk]))],
    batch=_places,
)
