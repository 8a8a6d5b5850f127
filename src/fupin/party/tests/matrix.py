"""This app's part of the scope matrix (src/fupin/tests/test_scope_matrix.py).

PAGES, API and ADMIN_OBJECTS use the same kinds as the central matrix; `objects(objs)` makes this
app's records in 兴海县's world (objs holds the cast and the registry's households) and returns
them by name for the builders.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from fupin.testing import Page

BRANCH = "民族村党支部"  # the village branch of 民族村 632524203207: the marker of every party list
MEMBER = "才让东智"


def _last_year() -> int:
    return timezone.localdate().year - 1


def _at(name: str, key: str):
    return lambda o: reverse(name, args=[o[key].pk])


def _plain(name: str, query: str = ""):
    return lambda o: reverse(name) + query


def _year_query(o=None) -> str:
    return f"?year={_last_year()}"


PAGES: dict = {
    "party:home": Page(_plain("party:home"), "list", BRANCH),
    "party:org_list": Page(_plain("party:org_list"), "list", BRANCH),
    "party:org_export": Page(_plain("party:org_export"), "export", BRANCH),
    "party:org_create": Page(_plain("party:org_create"), "list-no-marker", BRANCH),
    "party:org_detail": Page(_at("party:org_detail", "party_branch"), "detail"),
    "party:org_edit": Page(_at("party:org_edit", "party_branch"), "detail"),
    "party:member_add": Page(_at("party:member_add", "party_branch"), "detail"),
    "party:meeting_create": Page(_at("party:meeting_create", "party_branch"), "detail"),
    "party:calendar": Page(_at("party:calendar", "party_branch"), "detail"),
    "party:score_record": Page(_at("party:score_record", "party_branch"), "detail"),
    "party:weak_create": Page(_at("party:weak_create", "party_branch"), "detail"),
    "party:cadre_create": Page(_at("party:cadre_create", "party_branch"), "detail"),
    "party:member_list": Page(_plain("party:member_list"), "list", MEMBER),
    "party:member_export": Page(_plain("party:member_export"), "export", MEMBER),
    "party:member_detail": Page(_at("party:member_detail", "party_member"), "detail"),
    "party:member_edit": Page(_at("party:member_edit", "party_member"), "detail"),
    "party:member_step": Page(
        _at("party:member_step", "party_member"),
        "post",
        data=lambda o: {"action": "advance", "on": timezone.localdate().isoformat(), "version": 1},
    ),
    "party:meeting_list": Page(_plain("party:meeting_list"), "list", BRANCH),
    "party:meeting_export": Page(_plain("party:meeting_export"), "export", BRANCH),
    "party:overdue_list": Page(lambda o: reverse("party:overdue_list") + _year_query(), "list", BRANCH),
    "party:overdue_export": Page(lambda o: reverse("party:overdue_export") + _year_query(), "export", BRANCH),
    "party:meeting_detail": Page(_at("party:meeting_detail", "party_meeting"), "detail"),
    "party:meeting_edit": Page(_at("party:meeting_edit", "party_meeting"), "detail"),
    "party:photo": Page(_at("party:photo", "party_photo"), "detail"),
    "party:score_list": Page(_plain("party:score_list"), "list", BRANCH),
    "party:score_export": Page(_plain("party:score_export"), "export", BRANCH),
    "party:weak_list": Page(_plain("party:weak_list"), "list", BRANCH),
    "party:weak_export": Page(_plain("party:weak_export"), "export", BRANCH),
    "party:weak_detail": Page(_at("party:weak_detail", "party_case"), "detail"),
    "party:weak_step": Page(
        _at("party:weak_step", "party_case"), "post", data=lambda o: {"action": "revoke", "version": 1}
    ),
    "party:reserve_list": Page(_plain("party:reserve_list"), "list", BRANCH),
    "party:reserve_export": Page(_plain("party:reserve_export"), "export", BRANCH),
    "party:reserve_create": Page(_plain("party:reserve_create"), "list-no-marker", BRANCH),
    "party:reserve_detail": Page(_at("party:reserve_detail", "party_reserve"), "detail"),
    "party:reserve_assess": Page(
        _at("party:reserve_assess", "party_reserve"),
        "post",
        data=lambda o: {"year": _last_year(), "result": "competent"},
    ),
    "party:cadre_list": Page(_plain("party:cadre_list"), "list", BRANCH),
    "party:cadre_export": Page(_plain("party:cadre_export"), "export", BRANCH),
    "party:cadre_detail": Page(_at("party:cadre_detail", "party_cadre"), "detail"),
    "party:pairing_list": Page(_plain("party:pairing_list"), "list", BRANCH),
    "party:pairing_export": Page(_plain("party:pairing_export"), "export", BRANCH),
    "party:pairing_create": Page(_plain("party:pairing_create"), "list-no-marker", BRANCH),
    "party:pairing_detail": Page(_at("party:pairing_detail", "party_pairing"), "detail"),
    "party:activity_create": Page(_at("party:activity_create", "party_pairing"), "detail"),
}
NOT_RECORDS: set[str] = set()


API: dict = {
    "/api/party/orgs": (lambda o: "/api/party/orgs", "list", BRANCH),
    "/api/party/orgs/{org_id}": (lambda o: f"/api/party/orgs/{o['party_branch'].pk}", "detail"),
    "/api/party/orgs/{org_id}/members": (
        lambda o: f"/api/party/orgs/{o['party_branch'].pk}/members",
        "detail",
    ),
    "/api/party/orgs/{org_id}/calendar": (
        lambda o: f"/api/party/orgs/{o['party_branch'].pk}/calendar",
        "detail",
    ),
    "/api/party/orgs/{org_id}/meetings": (
        lambda o: f"/api/party/orgs/{o['party_branch'].pk}/meetings",
        (
            "POST",
            lambda o: {
                "kind": "committee",
                "held_on": timezone.localdate().isoformat(),
                "topic": "学习",
                "minutes": "",
            },
        ),
    ),
    "/api/party/members/{member_id}": (
        lambda o: f"/api/party/members/{o['party_member'].pk}",
        ("PATCH", lambda o: {"version": 1, "name": "改名"}),
    ),
    "/api/party/members/{member_id}/transitions": (
        lambda o: f"/api/party/members/{o['party_member'].pk}/transitions",
        ("POST", lambda o: {"action": "advance", "on": timezone.localdate().isoformat(), "version": 1}),
    ),
    "/api/party/meetings": (lambda o: "/api/party/meetings", "list", BRANCH),
    "/api/party/meetings/overdue": (lambda o: f"/api/party/meetings/overdue{_year_query()}", "list", BRANCH),
    "/api/party/pairings": (lambda o: "/api/party/pairings", "list", BRANCH),
    "/api/party/pairings/{pairing_id}": (lambda o: f"/api/party/pairings/{o['party_pairing'].pk}", "detail"),
    "/api/party/pairings/{pairing_id}/activities": (
        lambda o: f"/api/party/pairings/{o['party_pairing'].pk}/activities",
        ("POST", lambda o: {"kind": "visit", "held_on": timezone.localdate().isoformat(), "title": "走访"}),
    ),
    "/api/party/scores": (lambda o: f"/api/party/scores{_year_query()}", "list", BRANCH),
    "/api/party/weak-cases": (lambda o: "/api/party/weak-cases", "list", BRANCH),
    "/api/party/weak-cases/{case_id}/transitions": (
        lambda o: f"/api/party/weak-cases/{o['party_case'].pk}/transitions",
        ("POST", lambda o: {"action": "revoke", "version": 1, "reason": "核实"}),
    ),
    "/api/party/reserves": (lambda o: "/api/party/reserves", "list", BRANCH),
    # Writes: the 兴海县 record is in the path, so the outsider's answer is 404 whatever the body.
    # (PATCH /orgs/{org_id} and /pairings/{pairing_id} share their path with the detail above.)
    "/api/party/orgs/{org_id}/children": (
        lambda o: f"/api/party/orgs/{o['party_branch'].pk}/children",
        ("POST", lambda o: {"name": "第一党小组", "level": "group", "kind": "village"}),
    ),
    "/api/party/orgs/{org_id}/pairings": (
        lambda o: f"/api/party/orgs/{o['party_branch'].pk}/pairings",
        (
            "POST",
            lambda o: {"partner_id": o["party_company"].pk, "started_on": timezone.localdate().isoformat()},
        ),
    ),
    "/api/party/orgs/{org_id}/scores": (
        lambda o: f"/api/party/orgs/{o['party_branch'].pk}/scores",
        ("POST", lambda o: {"year": _last_year(), "points": {}, "satisfaction": "90"}),
    ),
    "/api/party/orgs/{org_id}/reserves": (
        lambda o: f"/api/party/orgs/{o['party_branch'].pk}/reserves",
        (
            "POST",
            lambda o: {
                "name": "卓玛",
                "sex": "F",
                "birth_year": _last_year() - 28,
                "education": "college",
                "added_on": timezone.localdate().isoformat(),
            },
        ),
    ),
    "/api/party/reserves/{reserve_id}": (
        lambda o: f"/api/party/reserves/{o['party_reserve'].pk}",
        ("PATCH", lambda o: {"version": 1, "current_work": "合作社会计"}),
    ),
    "/api/party/reserves/{reserve_id}/assessments": (
        lambda o: f"/api/party/reserves/{o['party_reserve'].pk}/assessments",
        ("POST", lambda o: {"year": _last_year(), "result": "excellent"}),
    ),
    "/api/party/orgs/{org_id}/cadres": (
        lambda o: f"/api/party/orgs/{o['party_branch'].pk}/cadres",
        ("POST", lambda o: {"name": "卓玛", "post": "村妇联主席"}),
    ),
    "/api/party/cadres/{cadre_id}/scores": (
        lambda o: f"/api/party/cadres/{o['party_cadre'].pk}/scores",
        ("POST", lambda o: {"month": f"{o['party_month']:%Y-%m}", "points": {}}),
    ),
    "/api/party/cadre-scores": (
        lambda o: f"/api/party/cadre-scores?month={o['party_month']:%Y-%m}",
        "list",
        BRANCH,
    ),
}
ADMIN_OBJECTS: dict = {
    "party.partyorg": lambda o: o["party_branch"],
    "party.pairing": lambda o: o["party_pairing"],
    "party.checklist": None,
    "party.checklistcategory": None,
    "party.indicatorset": None,
}

# The smallest valid PNG (1×1), for the photo page.
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


def objects(objs: dict) -> dict:
    """兴海县's party world: 民族村's branch with a secretary, a meeting with a photo, a pairing with
    大唐青海's first branch and a donation, last year's score, a weak case, a reserve cadre and a
    village cadre's monthly score."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fupin.party import services
    from fupin.party.defaults import load_defaults
    from fupin.party.models import Checklist, IndicatorSet

    load_defaults()
    today = timezone.localdate()
    last_year = today.year - 1
    branch = services.org_create(
        by=None,
        name=BRANCH,
        level="branch",
        kind="village",
        region_id="632524203207",
        founded_on=datetime.date(2000, 7, 1),
    )
    company = services.org_create(
        by=None, name="大唐青海公司机关第一党支部", level="branch", kind="enterprise", unit=objs["datang"]
    )
    member = services.member_add(
        by=None,
        org=branch,
        name=MEMBER,
        post="secretary",
        stage="full",
        joined_on=datetime.date(1998, 7, 1),
        full_on=datetime.date(1999, 7, 1),
    )
    meeting = services.meeting_record(
        by=None,
        org=branch,
        kind="members",
        held_on=datetime.date(last_year, 3, 10),
        topic="学习党章",
        attendees=[member],
        photos=[SimpleUploadedFile("a.png", PNG, content_type="image/png")],
    )
    pairing = services.pairing_create(
        by=None, helper=company, village_branch=branch, started_on=datetime.date(2019, 9, 5)
    )
    services.activity_add(
        by=None,
        pairing=pairing,
        kind="donation",
        held_on=datetime.date(2019, 9, 5),
        title="赠送国旗党旗",
        donated_items="国旗、党旗、党徽、党建书籍",
    )
    checklist = Checklist.objects.get()
    item_ids = checklist.categories.values_list("items__id", flat=True)
    score = services.score_record(
        by=None,
        org=branch,
        checklist=checklist,
        year=last_year,
        points={pk: 2 for pk in item_ids},
        satisfaction="85",
    )
    case = services.weak_identify(by=None, org=branch, year=today.year, criteria=["disunity"])
    reserve = services.reserve_add(
        by=None,
        org=branch,
        name="多杰",
        sex="M",
        birth_year=today.year - 30,
        education="senior",
        added_on=datetime.date(last_year, 1, 5),
    )
    cadre = services.cadre_add(by=None, org=branch, name="才让", post="村委会主任")
    indicator_set = IndicatorSet.objects.get()
    month = datetime.date(last_year, 11, 1)
    services.cadre_score(
        by=None,
        cadre=cadre,
        indicator_set=indicator_set,
        month=month,
        points={i.pk: i.max_points for i in indicator_set.indicators.all()},
    )
    return {
        "party_branch": branch,
        "party_company": company,
        "party_member": member,
        "party_meeting": meeting,
        "party_photo": meeting.photos.get(),
        "party_pairing": pairing,
        "party_score": score,
        "party_case": case,
        "party_reserve": reserve,
        "party_cadre": cadre,
        "party_month": month,
    }
