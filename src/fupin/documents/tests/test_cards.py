"""明白卡 and 一户一档: rendered to PDF and read back (pdftotext, pdfinfo, pdftoppm).

The world: 扎西 of 民族村 (fupin.testing) with a 帮扶责任人 of 大唐 (张明, 驻村工作队员), a plan of two
measures (产业 5,000 元 done, 教育 1,200 元 planned), a visit, and a monitoring object (脱贫不稳定户);
two more households of 民族村 (one with a dozen measures: its card still fits a page).
"""

import datetime
import re
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from fupin.accounts.roles import Role
from fupin.audit.models import AuditEvent
from fupin.documents import cards, tasks
from fupin.jobs.models import Job
from fupin.jobs.services import files_dir
from fupin.testing import HEAD_ID, MINZU_VILLAGE, PHONE, WIFE_ID, make_household, make_user, person_id


def _records(made: dict) -> dict:
    from fupin.assistance import services as assistance
    from fupin.monitoring.models import MonitoringObject

    zhaxi = made["zhaxi"]
    cadre = assistance.cadre_create(
        by=None, name="张明", level="central", region=MINZU_VILLAGE, unit=made["datang"], title="驻村工作队员"
    )
    assistance.pairing_create(by=None, cadre=cadre, household=zhaxi, start=datetime.date(2024, 3, 1))
    yak = assistance.measure_add(
        by=None, household=zhaxi, type="industry", content="养殖牦牛10头", cadre=cadre,
        due=datetime.date(2025, 6, 30), amount=Decimal("5000"), summary="发展牦牛养殖,稳定增收",
    )  # fmt: skip
    assistance.measure_transition(by=None, measure=yak, to="active", version=yak.version)
    yak.refresh_from_db()
    assistance.measure_transition(by=None, measure=yak, to="done", version=yak.version, result="年增收6000元")
    assistance.measure_add(
        by=None, household=zhaxi, type="education", content="雨露计划助学", cadre=cadre,
        due=datetime.date(2026, 9, 1), amount=Decimal("1200"),
    )  # fmt: skip
    assistance.visit_record(
        by=None, household=zhaxi, visited_on=datetime.date(2026, 5, 8), people_met="扎西、卓玛",
        notes="了解牦牛出栏情况", cadre=cadre,
    )  # fmt: skip
    MonitoringObject.objects.create(
        household=zhaxi, type="unstable", former_poor=True, identified_on=datetime.date(2026, 4, 1)
    )
    second = make_household(head="多杰", head_id=person_id(31))
    third = make_household(head="卓嘎", head_id=person_id(32, male=False))
    for n in range(12):
        assistance.measure_add(by=None, household=third, type="employment", content=f"务工培训第{n + 1}期")
    return {"cadre_zhang": cadre, "second": second, "third": third}


WORLD_LAYERS = ("households", _records)


def _pdf_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _text(pdf: bytes, tmp_path) -> str:
    file = tmp_path / "out.pdf"
    file.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(file), "-"], capture_output=True, check=True, text=True).stdout


def _info(pdf: bytes, tmp_path) -> dict:
    file = tmp_path / "info.pdf"
    file.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(file)], capture_output=True, check=True, text=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def _pages(pdf: bytes, tmp_path) -> int:
    return int(_info(pdf, tmp_path)["Pages"].strip())


def _flat(text: str) -> str:
    """The text without the spaces and line breaks a layout puts between characters."""
    return re.sub(r"\s+", "", text)


def _last_print() -> AuditEvent:
    return (
        AuditEvent.objects.filter(action="export", object_type__startswith="documents.")
        .order_by("-id")
        .first()
    )


def _masked(number: str) -> str:
    return f"{number[:4]}{'*' * 10}{number[-4:]}"


def test_a_card_carries_the_household_its_measures_and_its_cadre(county_client, world, tmp_path):
    zhaxi = world["zhaxi"]
    answer = county_client.get(reverse("documents:card", args=[zhaxi.pk]))
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf"
    pdf = _pdf_bytes(answer)
    text = _flat(_text(pdf, tmp_path))
    for expected in (
        "帮扶明白卡", "青海省海南藏族自治州兴海县唐乃亥乡民族村", zhaxi.number, "扎西", "卓玛",
        "张明", "驻村工作队员", "大唐青海能源开发有限公司",
        "产业帮扶", "养殖牦牛10头", "5,000.00", "教育帮扶", "雨露计划助学", "1,200.00", "2026-09-01",
        "帮扶资金合计6,200.00元", "脱贫不稳定户", "风险未消除", "2019年", "户主签字", "帮扶责任人签字",
    ):  # fmt: skip
        assert expected in text, expected
    # The done measure is a policy received, with the day it was done; the planned one is a measure.
    assert text.index("已享受政策") < text.index("养殖牦牛10头")
    assert text.index("雨露计划助学") < text.index("已享受政策")
    # Masked ID numbers; no phone, bank account or health on the wall card.
    assert _masked(HEAD_ID) in text and _masked(WIFE_ID) in text
    assert HEAD_ID not in text and WIFE_ID not in text and PHONE not in text
    assert "患有大病" not in text and "因病" not in text
    assert _pages(pdf, tmp_path) == 1
    row = _last_print()
    assert row.object_type == "documents.card" and row.object_id == str(zhaxi.pk)
    assert row.changes["masked"] is True and row.changes["count"] == 1 and row.changes["format"] == "pdf"
    assert row.changes["filters"] == {"household": zhaxi.number, "size": "A5"}
    assert row.region_code == MINZU_VILLAGE


def test_a_card_renders_to_an_image_in_both_sizes(county_client, world, tmp_path):
    for size, (width, height) in (("A5", (420, 595)), ("A4", (595, 842))):
        pdf = _pdf_bytes(
            county_client.get(reverse("documents:card", args=[world["zhaxi"].pk]), {"size": size})
        )
        points = [float(x) for x in re.findall(r"[\d.]+", _info(pdf, tmp_path)["Page size"])[:2]]
        assert abs(points[0] - width) < 2 and abs(points[1] - height) < 2
        (tmp_path / "card.pdf").write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "40",
                "-f",
                "1",
                "-l",
                "1",
                str(tmp_path / "card.pdf"),
                str(tmp_path / size),
            ],
            check=True,
        )
        image = next(tmp_path.glob(f"{size}*.png"))
        assert image.stat().st_size > 2000
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_household_file_holds_every_record(county_client, world, tmp_path):
    zhaxi = world["zhaxi"]
    answer = county_client.get(reverse("documents:household_file", args=[zhaxi.pk]))
    assert answer.status_code == 200
    pdf = _pdf_bytes(answer)
    raw = _text(pdf, tmp_path)
    text = _flat(raw)
    for expected in (
        "一户一档", "一、基本情况", "二、家庭成员", "三、年度收入", "四、两不愁三保障", "五、状态记录",
        "六、结对帮扶", "七、一户一策", "八、入户走访", "九、防返贫监测",
        "扎西", "卓玛", "低保户", "因病", "9,000.00", "11,000.00", "5,500.00", "危房未改造",
        "张明", "2024-03-01", "发展牦牛养殖,稳定增收", "养殖牦牛10头", "年增收6000元", "雨露计划助学",
        "2026-05-08", "了解牦牛出栏情况", "脱贫不稳定户", "2026-04-01", "打印人县级干部",
    ):  # fmt: skip
        assert expected in text, expected
    assert HEAD_ID not in text and PHONE not in text and "患有大病" not in text
    assert _masked(HEAD_ID) in text and "1970-**-**" in text
    pages = _pages(pdf, tmp_path)
    assert pages >= 3  # the cover, then the sections, numbered (the cover counts, unnumbered)
    assert f"第2页/共{pages}页" in text and "第1页" not in text
    row = _last_print()
    assert row.object_type == "documents.file" and row.changes["masked"] is True


def test_a_clear_print_needs_a_purpose_and_is_audited(county_client, world, tmp_path):
    zhaxi = world["zhaxi"]
    url = reverse("documents:card_print", args=[zhaxi.pk])
    page = county_client.get(url)
    assert page.status_code == 200 and "明文打印" in page.content.decode()
    before = AuditEvent.objects.filter(action="export").count()
    refused = county_client.post(url, {"document": "card", "size": "A5", "purpose": "", "confirm": "on"})
    assert refused.status_code == 400 and AuditEvent.objects.filter(action="export").count() == before
    answer = county_client.post(
        url, {"document": "card", "size": "A4", "purpose": "入户核对身份信息", "confirm": "on"}
    )
    assert answer.status_code == 200
    text = _flat(_text(_pdf_bytes(answer), tmp_path))
    assert HEAD_ID in text and WIFE_ID in text and "含明文个人信息" in text
    row = _last_print()
    assert row.changes["masked"] is False and row.changes["purpose"] == "入户核对身份信息"
    assert "入户核对身份信息" in row.detail
    answer = county_client.post(url, {"document": "file", "purpose": "县级档案核查", "confirm": "on"})
    text = _flat(_text(_pdf_bytes(answer), tmp_path))
    assert HEAD_ID in text and PHONE in text and "患有大病" in text
    assert (
        _last_print().object_type == "documents.file" and _last_print().changes["purpose"] == "县级档案核查"
    )


def test_who_may_not_reveal_prints_masked_only(client, world):
    client.force_login(world["cadre"])  # 民族村's cadre: prints cards, may not reveal
    url = reverse("documents:card_print", args=[world["zhaxi"].pk])
    page = client.get(url)
    assert page.status_code == 200 and "明文打印" not in page.content.decode()
    before = AuditEvent.objects.filter(action="export").count()
    answer = client.post(
        url, {"document": "card", "size": "A5", "purpose": "入户核对身份信息", "confirm": "on"}
    )
    assert answer.status_code == 403
    assert AuditEvent.objects.filter(action="export").count() == before
    assert client.get(reverse("documents:card", args=[world["zhaxi"].pk])).status_code == 200


def test_out_of_scope_is_missing_and_without_the_permission_forbidden(client, world):
    zhaxi, li = world["zhaxi"], world["li"]
    client.force_login(world["county"])
    for name in ("documents:card", "documents:household_file", "documents:card_print"):
        assert client.get(reverse(name, args=[li.pk])).status_code == 404  # 泾川县's household
    client.force_login(world["outsider"])
    for name in ("documents:card", "documents:household_file", "documents:card_print"):
        assert client.get(reverse(name, args=[zhaxi.pk])).status_code == 404
    client.force_login(world["unitofficer"])  # sees 兴海县 (the place 大唐 assists), may not print cards
    for name in ("documents:card", "documents:household_file", "documents:card_print"):
        assert client.get(reverse(name, args=[zhaxi.pk])).status_code == 403
    assert client.get(reverse("documents:card_batch")).status_code == 403
    assert client.post(reverse("documents:card_batch"), {"village": MINZU_VILLAGE}).status_code == 403


def test_a_bad_size_is_refused_with_a_reason(county_client, world):
    answer = county_client.get(reverse("documents:card", args=[world["zhaxi"].pk]), {"size": "B5"})
    assert answer.status_code == 400 and "A5" in answer.content.decode()


def test_a_villages_batch_prints_a_card_a_page(county_client, world, tmp_path):
    answer = county_client.post(reverse("documents:card_batch"), {"village": MINZU_VILLAGE, "size": "A5"})
    job = Job.objects.filter(kind="documents.cards").order_by("-created_at").first()
    assert answer.status_code == 302 and answer["Location"] == reverse("jobs:status", args=[job.pk])
    assert job.state == Job.State.DONE, job.error
    households = [world["zhaxi"], world["second"], world["third"]]
    assert job.result == {"count": 3, "masked": True, "filters": {"village": MINZU_VILLAGE, "size": "A5"}}
    assert job.done == job.total == 3
    pdf = (files_dir(job.pk) / job.file).read_bytes()
    assert job.file.endswith(".pdf") and "民族村" in job.file
    assert _pages(pdf, tmp_path) == 3
    text = _flat(_text(pdf, tmp_path))
    for household in households:
        assert household.number in text
    assert "另有6项,见一户一档" in text  # 卓嘎's twelve measures: six on the card
    assert HEAD_ID not in text and _masked(HEAD_ID) in text


def test_another_countys_village_is_refused(client, world):
    client.force_login(world["outsider"])
    before = Job.objects.count()
    answer = client.post(reverse("documents:card_batch"), {"village": MINZU_VILLAGE, "size": "A5"})
    assert answer.status_code == 200 and "所选区划不在" in answer.content.decode()
    assert Job.objects.count() == before


def test_the_api_prints_a_card_and_starts_a_batch(client, world, tmp_path):
    from fupin.accounts.tokens import token_issue

    def auth(who):
        _token, key = token_issue(user=world[who], name="cards")
        return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

    zhaxi = world["zhaxi"]
    answer = client.get(f"/api/documents/households/{zhaxi.pk}/card", {"size": "A4"}, **auth("county"))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert "扎西" in _flat(_text(_pdf_bytes(answer), tmp_path))
    assert client.get(f"/api/documents/households/{zhaxi.pk}/card", **auth("outsider")).status_code == 404
    assert (
        client.get(f"/api/documents/households/{zhaxi.pk}/card?size=B5", **auth("county")).status_code == 422
    )
    assert client.get(f"/api/documents/households/{zhaxi.pk}/file", **auth("unitofficer")).status_code == 403
    url = "/api/documents/cards/batch"
    body = {"village": MINZU_VILLAGE, "size": "A5"}
    assert client.post(url, body, content_type="application/json", **auth("outsider")).status_code == 404
    bad = client.post(url, {"village": "6325"}, content_type="application/json", **auth("county"))
    assert bad.status_code == 422
    started = client.post(url, body, content_type="application/json", **auth("county"))
    assert started.status_code == 202
    job = client.get(started.json()["status_url"], **auth("county")).json()
    assert job["state"] == "done" and job["result"]["count"] == 3


def test_the_cards_of_households_read_in_a_few_queries(world, django_assert_max_num_queries):
    """A village's batch reads each list once, whatever the number of households."""
    households = [world["zhaxi"], world["second"], world["third"]]
    cards.build_cards(households[:1], world["county"])  # the user's roles and scope, read once
    with django_assert_max_num_queries(8):
        built = cards.build_cards(households, world["county"])
    assert [c.household.head_name for c in built] == ["扎西", "多杰", "卓嘎"]
    assert built[2].more_measures == 12 - cards.MAX_MEASURES


@pytest.mark.parametrize("role", [Role.VILLAGE_CADRE])
def test_a_batch_holds_only_the_households_the_user_sees(world, role, tmp_path, settings):
    """The job scopes by its owner: a cadre of another village gets no card of 民族村."""
    other = make_user("ningqu", roles=[role], scopes=["632524101206"])
    from fupin.regions.models import Region

    job = tasks.start_village_cards(by=other, village=Region.objects.get(code=MINZU_VILLAGE))
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "没有您可以查看的农户" in job.error


def test_the_household_page_offers_printing_to_who_may_print(client, world):
    zhaxi = world["zhaxi"]
    page, button = (
        reverse("registry:household_detail", args=[zhaxi.pk]),
        reverse("documents:card_print", args=[zhaxi.pk]),
    )
    client.force_login(world["county"])
    assert button in client.get(page).content.decode()
    client.force_login(world["unitofficer"])  # sees the household, may not print
    answer = client.get(page)
    assert answer.status_code == 200 and button not in answer.content.decode()


def test_an_a4_card_lists_more_and_still_fits_a_page(world, tmp_path):
    pdf, count = cards.village_cards(world["county"], MINZU_VILLAGE, size="A4")
    assert count == 3 and _pages(pdf, tmp_path) == 3
    text = _flat(_text(pdf, tmp_path))
    assert "务工培训第10期" in text and "务工培训第11期" not in text and "另有2项,见一户一档" in text


def test_a_batch_laid_out_on_several_cores_reads_as_in_one_process(world, tmp_path, monkeypatch):
    """Given a part per card and two processes, the joined PDF holds the same cards, in order, as the
    one-process PDF: a page each, the same text, and the progress reaches every card."""
    monkeypatch.setattr(cards, "CHUNK", 1)
    steps = []
    one, count = cards.village_cards(world["county"], MINZU_VILLAGE, workers=1)
    several, _count = cards.village_cards(
        world["county"], MINZU_VILLAGE, workers=2, progress=lambda done, total, _m: steps.append(done)
    )
    assert count == 3 and _pages(several, tmp_path) == 3
    assert _flat(_text(several, tmp_path)) == _flat(_text(one, tmp_path))
    text = _flat(_text(several, tmp_path))
    numbers = [world[h].number for h in ("zhaxi", "second", "third")]
    assert sorted(numbers, key=text.index) == numbers
    assert steps[0] == 0 and steps[-1] == 3 and len(steps) == 4


def test_the_household_file_lists_the_projects_the_household_benefits_from(county_client, world, tmp_path):
    """Given a project naming 扎西 as a beneficiary and one whose beneficiary is all of 民族村, his file's
    section 十 lists both (the village-wide one marked so); the second household of 民族村, not named
    by the first project, gets the village-wide one only; the outsider's read finds none."""
    from fupin.projects import selectors as projects
    from fupin.projects import services

    county, zhaxi = world["county"], world["zhaxi"]
    yak = services.project_create(
        by=county,
        place_code=MINZU_VILLAGE,
        name="牦牛合作社入股",
        category="industry",
        year=2025,
        budget="80000",
    )
    services.beneficiary_add(by=county, project=yak, household=zhaxi, benefit="入股分红", amount="1200")
    water = services.project_create(
        by=county, place_code=MINZU_VILLAGE, name="饮水管网改造", category="housing_water", year=2026
    )
    services.beneficiary_add(by=county, project=water, village_code=MINZU_VILLAGE, benefit="自来水入户")
    text = _flat(
        _text(_pdf_bytes(county_client.get(reverse("documents:household_file", args=[zhaxi.pk]))), tmp_path)
    )
    assert "十、受益项目" in text
    assert "牦牛合作社入股" in text and "入股分红" in text and "1,200.00" in text
    assert "饮水管网改造" in text and "全村受益:自来水入户" in text
    assert [b.project.name for b in projects.household_benefits(world["second"], county)] == ["饮水管网改造"]
    assert projects.household_benefits(zhaxi, world["outsider"]) == []


def test_the_card_prints_the_cadres_phone_in_clear(county_client, world, tmp_path):
    """The household's card and its 一户一档 carry the 帮扶责任人's mobile in full, decrypted from the
    stored ciphertext (it is there to be called), while the household's own phone stays off the card
    and masked on the masked file; the print's audit row carries neither in clear."""
    from fupin.assistance import services as assistance

    cadre = world["cadre_zhang"]
    assistance.cadre_update(
        by=world["county"], cadre=cadre, version=cadre.version, name=cadre.name, level=cadre.level,
        region=cadre.region_id, unit=cadre.unit, title=cadre.title, phone="13987654321",
    )  # fmt: skip
    cadre.refresh_from_db()
    assert "13987654321" not in cadre.phone_enc and cadre.phone_masked == "139****4321"
    answer = county_client.get(reverse("documents:card", args=[world["zhaxi"].pk]))
    text = _flat(_text(_pdf_bytes(answer), tmp_path))
    assert "13987654321" in text and PHONE not in text
    answer = county_client.get(reverse("documents:household_file", args=[world["zhaxi"].pk]))
    text = _flat(_text(_pdf_bytes(answer), tmp_path))
    assert "13987654321" in text and PHONE not in text
    for event in AuditEvent.objects.filter(action="export"):
        assert "13987654321" not in f"{event.changes} {event.detail} {event.path}"
