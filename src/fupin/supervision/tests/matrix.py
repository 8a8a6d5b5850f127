"""Supervision's part of the scope matrix (src/fupin/tests/test_scope_matrix.py): its pages, API
operations and back-office objects, and `objects(objs)`, its records of 兴海县's world.

The records: an inspector of 兴海县 (`inspector`), a checklist, a 暗访 of 兴海县 with one failed item
that opened a finding at 民族村 (the responsible unit 大唐, so the lists show the marker), a second
finding already submitted with before and after photos (ready to verify), a plan of 兴海县 broken
into one goal, one measure and one task of 大唐, and 兴海县's assessment of 大唐 for 2020 with a photo
as evidence on its first item.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fupin.testing import MARKER, MINZU_VILLAGE, XINGHAI, Page, make_user, object_url, plain_url

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
INSPECTION_TITLE = "兴海县驻村帮扶暗访"
PLAN_TITLE = "兴海县抓党建促脱贫三年行动计划"


def photo(name: str = "photo.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def _finding(key: str = "sup_finding"):
    return object_url("supervision:finding_detail", key)


def _step(name: str, data):
    return Page(object_url(name, "sup_finding"), "post", data=data)


PAGES: dict = {
    "supervision:home": Page(plain_url("supervision:home"), "list-no-marker"),
    "supervision:finding_new": Page(plain_url("supervision:finding_new"), "reference"),
    "supervision:finding_list": Page(plain_url("supervision:finding_list"), "list"),
    "supervision:finding_export": Page(plain_url("supervision:finding_export"), "export"),
    "supervision:finding_detail": Page(_finding(), "detail"),
    "supervision:finding_plan": _step(
        "supervision:finding_plan", lambda o: {"version": o["sup_finding"].version, "plan": "矩阵"}
    ),
    "supervision:finding_submit": _step(
        "supervision:finding_submit", lambda o: {"version": o["sup_finding"].version, "result": "矩阵"}
    ),
    "supervision:finding_close": _step(
        "supervision:finding_close", lambda o: {"version": o["sup_finding"].version}
    ),
    "supervision:finding_send_back": _step(
        "supervision:finding_send_back", lambda o: {"version": o["sup_finding"].version, "reasons": "矩阵"}
    ),
    "supervision:finding_photo": Page(object_url("supervision:finding_photo", "sup_photo"), "detail"),
    "supervision:summary": Page(lambda o: reverse("supervision:summary") + "?by=unit", "list"),
    "supervision:inspection_list": Page(plain_url("supervision:inspection_list"), "list", INSPECTION_TITLE),
    "supervision:inspection_export": Page(
        plain_url("supervision:inspection_export"), "export", INSPECTION_TITLE
    ),
    "supervision:inspection_new": Page(plain_url("supervision:inspection_new"), "reference"),
    "supervision:inspection_detail": Page(
        object_url("supervision:inspection_detail", "sup_inspection"), "detail"
    ),
    "supervision:inspection_check": Page(
        object_url("supervision:inspection_check", "sup_inspection"),
        "post",
        data=lambda o: {"item": o["sup_item"].pk, "division": MINZU_VILLAGE, "result": "pass"},
    ),
    "supervision:inspection_finish": Page(
        object_url("supervision:inspection_finish", "sup_inspection"),
        "post",
        data=lambda o: {"version": o["sup_inspection"].version},
    ),
    "supervision:plan_list": Page(plain_url("supervision:plan_list"), "list", PLAN_TITLE),
    "supervision:plan_detail": Page(object_url("supervision:plan_detail", "sup_plan"), "detail"),
    "supervision:plan_new": Page(plain_url("supervision:plan_new"), "reference"),
    "supervision:goal_new": Page(object_url("supervision:goal_new", "sup_plan"), "detail"),
    "supervision:measure_new": Page(object_url("supervision:measure_new", "sup_goal"), "detail"),
    "supervision:task_new": Page(object_url("supervision:task_new", "sup_measure"), "detail"),
    "supervision:task_list": Page(plain_url("supervision:task_list"), "list"),
    "supervision:task_export": Page(plain_url("supervision:task_export"), "export"),
    "supervision:task_detail": Page(object_url("supervision:task_detail", "sup_task"), "detail"),
    "supervision:task_report": Page(
        object_url("supervision:task_report", "sup_task"),
        "post",
        data=lambda o: {"version": o["sup_task"].version, "progress": 50, "note": "矩阵"},
    ),
    "supervision:assessment_list": Page(plain_url("supervision:assessment_list"), "list"),
    "supervision:assessment_new": Page(plain_url("supervision:assessment_new"), "reference"),
    "supervision:assessment_detail": Page(
        object_url("supervision:assessment_detail", "sup_assessment"), "detail"
    ),
    "supervision:assessment_score": Page(
        object_url("supervision:assessment_score", "sup_assessment"),
        "post",
        data=lambda o: {"item": o["sup_assessment"].items.first().pk, "score": "1", "note": "矩阵"},
    ),
    "supervision:assessment_finalize": Page(
        object_url("supervision:assessment_finalize", "sup_assessment"),
        "post",
        data=lambda o: {"version": o["sup_assessment"].version},
    ),
    "supervision:assessment_export": Page(plain_url("supervision:assessment_export"), "export"),
    "supervision:county_assessment_new": Page(plain_url("supervision:county_assessment_new"), "reference"),
    "supervision:assessment_refresh": Page(
        object_url("supervision:assessment_refresh", "sup_assessment"), "post", data=lambda o: {}
    ),
    "supervision:assessment_evidence": Page(
        lambda o: reverse(
            "supervision:assessment_evidence",
            args=[o["sup_assessment"].pk, o["sup_assessment"].items.first().pk],
        ),
        "detail",
    ),
    "supervision:evidence_file": Page(object_url("supervision:evidence_file", "sup_evidence"), "detail"),
    # Numbers only, open to everyone (tests/test_public.py checks nothing personal is on it).
    "supervision:public_counts": Page(
        lambda o: reverse("supervision:public_counts", args=[XINGHAI]), "reference"
    ),
}
NOT_RECORDS: set = set()


def _api_finding(o) -> str:
    return f"/api/supervision/findings/{o['sup_finding'].pk}"


def _api_step(step: str, body):
    return (lambda o: f"{_api_finding(o)}/{step}", ("POST", body))


API: dict = {
    "/api/supervision/findings": (lambda o: "/api/supervision/findings", "list"),
    "/api/supervision/findings/{finding_id}": (_api_finding, "detail"),
    "/api/supervision/findings/{finding_id}/plan": _api_step(
        "plan", lambda o: {"version": o["sup_finding"].version, "plan": "矩阵"}
    ),
    "/api/supervision/findings/{finding_id}/submit": _api_step(
        "submit", lambda o: {"version": o["sup_finding"].version, "result": "矩阵"}
    ),
    "/api/supervision/findings/{finding_id}/close": _api_step(
        "close", lambda o: {"version": o["sup_finding"].version}
    ),
    "/api/supervision/findings/{finding_id}/send-back": _api_step(
        "send-back", lambda o: {"version": o["sup_finding"].version, "reasons": ["矩阵"]}
    ),
    "/api/supervision/inspections": (lambda o: "/api/supervision/inspections", "list", INSPECTION_TITLE),
    "/api/supervision/inspections/{inspection_id}": (
        lambda o: f"/api/supervision/inspections/{o['sup_inspection'].pk}",
        "detail",
    ),
    "/api/supervision/tasks": (lambda o: "/api/supervision/tasks", "list"),
    "/api/supervision/tasks/{task_id}": (lambda o: f"/api/supervision/tasks/{o['sup_task'].pk}", "detail"),
    "/api/supervision/tasks/{task_id}/report": (
        lambda o: f"/api/supervision/tasks/{o['sup_task'].pk}/report",
        ("POST", lambda o: {"version": o["sup_task"].version, "progress": 50, "note": "矩阵"}),
    ),
}


def _api_assessment(o) -> str:
    return f"/api/supervision/assessments/{o['sup_assessment'].pk}"


def _api_item(o) -> str:
    return f"{_api_assessment(o)}/items/{o['sup_assessment'].items.first().pk}"


API.update(
    {
        "/api/supervision/assessments": (lambda o: "/api/supervision/assessments", "list"),
        "/api/supervision/assessments/{assessment_id}": (_api_assessment, "detail"),
        "/api/supervision/assessments/{assessment_id}/refresh": (
            lambda o: f"{_api_assessment(o)}/refresh",
            ("POST", lambda o: {}),
        ),
        "/api/supervision/assessments/{assessment_id}/items/{item_id}/score": (
            lambda o: f"{_api_item(o)}/score",
            ("POST", lambda o: {"score": "1", "note": "矩阵"}),
        ),
        "/api/supervision/assessments/{assessment_id}/items/{item_id}/evidence": (
            lambda o: f"{_api_item(o)}/evidence",
            ("POST", lambda o: {}),
        ),
        "/api/supervision/assessments/{assessment_id}/finalize": (
            lambda o: f"{_api_assessment(o)}/finalize",
            ("POST", lambda o: {"version": o["sup_assessment"].version}),
        ),
        # Creating a plan of 兴海县: the outsider's scope does not cover the area (404).
        "/api/supervision/plans": (
            lambda o: "/api/supervision/plans",
            ("POST", lambda o: {"title": "矩阵", "area_code": XINGHAI, "start_year": 2026, "end_year": 2026}),
        ),
        "/api/supervision/plans/{plan_id}": (
            lambda o: f"/api/supervision/plans/{o['sup_plan'].pk}",
            "detail",
        ),
        "/api/supervision/plans/{plan_id}/goals": (
            lambda o: f"/api/supervision/plans/{o['sup_plan'].pk}/goals",
            ("POST", lambda o: {"title": "矩阵"}),
        ),
        "/api/supervision/goals/{goal_id}/measures": (
            lambda o: f"/api/supervision/goals/{o['sup_goal'].pk}/measures",
            ("POST", lambda o: {"title": "矩阵"}),
        ),
        "/api/supervision/measures/{measure_id}/tasks": (
            lambda o: f"/api/supervision/measures/{o['sup_measure'].pk}/tasks",
            (
                "POST",
                lambda o: {"title": "矩阵", "lead_unit_id": o["datang"].pk, "deadline": "2099-12-31"},
            ),
        ),
    }
)

ADMIN_OBJECTS: dict = {
    "supervision.finding": lambda o: o["sup_finding"],
    "supervision.inspection": lambda o: o["sup_inspection"],
    "supervision.task": lambda o: o["sup_task"],
    # Reference data: every role with access reads the categories and checklists.
    "supervision.category": None,
    "supervision.checklist": None,
}


def objects(objs: dict) -> dict:
    from fupin.accounts.roles import Role
    from fupin.regions.models import Region
    from fupin.supervision import services
    from fupin.supervision.models import Category, Checklist, ChecklistItem

    datang = objs["datang"]
    county = Region.objects.get(code=XINGHAI)
    village = Region.objects.get(code=MINZU_VILLAGE)
    inspector = make_user("inspector", roles=[Role.INSPECTOR], scopes=[XINGHAI], full_name="督查员")
    category = Category.objects.get(name="帮扶工作")
    checklist = Checklist.objects.create(name="驻村帮扶暗访清单")
    item = ChecklistItem.objects.create(
        checklist=checklist,
        order=1,
        text="驻村工作队在岗在位",
        requirement="工作队员每月驻村不少于20天",
        category=category,
    )
    ChecklistItem.objects.create(checklist=checklist, order=2, text="帮扶手册填写规范", category=category)
    inspection = services.create_inspection(
        by=inspector,
        kind="unannounced",
        title=INSPECTION_TITLE,
        area=county,
        start=datetime.date(2026, 3, 2),
        end=datetime.date(2026, 3, 6),
        places=[village],
        inspectors=[inspector],
        checklist=checklist,
    )
    _row, finding = services.record_check(
        by=inspector,
        inspection=inspection,
        item=item,
        division=village,
        result="fail",
        note="工作队员扎西本月仅驻村8天",
        open_finding=True,
        finding={
            "deadline": datetime.date(2099, 12, 31),
            "found_on": datetime.date(2026, 3, 3),
            "responsible_unit": datang,
            "responsible_person": "李主任",
            "photos": [photo("evidence.png")],
        },
    )
    submitted = services.record_finding(
        by=inspector,
        division=village,
        category=category,
        description="帮扶手册填写不全",
        deadline=datetime.date(2099, 12, 31),
        found_on=datetime.date(2026, 3, 3),
        responsible_unit=datang,
    )
    submitted = services.plan_rectification(
        by=objs["cadre"], finding=submitted, version=submitted.version, plan="补填"
    )
    submitted = services.submit_rectification(
        by=objs["cadre"],
        finding=submitted,
        version=submitted.version,
        result="已补填",
        before_photos=[photo("before.png")],
        after_photos=[photo("after.png")],
    )
    plan = services.create_plan(by=None, title=PLAN_TITLE, area=county, start_year=2019, end_year=2021)
    goal = services.add_goal(by=None, plan=plan, order=1, title="选好配强村党组织书记")
    measure = services.add_measure(by=None, goal=goal, order=1, title="开展村党组织书记集中轮训")
    task = services.add_task(
        by=None,
        measure=measure,
        order=1,
        title="每年轮训村党组织书记一遍",
        lead_unit=datang,
        responsible_unit=datang,
        deadline=datetime.date(2099, 12, 31),
    )
    assessment = services.assess_unit(by=objs["county"], unit=datang, year=2020, county=county)
    (evidence,) = services.add_evidence(
        by=objs["county"], item=assessment.items.first(), files=[photo("evidence.png")], note="矩阵"
    )
    return {
        "sup_assessment": assessment,
        "sup_evidence": evidence,
        "inspector": inspector,
        "sup_category": category,
        "sup_checklist": checklist,
        "sup_item": item,
        "sup_inspection": inspection,
        "sup_finding": finding,
        "sup_photo": finding.photos.first(),
        "sup_submitted": submitted,
        "sup_plan": plan,
        "sup_goal": goal,
        "sup_measure": measure,
        "sup_task": task,
    }


assert MARKER == "大唐青海能源开发有限公司"  # the findings' and tasks' responsible unit
