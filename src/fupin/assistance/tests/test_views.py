"""The pages: the phone visit flow, the timeline on the household page, lists, exports, workflows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fupin.assistance.lists import ROUTES
from fupin.assistance.models import Cadre, Measure, Pairing, Visit
from fupin.assistance.tests.matrix import CADRE, PNG
from fupin.audit.models import AuditEvent
from fupin.core import crypto
from fupin.reports import services as rollup
from fupin.testing import xlsx_rows

_xlsx = xlsx_rows
TABLES = {spec.url.split(":")[1]: spec for spec in ROUTES.values()}


def test_it_records_a_visit_and_shows_it_on_the_household_timeline(client, world):
    """The village cadre finds 扎西 by name, records a visit with a photo, and the household page shows it."""
    client.force_login(world["cadre"])
    found = client.get(reverse("assistance:visit_new"), {"q": "扎西"})
    assert reverse("assistance:visit_record", args=[world["zhaxi"].pk]) in found.content.decode()
    answer = client.post(
        reverse("assistance:visit_record", args=[world["zhaxi"].pk]),
        {
            "visited_on": datetime.date.today().isoformat(),
            "people_met": "扎西、卓玛",
            "notes": "危房改造已开工,询问建材到位情况",
            "issues": "缺少砂石",
            "latitude": "35.589",
            "longitude": "99.988",
            "photos": [SimpleUploadedFile("site.png", PNG, content_type="image/png")],
        },
    )
    visit = Visit.objects.latest("id")
    assert answer.status_code == 302 and answer.url.startswith(
        reverse("assistance:visit_detail", args=[visit.pk])
    )
    assert visit.photos.count() == 1 and visit.visitor == world["cadre"]
    page = client.get(reverse("registry:household_detail", args=[world["zhaxi"].pk])).content.decode()
    timeline = page[page.index('id="timeline"') :]
    assert "入户走访" in timeline and "危房改造已开工" in timeline and "缺少砂石" in timeline
    photo = client.get(reverse("assistance:visit_photo", args=[visit.photos.first().pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"


def test_it_keeps_everything_typed_when_a_visit_is_refused(client, world):
    """A visit dated tomorrow is refused under its field; the notes typed come back in the form."""
    client.force_login(world["cadre"])
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    answer = client.post(
        reverse("assistance:visit_record", args=[world["zhaxi"].pk]),
        {"visited_on": tomorrow.isoformat(), "people_met": "扎西", "notes": "一段很长的走访记录"},
    )
    body = answer.content.decode()
    assert answer.status_code == 422
    assert "日期不能晚于今天" in body and "一段很长的走访记录" in body and "扎西" in body
    assert 'data-draft-key="fupin-visit-' in body  # and the local draft keeps it on the phone


def test_it_hides_other_counties_households_from_the_visit_search(client, world):
    client.force_login(world["outsider"])
    assert "民族村" not in client.get(reverse("assistance:visit_new"), {"q": "扎西"}).content.decode()
    assert client.get(reverse("assistance:visit_record", args=[world["zhaxi"].pk])).status_code == 404


def test_it_shows_a_cadre_their_own_households_on_the_visit_tab(client, world):
    cadre = Cadre.objects.get(name=CADRE)
    cadre.user = world["cadre"]
    cadre.save()
    client.force_login(world["cadre"])
    body = client.get(reverse("assistance:visit_list")).content.decode()
    mine = body[body.index('id="my-households"') : body.index('id="overdue"')]
    # Only what the cadre's scope (民族村) holds: 扎西, not 宁曲村's 王芳 although paired with the record.
    assert "扎西" in mine and "王芳" not in body


@pytest.mark.parametrize("name", sorted(TABLES))
def test_it_exports_each_list_as_it_shows_it(client, world, name):
    client.force_login(world["county"])
    page = client.get(reverse(f"assistance:{name}_list"))
    export = client.get(reverse(f"assistance:{name}_export"))
    assert page.status_code == 200 and export.status_code == 200
    rows = _xlsx(export)
    assert rows[0] == [str(c.header) for c in TABLES[name].columns]
    assert len(rows) - 1 == page.context["page"].paginator.count >= 1
    assert AuditEvent.objects.filter(action="export", object_type=f"assistance.{name}").exists()


def test_it_filters_a_list_by_division(client, world):
    client.force_login(world["county"])
    url = reverse("assistance:pairing_list")
    assert client.get(url, {"division": "632524101206"}).context["page"].paginator.count == 1
    assert client.get(url, {"division": "632524"}).context["page"].paginator.count == 2
    outside = client.get(url, {"division": "620821"})
    assert outside.context["page"].paginator.count == 0 and "所选区划不在" in outside.content.decode()


def test_it_exports_the_coverage_report(client, world):
    """The poor villages page and export alike; the totals by county and township (from the rollup)
    stand above them."""
    rollup.refresh()
    client.force_login(world["county"])
    page = client.get(reverse("assistance:coverage_list")).content.decode()
    villages = page[page.index('id="coverage-villages"') :]
    assert "宁曲村" in villages and CADRE in villages
    summary = page[page.index('id="coverage-counties"') : page.index('id="coverage-villages"')]
    assert "632524" in summary and "632524101" in summary  # the county, and its township
    rows = _xlsx(client.get(reverse("assistance:coverage_export")))
    assert rows[1][:2] == ["兴海县", "河卡镇"]
    assert rows[1][2:7] == ["宁曲村", "632524101206", 1, CADRE, "是"]
    covered = client.get(reverse("assistance:coverage_list"), {"uncovered": "on"})
    assert covered.context["page"].count == 0 and covered.context["report"]["covered"] == 1


def test_it_refuses_a_small_team_on_the_page_with_the_reason(client, world):
    client.force_login(world["county"])
    team = world["team"]
    answer = client.post(
        reverse("assistance:team_transition", args=[team.pk]),
        {"to": "active", "version": team.version},
        follow=True,
    )
    assert "至少3人" in answer.content.decode()
    assert "不足3人" in client.get(reverse("assistance:team_list")).content.decode()


def test_it_moves_a_measure_on_from_the_plan_page(client, world):
    client.force_login(world["cadre"])
    measure = world["measure"]
    url = reverse("assistance:plan_detail", args=[world["zhaxi"].pk])
    assert "危房改造" in client.get(url).content.decode()
    client.post(reverse("assistance:measure_transition", args=[measure.pk]), {"to": "active", "version": 1})
    stale = client.post(
        reverse("assistance:measure_transition", args=[measure.pk]),
        {"to": "cancelled", "version": 1, "reason": "x"},
        follow=True,
    )
    assert "已被他人修改" in stale.content.decode()
    assert Measure.objects.get(pk=measure.pk).status == "active"


def test_it_adds_a_pairing_and_a_measure_through_the_forms(client, world):
    client.force_login(world["county"])
    cadre = world["assistance_cadre"]
    bad = client.post(
        reverse("assistance:pairing_new"), {"cadre": cadre.pk, "household": "nope", "start": "2024-01-01"}
    )
    assert "未找到该户编号" in bad.content.decode()
    li = world["li"]
    other = client.post(
        reverse("assistance:pairing_new"), {"cadre": cadre.pk, "household": li.number, "start": "2024-01-01"}
    )
    assert "未找到该户编号" in other.content.decode()  # 泾川县's household is not the county officer's
    answer = client.post(
        reverse("assistance:measure_new"),
        {"household": world["wang"].number, "type": "industry", "content": "发展牦牛养殖", "cadre": cadre.pk},
    )
    assert answer.status_code == 302
    assert Measure.objects.filter(
        plan__household=world["wang"], content="发展牦牛养殖", status="planned"
    ).exists()


def test_it_records_a_training_class_with_names_and_counts(client, world):
    client.force_login(world["unitofficer"])
    answer = client.post(
        reverse("assistance:training_new"),
        {
            "topic": "牦牛养殖技术培训",
            "form": "special_class",
            "kind": "technician",
            "start": "2020-07-01",
            "end": "2020-07-03",
            "place": "兴海县",
            "organiser": world["datang"].pk,
            "region": "632524",
            "hours": "12",
            "names": "才让,民族村\n卓玛",
            "count": "8",
        },
    )
    assert answer.status_code == 302, answer.content.decode()[:3000]
    summary = client.get(reverse("assistance:training_summary_list"), {"year": 2020})
    assert 'id="training-total">10<' in summary.content.decode()
    rows = [r["cells"] for r in summary.context["rows"]]
    assert [(c[4][0], c[5][0]) for c in rows] == [("1", "10")]  # one class, 10 person-times
    technicians = client.get(reverse("assistance:training_summary_list"), {"year": 2020, "kind": "cadre"})
    assert 'id="training-total">0<' in technicians.content.decode()


def test_it_ends_a_pairing_through_its_form(client, world):
    client.force_login(world["county"])
    pairing = world["pairing"]
    url = reverse("assistance:pairing_end", args=[pairing.pk])
    missing = client.post(url, {"version": pairing.version, "end": "2025-01-01", "end_reason": ""})
    assert "此字段是必填项" in missing.content.decode() or "必填" in missing.content.decode()
    client.post(url, {"version": pairing.version, "end": "2025-01-01", "end_reason": "户已稳定脱贫"})
    assert Pairing.objects.get(pk=pairing.pk).end == datetime.date(2025, 1, 1)


def test_it_adds_a_cadre_linked_to_an_account_and_an_activity_of_an_assisted_place(client, world):
    client.force_login(world["unitofficer"])
    unknown = client.post(
        reverse("assistance:cadre_new"),
        {"name": "才让", "level": "village", "region": "632524203207", "account": "nobody"},
    )
    assert "没有这个登录账号" in unknown.content.decode()
    answer = client.post(
        reverse("assistance:cadre_new"),
        {"name": "才让", "level": "village", "region": "632524203207", "account": "cadre"},
    )
    assert answer.status_code == 302
    assert Cadre.objects.get(name="才让").user == world["cadre"]
    place = world["datang"].assisted_places.get()
    answer = client.post(
        reverse("assistance:activity_new"),
        {
            "kind": "lecture",
            "title": "民族团结进步宣讲",
            "held_on": "2019-11-06",
            "region": "632524203207",
            "assisted_place": place.pk,
            "participants": "35",
        },
    )
    assert answer.status_code == 302
    body = client.get(reverse("assistance:activity_list")).content.decode()
    assert "民族团结进步宣讲" in body


# --- edit pages ---------------------------------------------------------------------------------


def _cadre_post(cadre, **changes):
    return {
        "version": cadre.version,
        "name": cadre.name,
        "level": cadre.level,
        "unit": cadre.unit_id or "",
        "title": cadre.title,
        "region": cadre.region_id,
        "account": "",
        **changes,
    }


def test_it_edits_a_cadre_from_the_list(client, world):
    cadre = Cadre.objects.get(name=CADRE)
    client.force_login(world["county"])
    url = reverse("assistance:cadre_edit", args=[cadre.pk])
    assert url in client.get(reverse("assistance:cadre_list")).content.decode()
    page = client.get(url).content.decode()
    assert "驻村第一书记" in page and f'name="version" value="{cadre.version}"' in page
    answer = client.post(url, _cadre_post(cadre, title="村党支部第一书记"))
    assert answer.status_code == 302
    cadre.refresh_from_db()
    assert cadre.title == "村党支部第一书记" and cadre.version == 2


def test_it_keeps_the_edit_form_on_a_field_error_or_a_stale_version(client, world):
    cadre = Cadre.objects.get(name=CADRE)
    client.force_login(world["county"])
    url = reverse("assistance:cadre_edit", args=[cadre.pk])
    body = client.post(url, _cadre_post(cadre, name="", title="新职务")).content.decode()
    assert "这个字段是必填项" in body
    assert "新职务" in body
    body = client.post(url, _cadre_post(cadre, version=cadre.version + 5, title="新职务")).content.decode()
    assert "该记录已被他人修改" in body
    cadre.refresh_from_db()
    assert cadre.title == "驻村第一书记" and cadre.version == 1


def test_it_edits_a_team_and_a_class_from_their_pages(client, world):
    team, training = world["team"], world["training"]
    client.force_login(world["county"])
    detail = client.get(reverse("assistance:team_detail", args=[team.pk])).content.decode()
    assert reverse("assistance:team_edit", args=[team.pk]) in detail
    answer = client.post(
        reverse("assistance:team_edit", args=[team.pk]),
        {
            "version": team.version,
            "name": "民族村工作队(二期)",
            "unit": team.unit_id,
            "village": team.village_id,
            "start": "2023-06-01",
        },
    )
    assert answer.status_code == 302
    team.refresh_from_db()
    assert team.name == "民族村工作队(二期)"
    url = reverse("assistance:training_edit", args=[training.pk])
    assert url in client.get(reverse("assistance:training_detail", args=[training.pk])).content.decode()
    post = {
        "version": training.version,
        "topic": training.topic,
        "form": training.form,
        "kind": training.kind,
        "start": "2019-10-29",
        "end": "2019-10-28",
        "place": "西宁",
        "organiser": training.organiser_id,
        "region": training.region_id,
        "hours": "24",
        "names": "才让,民族村",
        "count": "30",
    }
    body = client.post(url, post).content.decode()
    assert "结束日期不能早于开始日期" in body
    assert client.post(url, {**post, "end": "2019-10-31"}).status_code == 302
    training.refresh_from_db()
    assert training.hours == 24 and sum(a.count for a in training.attendees.all()) == 31


def test_it_hides_edit_pages_from_outsiders_and_readers(client, world):
    client.force_login(world["outsider"])
    for name, key in (
        ("cadre_edit", "assistance_cadre"),
        ("team_edit", "team"),
        ("training_edit", "training"),
    ):
        assert client.get(reverse(f"assistance:{name}", args=[world[key].pk])).status_code == 404
    client.force_login(world["cadre"])  # a village cadre sees the team but may not change it
    assert client.get(reverse("assistance:team_edit", args=[world["team"].pk])).status_code == 403
    body = client.get(reverse("assistance:team_detail", args=[world["team"].pk])).content.decode()
    assert reverse("assistance:team_edit", args=[world["team"].pk]) not in body


def test_it_keeps_a_cadres_phone_by_the_registrys_rule_and_masks_it_on_the_list(client, world):
    """The form takes a mobile by the registry's rule (not a landline), keeps it when the field is left
    empty on editing, and the list shows it masked."""
    cadre = Cadre.objects.get(name=CADRE)
    client.force_login(world["county"])
    url = reverse("assistance:cadre_edit", args=[cadre.pk])
    body = client.post(url, _cadre_post(cadre, phone="0974-8512345")).content.decode()
    assert "请填写手机号码(11位)" in body or "手机号码无效" in body
    assert client.post(url, _cadre_post(cadre, phone="138 1234 5678")).status_code == 302
    cadre.refresh_from_db()
    assert crypto.decrypt(cadre.phone_enc) == "13812345678"
    assert client.post(url, _cadre_post(cadre, title="村党支部第一书记")).status_code == 302
    cadre.refresh_from_db()
    assert crypto.decrypt(cadre.phone_enc) == "13812345678" and cadre.title == "村党支部第一书记"
    listed = client.get(reverse("assistance:cadre_list")).content.decode()
    assert "138****5678" in listed and "13812345678" not in listed
