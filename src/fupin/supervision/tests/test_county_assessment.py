"""A county assessed against the consolidation standards (巩固拓展脱贫攻坚成果考核): every item's
figure equals a count from the records of the test world and the rollup; thresholds scored right; an
adjusted score needs a note; a final assessment refuses every change; evidence (a photo or a PDF;
any other file is a field error); scope — the level above assesses, the county reads its own but
cannot assess itself, the outsider sees nothing. The pages, the API (assessments and plan creation)
and the inspection form's places and inspectors."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.accounts.tokens import token_issue
from fupin.core.errors import TransitionRefused
from fupin.core.indicators import CATALOGUE, catalogue, recount
from fupin.supervision import services
from fupin.supervision.choices import AssessmentKind, AssessmentState, Comparison
from fupin.supervision.models import Assessment, AssessmentEvidence, Inspection
from fupin.supervision.standards import BY_KEY, STANDARDS, Standard
from fupin.supervision.tests.matrix import API, PAGES, photo
from fupin.testing import MARKER, MINZU_VILLAGE, NINGQU_VILLAGE, XINGHAI, make_user

WORLD_LAYERS = ("households", "party", "assistance", "projects", "outcomes", "monitoring", "supervision")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _api(client, user, method, path, **kwargs):
    _token, key = token_issue(user=user, name="t")
    return getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {key}", **kwargs)


@pytest.fixture
def viewer(world):
    """海南州's viewer: the level above 兴海县."""
    return make_user("cityviewer", roles=[Role.VIEWER], scopes=["6325"], full_name="州级查看")


@pytest.fixture
def county_region(world):
    from fupin.regions.models import Region

    return Region.objects.get(code=XINGHAI)


@pytest.fixture
def rollup(world):
    from fupin.reports import services as reports

    reports.refresh()


def _year() -> int:
    return timezone.localdate().year


def _from_records(standard: Standard, year: int):
    """The standard's figure counted straight from the records (core.indicators.recount)."""
    catalogue()
    period = standard.period_for(year)
    value = recount(CATALOGUE[standard.indicator], prefix=XINGHAI, period=period, category=standard.category)
    if standard.of is None:
        return value
    code, category = standard.of
    denominator = recount(CATALOGUE[code], prefix=XINGHAI, period=period, category=category)
    if not denominator or value is None:
        return None
    return Decimal(value) * 100 / Decimal(denominator)


def _cent(value):
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def test_every_item_equals_the_records_and_the_rollup(world, viewer, county_region, rollup):
    from fupin.monitoring.indicators import current_objects
    from fupin.registry.models import Household
    from fupin.reports import selectors as reports

    assessment = services.assess_county(by=viewer, county=county_region, year=_year())
    items = {i.code: i for i in assessment.items.all()}
    assert assessment.kind == AssessmentKind.COUNTY and assessment.unit is None
    assert list(items) == [s.key for s in STANDARDS]
    assert sum(i.max_points for i in items.values()) == 100
    total = Decimal(0)
    for standard in STANDARDS:
        item = items[standard.key]
        period = standard.period_for(_year())
        expected = _from_records(standard, _year())
        assert item.actual == _cent(expected), standard.key
        # The rollup as the viewer reads it (the same figure the 驾驶舱 shows).
        figure = reports.figure(
            viewer, standard.indicator, division=XINGHAI, period=period, category=standard.category
        )
        if standard.of is None:
            assert _cent(figure) == item.actual, standard.key
        assert (item.indicator, item.period, item.comparison, item.target) == (
            standard.indicator,
            period,
            standard.comparison,
            standard.threshold,
        )
        assert item.met is standard.judge(expected)
        assert item.suggested == item.score == (standard.points if item.met else 0)
        total += item.score
    assert assessment.total == total
    # By hand: 兴海县's 返贫 households, and its monitoring objects' elimination.
    returned = Household._base_manager.filter(village__code__startswith=XINGHAI, status="returned").count()
    assert items["returned_households"].actual == returned
    objects = current_objects().filter(household__village__code__startswith=XINGHAI)
    if objects.exists():
        rate = Decimal(objects.filter(status="eliminated").count() * 100) / objects.count()
        assert items["elimination_rate"].actual == _cent(rate)
    else:
        assert items["elimination_rate"].actual is None and items["elimination_rate"].met


def test_a_returned_household_fails_its_standard(world, viewer, county_region, rollup):
    from fupin.registry.models import Household
    from fupin.reports import services as reports

    before = services.assess_county(by=viewer, county=county_region, year=_year())
    first = before.items.get(code="returned_households")
    Household._base_manager.filter(pk=world["zhaxi"].pk).update(status="returned")
    reports.refresh(indicators=["registry.households"])
    again = services.assess_county(by=viewer, county=county_region, year=_year())
    assert again.pk == before.pk  # one county assessment a year, refreshed while a draft
    item = again.items.get(code="returned_households")
    assert item.actual == first.actual + 1 and item.met is False and item.score == 0
    assert again.total == before.total - (first.score - item.score)


def test_a_household_failing_its_living_check_or_the_line_fails_those_standards(
    world, viewer, county_region, rollup
):
    from fupin.monitoring.models import MonitoringLine
    from fupin.registry.models import Household, YearlyIncome
    from fupin.reports import services as reports

    wang = world["wang"]
    counted_before = catalogue()["registry.living_unmet"].rows().filter(pk=wang.pk).exists()
    before = {
        i.code: i for i in services.assess_county(by=viewer, county=county_region, year=_year()).items.all()
    }
    Household._base_manager.filter(pk=wang.pk).update(safe_water=False)
    MonitoringLine.objects.create(region_id="63", year=_year(), amount=Decimal(7500))
    income = YearlyIncome(household=wang, year=_year(), people=1, wages=Decimal(6000))
    income.compute_totals()
    income.save()
    reports.refresh(indicators=["registry.living_unmet", "monitoring.below_line"])
    items = {
        i.code: i for i in services.assess_county(by=viewer, county=county_region, year=_year()).items.all()
    }
    living, income_item = items["living_standard"], items["income_above_line"]
    assert living.actual == before["living_standard"].actual + (0 if counted_before else 1)
    assert not living.met and living.score == 0
    assert income_item.actual == before["income_above_line"].actual + 1 and income_item.period == str(_year())
    assert not income_item.met and income_item.score == 0


def test_the_thresholds():
    eq = Standard("a", "a", Decimal(10), "x", Comparison.EQ, Decimal(0))
    ge = Standard("b", "b", Decimal(10), "x", Comparison.GE, Decimal(90), if_none=True)
    le = Standard("c", "c", Decimal(10), "x", Comparison.LE, Decimal(3))
    assert eq.judge(Decimal(0)) and not eq.judge(Decimal(1)) and not eq.judge(None)
    assert ge.judge(Decimal(90)) and ge.judge(Decimal("99.5")) and not ge.judge(Decimal("89.99"))
    assert ge.judge(None)  # nothing owed: met
    assert le.judge(Decimal(3)) and not le.judge(Decimal("3.01"))
    assert BY_KEY["secretary_coverage"].comparison == Comparison.EQ


def test_adjusting_needs_a_note_and_final_refuses_changes(world, viewer, county_region, rollup):
    from django.core.exceptions import ValidationError

    assessment = services.assess_county(by=viewer, county=county_region, year=_year())
    item = assessment.items.get(code="overdue_visits")
    changed = Decimal(5) if item.suggested != 5 else Decimal(4)
    with pytest.raises(ValidationError) as refused:
        services.score_item(by=viewer, item=item, score=changed)
    assert "调整得分须写明理由" in refused.value.message_dict["note"][0]
    with pytest.raises(ValidationError):
        services.score_item(by=viewer, item=item, score=item.max_points + 1, note="超出")
    services.score_item(by=viewer, item=item, score=changed, note="抽查3户均已走访")
    assessment.refresh_from_db()
    assert assessment.total == sum(i.score for i in assessment.items.all())
    final = services.finalize_assessment(by=viewer, assessment=assessment, version=assessment.version)
    assert final.state == AssessmentState.FINAL
    for write in (
        lambda: services.score_item(by=viewer, item=item, score=0, note="再改"),
        lambda: services.assess_county(by=viewer, county=county_region, year=_year()),
        lambda: services.add_evidence(by=viewer, item=item, files=[photo()]),
        lambda: services.finalize_assessment(by=viewer, assessment=final, version=final.version),
    ):
        with pytest.raises(TransitionRefused):
            write()


def test_the_level_above_assesses_and_the_county_does_not_assess_itself(
    client, world, viewer, county_region, rollup
):
    for who in ("county", "inspector", "outsider"):
        with pytest.raises(PermissionDenied):
            services.assess_county(by=world[who], county=county_region, year=_year())
    assessment = services.assess_county(by=viewer, county=county_region, year=_year())
    item = assessment.items.first()
    with pytest.raises(PermissionDenied):
        services.score_item(by=world["county"], item=item, score=0, note="自评")
    # The page: the county's POST is refused with the reason, no assessment of its own is made.
    client.force_login(world["county"])
    answer = client.post(
        reverse("supervision:county_assessment_new"), {"county": XINGHAI, "year": _year() - 1}
    )
    assert answer.status_code == 403
    assert not Assessment.objects.filter(kind=AssessmentKind.COUNTY, year=_year() - 1).exists()
    # The county reads its own assessment, without the forms to change it.
    page = client.get(reverse("supervision:assessment_detail", args=[assessment.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "返贫户数" in html and reverse("supervision:assessment_score", args=[assessment.pk]) not in html
    # The outsider sees nothing of it: not in the list, not the page, not the API, not the evidence.
    (evidence,) = services.add_evidence(by=viewer, item=item, files=[photo()])
    client.force_login(world["outsider"])
    listed = client.get(reverse("supervision:assessment_list")).content.decode()
    assert "兴海县" not in listed and MARKER not in listed
    assert client.get(reverse("supervision:assessment_detail", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("supervision:evidence_file", args=[evidence.pk])).status_code == 404
    assert (
        _api(client, world["outsider"], "get", f"/api/supervision/assessments/{assessment.pk}").status_code
        == 404
    )
    listed = _api(client, world["outsider"], "get", "/api/supervision/assessments").json()
    assert listed["count"] == 0
    # The viewer's page: the standards, the figures and the refresh.
    client.force_login(viewer)
    html = client.get(reverse("supervision:assessment_detail", args=[assessment.pk])).content.decode()
    assert reverse("supervision:assessment_refresh", args=[assessment.pk]) in html
    # Every checklist item is scored from a figure: none is left named under the checklist unscored.
    for name in ("两不愁三保障及饮水安全达标", "人均纯收入高于当地监测线", "监测对象帮扶措施覆盖率"):
        assert name in html
    assert "尚无可取数的指标" not in html
    assert client.post(reverse("supervision:assessment_refresh", args=[assessment.pk])).status_code == 302


def test_evidence_on_the_page(client, world, viewer, county_region, rollup):
    assessment = services.assess_county(by=viewer, county=county_region, year=_year())
    item = assessment.items.get(code="secretary_coverage")
    url = reverse("supervision:assessment_evidence", args=[assessment.pk, item.pk])
    client.force_login(viewer)
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("list.xlsx", b"PK\x03\x04 not a photo", content_type="image/png")
    answer = client.post(url, {"files": [bad], "note": "名单"})
    assert answer.status_code == 200  # the form again, the error under its field
    form = answer.context["form"]
    assert "不是 JPEG、PNG、WebP 图片或 PDF 文件" in form.errors["files"][0]
    assert not AssessmentEvidence.objects.exists() or not item.evidence.exists()
    empty = client.post(url, {"note": "无文件"})
    assert "请选择要上传的佐证材料" in empty.context["form"].errors["files"][0]
    pdf = SimpleUploadedFile("驻村名单.pdf", PDF, content_type="application/pdf")
    answer = client.post(url, {"files": [photo("现场.png"), pdf], "note": "驻村花名册"})
    assert answer.status_code == 302
    files = list(item.evidence.order_by("id"))
    assert [(e.name, e.content_type) for e in files] == [
        ("现场.png", "image/png"),
        ("驻村名单.pdf", "application/pdf"),
    ]
    html = client.get(reverse("supervision:assessment_detail", args=[assessment.pk])).content.decode()
    assert "驻村名单.pdf" in html and reverse("supervision:evidence_file", args=[files[1].pk]) in html
    served = client.get(reverse("supervision:evidence_file", args=[files[1].pk]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == PDF
    # The county reads the evidence of its own assessment.
    client.force_login(world["county"])
    assert client.get(reverse("supervision:evidence_file", args=[files[0].pk])).status_code == 200


def test_the_list_page_and_its_export(client, world, viewer, county_region, rollup):
    services.assess_county(by=viewer, county=county_region, year=_year())
    client.force_login(viewer)
    page = client.get(reverse("supervision:assessment_list") + "?kind=county").content.decode()
    assert "县级巩固成果考核" in page and MARKER not in page
    page = client.get(reverse("supervision:assessment_list")).content.decode()
    assert MARKER in page and reverse("supervision:county_assessment_new") in page
    export = client.get(reverse("supervision:assessment_export"))
    assert export.status_code == 200


# --- the API -----------------------------------------------------------------------------------------


def test_the_assessment_api(client, world, viewer, rollup):
    body = {"kind": "county", "county_code": XINGHAI, "year": _year()}
    made = _api(
        client, viewer, "post", "/api/supervision/assessments", data=body, content_type="application/json"
    )
    assert made.status_code == 201, made.content
    answer = made.json()
    assert answer["kind"] == "county" and answer["unit_id"] is None and len(answer["items"]) == len(STANDARDS)
    again = _api(
        client, viewer, "post", "/api/supervision/assessments", data=body, content_type="application/json"
    )
    assert again.status_code == 200 and again.json()["id"] == answer["id"]
    base = f"/api/supervision/assessments/{answer['id']}"
    item = next(i for i in answer["items"] if i["code"] == "overdue_leads")
    changed = "7.0" if Decimal(item["suggested"]) != 7 else "6.0"
    score = f"{base}/items/{item['id']}/score"
    no_note = _api(client, viewer, "post", score, data={"score": changed}, content_type="application/json")
    assert no_note.status_code == 422 and "理由" in no_note.content.decode()
    ok = _api(
        client,
        viewer,
        "post",
        score,
        data={"score": changed, "note": "两条线索已研判"},
        content_type="application/json",
    )
    assert ok.status_code == 200
    scored = next(i for i in ok.json()["items"] if i["id"] == item["id"])
    assert Decimal(scored["score"]) == Decimal(changed) and scored["note"] == "两条线索已研判"
    evidence = f"{base}/items/{item['id']}/evidence"
    bad = _api(client, viewer, "post", evidence, data={"files": [SimpleUploadedFile("a.txt", b"hello")]})
    assert bad.status_code == 422 and "不是 JPEG" in bad.content.decode()
    good = _api(client, viewer, "post", evidence, data={"files": [photo()], "note": "台账"})
    assert good.status_code == 200
    assert [
        e["name"] for e in next(i for i in good.json()["items"] if i["id"] == item["id"])["evidence"]
    ] == ["photo.png"]
    refreshed = _api(client, viewer, "post", f"{base}/refresh", content_type="application/json")
    assert refreshed.status_code == 200
    # A refreshed draft keeps the evidence and the score adjusted with a note.
    kept = next(i for i in refreshed.json()["items"] if i["id"] == item["id"])
    assert Decimal(kept["score"]) == Decimal(changed) and len(kept["evidence"]) == 1
    version = _api(client, viewer, "get", base).json()["version"]
    final = _api(
        client, viewer, "post", f"{base}/finalize", data={"version": version}, content_type="application/json"
    )
    assert final.status_code == 200 and final.json()["state"] == "final"
    late = _api(
        client, viewer, "post", score, data={"score": "0", "note": "再改"}, content_type="application/json"
    )
    assert late.status_code == 409 and "已定稿" in late.content.decode()
    # The county itself: refused with the reason; the outsider: the county is not there for it.
    own = _api(
        client,
        world["county"],
        "post",
        "/api/supervision/assessments",
        data=body,
        content_type="application/json",
    )
    assert own.status_code == 403 and "不能考核本县" in own.content.decode()
    outsider = _api(
        client,
        world["outsider"],
        "post",
        "/api/supervision/assessments",
        data=body,
        content_type="application/json",
    )
    assert outsider.status_code == 404
    # A unit's assessment through the same operation, by the county.
    unit_body = {"kind": "unit", "county_code": XINGHAI, "year": 2021, "unit_id": world["datang"].pk}
    unit = _api(
        client,
        world["county"],
        "post",
        "/api/supervision/assessments",
        data=unit_body,
        content_type="application/json",
    )
    assert unit.status_code == 201 and unit.json()["unit"] == MARKER and len(unit.json()["items"]) == 6
    missing = {**unit_body, "unit_id": None}
    answer = _api(
        client,
        world["county"],
        "post",
        "/api/supervision/assessments",
        data=missing,
        content_type="application/json",
    )
    assert answer.status_code == 422 and "unit_id" in answer.content.decode()


def test_the_plan_api(client, world):
    county = world["county"]
    post = lambda path, body: _api(client, county, "post", path, data=body, content_type="application/json")  # noqa: E731
    plan = post(
        "/api/supervision/plans",
        {"title": "兴海县巩固提升行动", "area_code": XINGHAI, "start_year": 2026, "end_year": 2027},
    )
    assert plan.status_code == 201, plan.content
    plan_id = plan.json()["id"]
    backwards = post(
        "/api/supervision/plans",
        {"title": "倒置", "area_code": XINGHAI, "start_year": 2027, "end_year": 2026},
    )
    assert backwards.status_code == 422 and "截止年度不能早于起始年度" in backwards.content.decode()
    goal = post(f"/api/supervision/plans/{plan_id}/goals", {"title": "守住不发生规模性返贫底线"})
    assert goal.status_code == 201 and goal.json()["order"] == 1
    twice = post(f"/api/supervision/plans/{plan_id}/goals", {"title": "重复", "order": 1})
    assert twice.status_code == 422 and "该序号已存在" in twice.content.decode()
    measure = post(f"/api/supervision/goals/{goal.json()['id']}/measures", {"title": "健全监测帮扶机制"})
    assert measure.status_code == 201
    tasks = f"/api/supervision/measures/{measure.json()['id']}/tasks"
    task = post(
        tasks, {"title": "每月开展一次集中排查", "lead_unit_id": world["datang"].pk, "deadline": "2026-12-31"}
    )
    assert (
        task.status_code == 201
        and task.json()["lead_unit"] == MARKER
        and task.json()["state"] == "not_started"
    )
    foreign = post(
        tasks, {"title": "外县", "lead_unit_id": world["jingchuan_unit"].pk, "deadline": "2026-12-31"}
    )
    assert foreign.status_code == 422 and "lead_unit_id" in foreign.content.decode()
    bad_day = post(tasks, {"title": "日期", "lead_unit_id": world["datang"].pk, "deadline": "2026-13-01"})
    assert bad_day.status_code == 422
    tree = _api(client, county, "get", f"/api/supervision/plans/{plan_id}").json()
    assert [t["title"] for t in tree["goals"][0]["measures"][0]["tasks"]] == ["每月开展一次集中排查"]
    # The outsider: neither 兴海县's area nor its plan exists for it; the unit may not plan.
    outsider = world["outsider"]
    assert _api(
        client, outsider, "post", "/api/supervision/plans",
        data={"title": "x", "area_code": XINGHAI, "start_year": 2026, "end_year": 2026}, content_type="application/json",
    ).status_code == 404  # fmt: skip
    assert _api(
        client, outsider, "post", f"/api/supervision/plans/{plan_id}/goals", data={"title": "x"}, content_type="application/json"
    ).status_code == 404  # fmt: skip
    assert _api(
        client, world["unitofficer"], "post", f"/api/supervision/plans/{plan_id}/goals",
        data={"title": "x"}, content_type="application/json",
    ).status_code == 403  # fmt: skip


# --- the inspection form: places with the division picker, inspectors among the accounts seen ----------


def test_the_inspection_form_chooses_places_and_inspectors(client, world):
    client.force_login(world["county"])
    url = reverse("supervision:inspection_new")
    html = client.get(url).content.decode()
    assert 'name="place_1"' in html and 'name="inspectors"' in html
    form = client.get(url).context["form"]
    seen = set(form.fields["inspectors"].queryset.values_list("username", flat=True))
    assert {"inspector", "county", "cadre"} <= seen and "outsider" not in seen
    data = {
        "kind": "unannounced",
        "title": "兴海县第二轮暗访",
        "area": XINGHAI,
        "place_1": MINZU_VILLAGE,
        "place_2": NINGQU_VILLAGE,
        "place_3": MINZU_VILLAGE,
        "start": "2026-04-01",
        "end": "2026-04-03",
        "inspectors": [world["inspector"].pk],
    }
    assert client.post(url, data).status_code == 302
    inspection = Inspection.objects.get(title="兴海县第二轮暗访")
    assert sorted(inspection.places.values_list("code", flat=True)) == [NINGQU_VILLAGE, MINZU_VILLAGE]
    assert list(inspection.inspectors.values_list("username", flat=True)) == ["inspector"]
    # An inspector the user may not name, a place outside the user's scope: field errors.
    answer = client.post(
        url, {**data, "title": "外县", "inspectors": [world["outsider"].pk], "place_1": "620821100206"}
    )
    errors = answer.context["form"].errors
    assert "inspectors" in errors and "place_1" in errors
    # A place outside the inspection's area (the service's rule) goes under the first place.
    answer = client.post(url, {**data, "title": "范围外", "area": "632524203", "place_2": NINGQU_VILLAGE})
    assert "督查地点须在督查范围内" in answer.context["form"].errors["place_1"][0]
    # None chosen: the user who records it.
    client.post(url, {**data, "title": "无人选", "inspectors": []})
    assert list(Inspection.objects.get(title="无人选").inspectors.values_list("username", flat=True)) == [
        "county"
    ]


# --- the new pages and operations, outsider against county (as the scope matrix does) -------------------

NEW_PAGES = [
    "supervision:assessment_export",
    "supervision:county_assessment_new",
    "supervision:assessment_refresh",
    "supervision:assessment_evidence",
    "supervision:evidence_file",
]
NEW_API = [
    path
    for path in API
    if path.startswith(
        (
            "/api/supervision/assessments",
            "/api/supervision/plans",
            "/api/supervision/goals",
            "/api/supervision/measures",
        )
    )
]


@pytest.mark.parametrize("name", NEW_PAGES)
def test_the_outsider_sees_nothing_on_the_new_pages(client, world, name):
    page = PAGES[name]
    url = page.url(world)
    if page.kind == "post":
        client.force_login(world["outsider"])
        assert client.post(url, page.data(world)).status_code == 404
        client.force_login(world["county"])
        assert client.post(url, page.data(world)).status_code != 404
        return
    client.force_login(world["outsider"])
    outsider = client.get(url)
    client.force_login(world["county"])
    county = client.get(url)
    if page.kind == "detail":
        assert (county.status_code, outsider.status_code) == (200, 404)
    else:
        assert outsider.status_code == county.status_code == 200


@pytest.mark.parametrize("path", NEW_API)
def test_the_outsider_sees_nothing_in_the_new_operations(client, world, path):
    build, kind, *_marker = API[path]
    url = build(world)
    answers = {}
    for who in ("outsider", "county"):
        if isinstance(kind, tuple):
            answers[who] = _api(
                client, world[who], "post", url, data=kind[1](world), content_type="application/json"
            )
        else:
            answers[who] = _api(client, world[who], "get", url)
    assert answers["outsider"].status_code == 404 or (
        kind == "list"
        and answers["outsider"].status_code == 200
        and MARKER not in answers["outsider"].content.decode()
    )
    assert answers["county"].status_code != 404
    if kind == "list":
        assert MARKER in answers["county"].content.decode()


def test_the_standards_name_declared_indicators():
    """A renamed or removed indicator fails here, not on an assessor's page."""
    catalogue()
    for standard in STANDARDS:
        assert standard.indicator in CATALOGUE, standard.indicator
        if standard.of:
            assert standard.of[0] in CATALOGUE, standard.of[0]
