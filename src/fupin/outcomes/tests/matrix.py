"""This app's part of the scope matrix (src/fupin/tests/test_scope_matrix.py).

PAGES, API and ADMIN_OBJECTS use the same kinds as the central matrix; `objects(objs)` makes this
app's records in 兴海县's world (objs holds the cast and the registry's households) and returns
them by name for the builders. The records belong to 大唐青海能源开发有限公司 (the matrix's marker),
which every list shows by name.
"""

import datetime

from fupin.testing import Page, object_url, plain_url

PAGES: dict = {
    "outcomes:home": Page(plain_url("outcomes:home"), "list"),
    "outcomes:purchase_list": Page(plain_url("outcomes:purchase_list"), "list"),
    "outcomes:purchase_export": Page(plain_url("outcomes:purchase_export"), "export"),
    "outcomes:purchase_create": Page(plain_url("outcomes:purchase_create"), "list-no-marker"),
    "outcomes:purchase_edit": Page(object_url("outcomes:purchase_edit", "purchase"), "detail"),
    "outcomes:purchase_delete": Page(
        object_url("outcomes:purchase_delete", "purchase"), "post", data=lambda o: {}
    ),
    "outcomes:placement_list": Page(plain_url("outcomes:placement_list"), "list"),
    "outcomes:placement_export": Page(plain_url("outcomes:placement_export"), "export"),
    "outcomes:placement_create": Page(plain_url("outcomes:placement_create"), "list-no-marker"),
    "outcomes:placement_edit": Page(object_url("outcomes:placement_edit", "placement"), "detail"),
    "outcomes:placement_delete": Page(
        object_url("outcomes:placement_delete", "placement"), "post", data=lambda o: {}
    ),
    "outcomes:summary_list": Page(plain_url("outcomes:summary_list"), "list"),
    "outcomes:summary_export": Page(plain_url("outcomes:summary_export"), "export"),
    "outcomes:indicator_list": Page(plain_url("outcomes:indicator_list"), "list"),
    "outcomes:indicator_export": Page(plain_url("outcomes:indicator_export"), "export"),
    # Only a unit's own people set its pledge; the county and the outsider may not open the form.
    "outcomes:target_create": Page(plain_url("outcomes:target_create"), "forbidden"),
    "outcomes:target_detail": Page(object_url("outcomes:target_detail", "target"), "detail"),
}
NOT_RECORDS: set[str] = set()


def _path(template: str, key: str):
    return lambda o: template.format(o[key].pk)


API: dict = {
    "/api/outcomes/purchases": (lambda o: "/api/outcomes/purchases", "list"),
    "/api/outcomes/purchases/totals": (lambda o: "/api/outcomes/purchases/totals?by=unit", "list"),
    "/api/outcomes/purchases/{purchase_id}": (_path("/api/outcomes/purchases/{}", "purchase"), "detail"),
    "/api/outcomes/placements": (lambda o: "/api/outcomes/placements", "list"),
    "/api/outcomes/placements/{placement_id}": (_path("/api/outcomes/placements/{}", "placement"), "detail"),
    "/api/outcomes/indicators": (lambda o: "/api/outcomes/indicators", "list"),
    # The county may see 大唐 but not set its pledge (403); to the outsider 大唐 does not exist (404).
    "/api/outcomes/units/{unit_id}/targets": (
        _path("/api/outcomes/units/{}/targets", "datang"),
        ("POST", lambda o: {"year": 2021}),
    ),
    "/api/outcomes/targets/{target_id}": (
        _path("/api/outcomes/targets/{}", "target"),
        ("PATCH", lambda o: {"version": 1, "note": "改"}),
    ),
}
ADMIN_OBJECTS: dict = {
    "outcomes.purchase": lambda o: o["purchase"],
    "outcomes.placement": lambda o: o["placement"],
    "outcomes.indicatortarget": lambda o: o["target"],
}


def objects(objs: dict) -> dict:
    """A purchase from 民族村, a placement of 扎西's wife, and 大唐's 2020 pledge."""
    from fupin.outcomes import services
    from fupin.outcomes.models import Channel, PlacementKind, PurchaseKind, WageBand

    datang = objs["datang"]
    purchase = services.purchase_create(
        by=None,
        unit=datang.pk,
        kind=PurchaseKind.BOUGHT,
        region="632524203207",
        supplier="兴海县民族村牦牛养殖合作社",
        product="牦牛肉",
        amount="125000.00",
        date=datetime.date(2020, 9, 1),
        channel=Channel.CANTEEN,
    )
    member = objs["zhaxi"].members.get(name="卓玛")
    placement = services.placement_create(
        by=None,
        unit=datang.pk,
        member=member.pk,
        employer="大唐青海能源开发有限公司兴海光伏电站",
        kind=PlacementKind.WELFARE_POST,
        date=datetime.date(2020, 6, 1),
        wage_band=WageBand.FROM_2000,
    )
    target = services.target_set(by=None, unit=datang.pk, year=2020, bought="100000.00", cadres_trained=50)
    return {"purchase": purchase, "placement": placement, "target": target}
