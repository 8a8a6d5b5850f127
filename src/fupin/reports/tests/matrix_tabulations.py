"""Part of reports' scope matrix (reports/tests/matrix.py merges it): 统计报表, the upward forms.

兴海县's county officer defined a form of their own (OWN): the county officer sees it in the list,
opens, downloads, edits and deletes it; the outsider of 泾川县 (the same role) finds it missing
(404) everywhere, and the forms' figures API answers the outsider 404 for it. Defining a form
for 632524 or generating one there is refused to the outsider as missing."""

from fupin.testing import Page, object_url, plain_url

OWN = "兴海县自定义监测报表"

PAGES: dict = {
    "reports:tabulation_list": Page(plain_url("reports:tabulation_list"), "list", OWN),
    "reports:tabulation_export": Page(plain_url("reports:tabulation_export"), "export", OWN),
    # The definition form: the catalogue's indicators to pick from, no record of anyone's.
    "reports:tabulation_create": Page(plain_url("reports:tabulation_create"), "list-no-marker", OWN),
    "reports:tabulation_detail": Page(object_url("reports:tabulation_detail", "own_tabulation"), "detail"),
    "reports:tabulation_download": Page(
        object_url("reports:tabulation_download", "own_tabulation"), "detail"
    ),
    "reports:tabulation_edit": Page(object_url("reports:tabulation_edit", "own_tabulation"), "detail"),
    "reports:tabulation_delete": Page(
        object_url("reports:tabulation_delete", "own_tabulation"), "post", data=lambda o: {}
    ),
}
NOT_RECORDS: set = set()

COLUMNS = [{"indicator": "registry.households", "header": "登记户数"}]

API: dict = {
    "/api/reports/tabulations": (lambda o: "/api/reports/tabulations", "list", OWN),
    "/api/reports/tabulations/{tabulation_id}/figures": (
        lambda o: f"/api/reports/tabulations/{o['own_tabulation'].pk}/figures?area=632524",
        "detail",
    ),
    "/api/reports/tabulations/{tabulation_id}/generate": (
        lambda o: f"/api/reports/tabulations/{o['own_tabulation'].pk}/generate",
        ("POST", lambda o: {"area": "632524"}),
    ),
}
# POST /api/reports/tabulations shares its path with the list (GET): the matrix keys by path, so
# its refusal to the outsider (a county outside the caller's scope: 404) is checked in
# reports/tests/test_tabulations.py.
ADMIN_OBJECTS: dict = {}


def objects(objs: dict) -> dict:
    from fupin.reports import tabulations

    own = tabulations.define(
        by=None,
        owner="632524",
        data={"name": OWN, "rows": "children", "period": "month", "columns": COLUMNS},
    )
    return {"own_tabulation": own}
