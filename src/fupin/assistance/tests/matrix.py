"""This app's part of the scope matrix (src/fupin/tests/test_scope_matrix.py).

PAGES, API and ADMIN_OBJECTS use the same kinds as the central matrix; `objects(objs)` makes this
app's records in 兴海县's world (objs holds the cast and the registry's households) and returns
them by name for the builders.
"""

import datetime

from django.urls import reverse

from fupin.testing import HOUSEHOLD, MARKER, MINZU_VILLAGE, XINGHAI, Page, plain_url

CADRE = "多杰才旦"  # the 兴海县 cadre made below: on every list of people, pairings and postings
NINGQU = "632524101206"
# 培训人次 of the class below: the county sees it, the outsider 0.
PERSON_TIMES = 37


def _obj(name: str, key: str):
    return lambda o: reverse(name, args=[o[key].pk])


# Which marker each declared list (tables.py) shows for the county officer.
_TABLE_MARKERS = {
    "cadre": CADRE,
    "pairing": CADRE,
    "overdue": CADRE,
    "visitrecord": HOUSEHOLD,
    "worklog": CADRE,
    "activity": MARKER,
    "place": MARKER,
    "team": MARKER,
    "posting": CADRE,
    "measure": CADRE,
    "training": MARKER,
}

PAGES: dict = {
    **{
        f"assistance:{name}_list": Page(plain_url(f"assistance:{name}_list"), "list", marker)
        for name, marker in _TABLE_MARKERS.items()
    },
    **{
        f"assistance:{name}_export": Page(plain_url(f"assistance:{name}_export"), "export", marker)
        for name, marker in _TABLE_MARKERS.items()
    },
    "assistance:home": Page(plain_url("assistance:home"), "list-no-marker"),
    "assistance:visit_list": Page(plain_url("assistance:visit_list"), "list", HOUSEHOLD),
    "assistance:visit_new": Page(lambda o: reverse("assistance:visit_new") + "?q=扎西", "list", "民族村"),
    "assistance:visit_record": Page(_obj("assistance:visit_record", "zhaxi"), "detail"),
    "assistance:visit_detail": Page(_obj("assistance:visit_detail", "visit"), "detail"),
    "assistance:visit_photo": Page(_obj("assistance:visit_photo", "photo"), "detail"),
    "assistance:worklog_new": Page(plain_url("assistance:worklog_new"), "list-no-marker"),
    "assistance:cadre_new": Page(plain_url("assistance:cadre_new"), "list-no-marker"),
    "assistance:cadre_edit": Page(_obj("assistance:cadre_edit", "assistance_cadre"), "detail"),
    "assistance:pairing_new": Page(plain_url("assistance:pairing_new"), "list-no-marker"),
    "assistance:pairing_end": Page(_obj("assistance:pairing_end", "pairing"), "detail"),
    "assistance:activity_new": Page(plain_url("assistance:activity_new"), "list-no-marker"),
    "assistance:team_new": Page(plain_url("assistance:team_new"), "list-no-marker"),
    "assistance:team_detail": Page(_obj("assistance:team_detail", "team"), "detail"),
    "assistance:team_edit": Page(_obj("assistance:team_edit", "team"), "detail"),
    "assistance:team_transition": Page(
        _obj("assistance:team_transition", "team"),
        "post",
        data=lambda o: {"to": "active", "version": o["team"].version, "reason": "进驻"},
    ),
    "assistance:posting_new": Page(plain_url("assistance:posting_new"), "list-no-marker"),
    "assistance:posting_end": Page(_obj("assistance:posting_end", "posting"), "detail"),
    "assistance:coverage_list": Page(plain_url("assistance:coverage_list"), "list", CADRE),
    "assistance:coverage_export": Page(plain_url("assistance:coverage_export"), "export", CADRE),
    "assistance:measure_new": Page(plain_url("assistance:measure_new"), "list-no-marker"),
    "assistance:plan_detail": Page(_obj("assistance:plan_detail", "zhaxi"), "detail"),
    "assistance:measure_transition": Page(
        _obj("assistance:measure_transition", "measure"),
        "post",
        data=lambda o: {"to": "active", "version": o["measure"].version},
    ),
    "assistance:training_new": Page(plain_url("assistance:training_new"), "list-no-marker"),
    "assistance:training_detail": Page(_obj("assistance:training_detail", "training"), "detail"),
    "assistance:training_edit": Page(_obj("assistance:training_edit", "training"), "detail"),
    "assistance:training_summary_list": Page(plain_url("assistance:training_summary_list"), "list", MARKER),
    "assistance:training_summary_export": Page(
        plain_url("assistance:training_summary_export"), "export", MARKER
    ),
}
NOT_RECORDS: set[str] = set()

API: dict = {
    "/api/assistance/cadres": (lambda o: "/api/assistance/cadres", "list", CADRE),
    "/api/assistance/cadres/{cadre_id}": (
        lambda o: f"/api/assistance/cadres/{o['assistance_cadre'].pk}",
        ("PATCH", lambda o: {"version": o["assistance_cadre"].version, "title": "第一书记"}),
    ),
    "/api/assistance/pairings": (lambda o: "/api/assistance/pairings", "list", CADRE),
    "/api/assistance/visits": (lambda o: "/api/assistance/visits", "list", HOUSEHOLD),
    "/api/assistance/visits/overdue": (lambda o: "/api/assistance/visits/overdue", "list", CADRE),
    "/api/assistance/worklogs": (
        lambda o: "/api/assistance/worklogs",
        (
            "POST",
            lambda o: {"region_code": MINZU_VILLAGE, "logged_on": "2024-03-01", "content": "入户走访三户"},
        ),
    ),
    "/api/assistance/postings": (lambda o: "/api/assistance/postings", "list", CADRE),
    "/api/assistance/teams": (lambda o: "/api/assistance/teams", "list", MARKER),
    "/api/assistance/teams/{team_id}": (
        lambda o: f"/api/assistance/teams/{o['team'].pk}",
        ("PATCH", lambda o: {"version": o["team"].version, "name": "民族村工作队"}),
    ),
    "/api/assistance/teams/{team_id}/transitions": (
        lambda o: f"/api/assistance/teams/{o['team'].pk}/transitions",
        ("POST", lambda o: {"to": "active", "version": o["team"].version}),
    ),
    "/api/assistance/coverage": (lambda o: "/api/assistance/coverage", "list", NINGQU[:9]),
    "/api/assistance/coverage/villages": (lambda o: "/api/assistance/coverage/villages", "list", CADRE),
    "/api/assistance/measures": (lambda o: "/api/assistance/measures", "list", CADRE),
    "/api/assistance/measures/{measure_id}/transitions": (
        lambda o: f"/api/assistance/measures/{o['measure'].pk}/transitions",
        ("POST", lambda o: {"to": "active", "version": o["measure"].version}),
    ),
    "/api/assistance/trainings": (lambda o: "/api/assistance/trainings", "list", MARKER),
    "/api/assistance/trainings/{training_id}": (
        lambda o: f"/api/assistance/trainings/{o['training'].pk}",
        ("PATCH", lambda o: {"version": o["training"].version, "place": "海南州"}),
    ),
    "/api/assistance/trainings/person-times": (
        lambda o: "/api/assistance/trainings/person-times",
        "list",
        f'"person_times": {PERSON_TIMES}',
    ),
}

ADMIN_OBJECTS: dict = {
    "assistance.cadre": lambda o: o["assistance_cadre"],
    "assistance.pairing": lambda o: o["pairing"],
    "assistance.posting": lambda o: o["posting"],
    "assistance.workteam": lambda o: o["team"],
    "assistance.trainingclass": lambda o: o["training"],
    "assistance.visit": lambda o: o["visit"],
}

# The smallest valid PNG (1×1), for a visit photo.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def objects(objs: dict) -> dict:
    """兴海县's assistance: a cadre paired with 扎西 (visited) and 王芳 (never visited), the first
    secretary of 宁曲村 (a poor village), a two-member team, a measure, a log, an activity, a class."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fupin.assistance import services
    from fupin.registry.lifecycle import household_identify

    today = datetime.date.today()
    datang = objs["datang"]
    household_identify(by=None, household=objs["wang"], reason="核实")
    cadre = services.cadre_create(
        by=None, name=CADRE, level="province", region=MINZU_VILLAGE, unit=datang, title="驻村第一书记"
    )
    pairing = services.pairing_create(
        by=None, cadre=cadre, household=objs["zhaxi"], start=datetime.date(2024, 1, 1)
    )
    services.pairing_create(by=None, cadre=cadre, household=objs["wang"], start=datetime.date(2024, 1, 1))
    photo = SimpleUploadedFile("visit.png", PNG, content_type="image/png")
    visit = services.visit_record(
        by=None,
        household=objs["zhaxi"],
        cadre=cadre,
        visited_on=today - datetime.timedelta(days=3),
        people_met="扎西、卓玛",
        notes="了解危房改造进度",
        photos=[photo],
    )
    posting = services.posting_create(
        by=None, cadre=cadre, kind="first_secretary", region=NINGQU, start=datetime.date(2023, 6, 1)
    )
    team = services.team_create(
        by=None, name="民族村驻村工作队", unit=datang, village=MINZU_VILLAGE, start=datetime.date(2023, 6, 1)
    )
    for name in ("队员甲", "队员乙"):
        member = services.cadre_create(
            by=None, name=name, level="province", region=MINZU_VILLAGE, unit=datang
        )
        services.posting_create(
            by=None,
            cadre=member,
            kind="team_member",
            region=MINZU_VILLAGE,
            team=team,
            start=datetime.date(2023, 6, 1),
        )
    measure = services.measure_add(
        by=None, household=objs["zhaxi"], type="housing", content="危房改造", cadre=cadre
    )
    from fupin.assistance.models import WorkLog

    WorkLog.objects.create(cadre=cadre, region_id=MINZU_VILLAGE, logged_on=today, content="走访扎西家")
    services.activity_record(
        by=None,
        kind="donation",
        title="赠送党建书籍",
        held_on=datetime.date(2019, 9, 5),
        region=MINZU_VILLAGE,
        unit=datang,
        items="国旗、党旗、党建书籍",
    )
    training = services.training_create(
        by=None,
        topic="党组织书记和党务干部轮训",
        form="rotation",
        kind="party_member",
        start=datetime.date(2019, 10, 29),
        end=datetime.date(2019, 10, 31),
        place="西宁",
        organiser=datang,
        region=XINGHAI,
        attendees=[{"count": PERSON_TIMES}],
    )
    return {
        "assistance_cadre": cadre,
        "pairing": pairing,
        "visit": visit,
        "photo": visit.photos.first(),
        "posting": posting,
        "team": team,
        "measure": measure,
        "training": training,
    }
