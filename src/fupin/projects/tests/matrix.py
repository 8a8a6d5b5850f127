"""This app's part of the scope matrix (src/fupin/tests/test_scope_matrix.py).

PAGES, API and ADMIN_OBJECTS use the same kinds as the central matrix; `objects(objs)` makes this
app's records in 兴海县's world (objs holds the cast and the registry's households) and returns
them by name for the builders: a project of 民族村 whose responsible unit is 大唐 (the marker),
a 兴海县 source with a budget, an allocation and a disbursement.
"""

from django.urls import reverse

from fupin.testing import Page, object_url, plain_url

PROJECT_NAME = "民族村牦牛养殖合作社"
HOTLINE = "0974-8591234"  # 兴海县's 监督举报电话 (its 公示 settings)


def _project(name):
    return object_url(name, "project")


def _money(o):
    return {"amount": "1.00", "date": "2024-05-06", "memo": ""}


def _p(o) -> int:
    return o["project"].pk


def _b(o) -> str:
    return f"/api/projects/projects/{_p(o)}/beneficiaries/{o['beneficiary'].pk}"


PAGES: dict = {
    "projects:project_list": Page(plain_url("projects:project_list"), "list"),
    "projects:project_export": Page(plain_url("projects:project_export"), "export"),
    "projects:summary_list": Page(plain_url("projects:summary_list"), "list", "产业"),
    "projects:summary_export": Page(plain_url("projects:summary_export"), "export", "产业"),
    "projects:project_create": Page(plain_url("projects:project_create"), "list-no-marker"),
    "projects:project_detail": Page(_project("projects:project_detail"), "detail"),
    "projects:project_edit": Page(_project("projects:project_edit"), "detail"),
    "projects:project_transition": Page(
        _project("projects:project_transition"),
        "post",
        data=lambda o: {"action": "accept", "reason": "验收合格"},
    ),
    "projects:beneficiary_add": Page(_project("projects:beneficiary_add"), "detail"),
    "projects:beneficiary_edit": Page(
        lambda o: reverse("projects:beneficiary_edit", args=[_p(o), o["beneficiary"].pk]), "detail"
    ),
    "projects:beneficiary_remove": Page(
        lambda o: reverse("projects:beneficiary_remove", args=[_p(o), o["beneficiary"].pk]),
        "post",
        data=lambda o: {"reason": "重复录入"},
    ),
    "projects:allocate": Page(
        _project("projects:allocate"),
        "post",
        data=lambda o: {"source": o["source"].pk, "amount": "1.00", "date": "2024-05-06"},
    ),
    "projects:source_list": Page(plain_url("projects:source_list"), "list", "兴海县2024年中央衔接资金"),
    "projects:source_export": Page(plain_url("projects:source_export"), "export", "兴海县2024年中央衔接资金"),
    "projects:source_create": Page(plain_url("projects:source_create"), "list-no-marker"),
    "projects:source_detail": Page(object_url("projects:source_detail", "source"), "detail"),
    "projects:source_budget": Page(object_url("projects:source_budget", "source"), "post", data=_money),
    "projects:entry_list": Page(plain_url("projects:entry_list"), "list", PROJECT_NAME),
    "projects:entry_export": Page(plain_url("projects:entry_export"), "export", PROJECT_NAME),
    "projects:disburse": Page(object_url("projects:disburse", "allocation"), "post", data=_money),
    "projects:reverse": Page(
        object_url("projects:reverse", "disbursement"), "post", data=lambda o: {"reason": "录错"}
    ),
    "projects:publicity_settings": Page(plain_url("projects:publicity_settings"), "list", HOTLINE),
    # 公示: public by design (no login), built from an allow-list of fields.
    "projects:public_place": Page(lambda o: reverse("projects:public_place", args=["632524"]), "reference"),
}
NOT_RECORDS: set[str] = set()


API: dict = {
    "/api/projects/projects": (lambda o: "/api/projects/projects", "list"),
    "/api/projects/projects/{project_id}": (lambda o: f"/api/projects/projects/{_p(o)}", "detail"),
    "/api/projects/projects/{project_id}/transitions": (
        lambda o: f"/api/projects/projects/{_p(o)}/transitions",
        ("POST", lambda o: {"action": "accept", "reason": "验收合格"}),
    ),
    "/api/projects/projects/{project_id}/events": (
        lambda o: f"/api/projects/projects/{_p(o)}/events",
        "detail",
    ),
    "/api/projects/projects/{project_id}/beneficiaries": (
        lambda o: f"/api/projects/projects/{_p(o)}/beneficiaries",
        "detail",
    ),
    "/api/projects/projects/{project_id}/beneficiaries/{beneficiary_id}": (
        _b,
        ("PATCH", lambda o: {"benefit": "分红及务工"}),
    ),
    "/api/projects/projects/{project_id}/beneficiaries/{beneficiary_id}/remove": (
        lambda o: _b(o) + "/remove",
        ("POST", lambda o: {"reason": "重复录入"}),
    ),
    "/api/projects/projects/{project_id}/allocations": (
        lambda o: f"/api/projects/projects/{_p(o)}/allocations",
        ("POST", lambda o: {"source_id": o["source"].pk, "amount": "1.00"}),
    ),
    "/api/projects/sources": (lambda o: "/api/projects/sources", "list", "兴海县2024年中央衔接资金"),
    "/api/projects/sources/{source_id}": (lambda o: f"/api/projects/sources/{o['source'].pk}", "detail"),
    "/api/projects/sources/{source_id}/budget": (
        lambda o: f"/api/projects/sources/{o['source'].pk}/budget",
        ("POST", lambda o: {"amount": "1.00"}),
    ),
    "/api/projects/entries": (lambda o: "/api/projects/entries", "list", "2024-05-06"),
    "/api/projects/entries/{entry_id}/disbursements": (
        lambda o: f"/api/projects/entries/{o['allocation'].pk}/disbursements",
        ("POST", lambda o: {"amount": "1.00"}),
    ),
    "/api/projects/entries/{entry_id}/reversal": (
        lambda o: f"/api/projects/entries/{o['disbursement'].pk}/reversal",
        ("POST", lambda o: {"reason": "录错"}),
    ),
}
ADMIN_OBJECTS: dict = {
    "projects.project": lambda o: o["project"],
    "projects.fundsource": lambda o: o["source"],
    "projects.ledgerentry": lambda o: o["allocation"],
}


def objects(objs: dict) -> dict:
    """兴海县's project (in progress, unit 大唐) with its money, and 扎西's household as a beneficiary."""
    from fupin.projects import ledger, services
    from fupin.projects.models import Status
    from fupin.projects.tests.factories import TODAY, make_project, make_source

    source = make_source(name="兴海县2024年中央衔接资金", budget="500000.00")
    project = make_project(
        name=PROJECT_NAME, unit=objs["datang"], budget="300000.00", status=Status.IN_PROGRESS
    )
    allocation = ledger.fund_allocate(by=None, source=source, project=project, amount="300000.00", date=TODAY)
    disbursement = ledger.fund_disburse(by=None, allocation=allocation, amount="1000.00", date=TODAY)
    beneficiary = services.beneficiary_add(by=None, project=project, household=objs["zhaxi"], benefit="分红")
    services.publicity_save(by=None, county_code="632524", hotline=HOTLINE, office="兴海县乡村振兴局")
    return {
        "project": project,
        "source": source,
        "allocation": allocation,
        "disbursement": disbursement,
        "beneficiary": beneficiary,
    }
