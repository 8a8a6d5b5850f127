"""The household list, the household page and its edit forms (registry.views)."""

import datetime

import pytest
from django.urls import reverse

from fupin.audit.models import AuditEvent
from fupin.registry.idnumbers import make_id_number
from fupin.registry.models import Household, YearlyIncome
from fupin.testing import HEAD_ID, PHONE, WIFE_ID

WORLD_LAYERS = ("households",)
LIST = "registry:household_list"
NEW_HEAD_ID = make_id_number(area_code="632524", birth_date=datetime.date(1966, 6, 6), sequence=21, male=True)


def _list(client, **params) -> str:
    response = client.get(reverse(LIST), params)
    assert response.status_code == 200
    return response.content.decode()


def test_it_lists_the_households_in_scope(county_client, households):
    html = _list(county_client)
    assert "扎西" in html and "王芳" in html
    assert "李强" not in html
    assert "共 2 条" in html
    assert "姓名/拼音首字母/身份证号/后四位" in html


def test_it_shows_the_outsider_none_of_the_villages_households(client, cast, households):
    client.force_login(cast["outsider"])
    html = _list(client)
    assert "扎西" not in html and "王芳" not in html
    assert "李强" in html


def test_it_lets_the_village_cadre_see_only_the_village(client, cast, households):
    client.force_login(cast["cadre"])
    html = _list(client)
    assert "扎西" in html and "王芳" not in html


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"division": "632524203207"}, {"扎西"}),
        ({"division": "632524101"}, {"王芳"}),
        ({"status": "registered"}, {"扎西", "王芳"}),
        ({"status": "poor"}, set()),
        ({"attribute": "dibao"}, {"扎西"}),
        ({"cause": "illness"}, {"扎西"}),
        ({"cause": "no_skills"}, set()),  # 扎西's secondary cause: the filter is the main cause's
        ({"cause": "no_funds"}, {"王芳"}),
        ({"health": "serious"}, {"扎西"}),
        ({"health": "healthy"}, {"扎西", "王芳"}),
        ({"income_band": "none"}, {"王芳"}),
        ({"income_band": "near"}, {"扎西"}),  # 2019: 11000 / 2 = 5500, line 3747, 1.5 × line 5620.5
        ({"income_band": "above"}, set()),
        ({"income_band": "below"}, set()),
    ],
)
def test_it_filters(county_client, households, params, expected):
    html = _list(county_client, **params)
    assert {name for name in ("扎西", "王芳") if f"<td>{name}</td>" in html} == expected


def test_it_lists_nothing_for_a_division_outside_the_scope(county_client, households):
    html = _list(county_client, division="620821100206")
    assert "李强" not in html
    assert "<td>扎西</td>" not in html and "所选区划不在允许的范围内" in html  # refused, and said why


@pytest.mark.parametrize(
    "q",
    [HEAD_ID, HEAD_ID.lower(), HEAD_ID[-4:], "zx", "ZX", "扎", "扎西"],
    ids=["full-id", "lower-x", "last-four", "initials", "initials-upper", "name-prefix", "name"],
)
def test_it_searches(county_client, households, q):
    html = _list(county_client, q=q)
    assert "扎西" in html and "王芳" not in html


def test_it_says_which_member_a_name_search_matched(county_client, households):
    """扎西's household found by his wife's name: the row says it was 卓玛 who matched."""
    assert "匹配:卓玛" in _list(county_client, q="卓玛")
    assert "匹配:" not in _list(county_client, q="扎西")  # the head himself: nothing to add


def test_it_finds_nothing_for_an_unknown_id(county_client, households):
    html = _list(county_client, q=WIFE_ID[:17] + ("0" if WIFE_ID[-1] != "0" else "1"))
    assert "没有符合条件的农户" in html


def test_it_survives_odd_query_strings(county_client, households):
    for params in ({"q": "a\x00b"}, {"division": "abc"}, {"page": "x", "size": "999"}, {"income_band": "z"}):
        assert county_client.get(reverse(LIST), params).status_code == 200


def test_it_shows_the_household_page_masked(county_client, households):
    h = households["zhaxi"]
    response = county_client.get(reverse("registry:household_detail", args=[h.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert HEAD_ID not in html and WIFE_ID not in html and PHONE not in html
    assert HEAD_ID[:4] + "**********" + HEAD_ID[-4:] in html
    assert "138****4321" in html
    assert "患有大病" not in html and "***" in html
    assert "民族村" in html and "兴海县" in html
    assert "危房未改造" in html  # the failed check's reason
    assert 'id="income-chart"' in html and "fupin/vendor/echarts.min.js" in html
    assert "建档登记" in html  # the timeline


def test_it_hides_another_countys_household_as_missing(client, cast, households):
    client.force_login(cast["outsider"])
    for name in ("household_detail", "household_edit", "member_add", "income_record", "check_record"):
        assert client.get(reverse(f"registry:{name}", args=[households["zhaxi"].pk])).status_code == 404
    member = households["zhaxi"].members.first()
    assert client.get(reverse("registry:member_edit", args=[member.pk])).status_code == 404


def test_it_reveals_a_phone_to_the_county_officer_and_audits_it(county_client, households):
    h = households["zhaxi"]
    response = county_client.post(
        reverse("registry:reveal"), {"type": "household", "id": h.pk, "field": "phone"}
    )
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.REVEAL).count() == 1


def test_it_reveals_an_id_number(county_client, households):
    member = households["zhaxi"].members.get(name="扎西")
    response = county_client.post(
        reverse("registry:reveal"), {"type": "member", "id": member.pk, "field": "id_number"}
    )
    assert HEAD_ID in response.content.decode()


def test_it_refuses_to_reveal_without_the_permission(client, cast, households):
    client.force_login(cast["cadre"])
    h = households["zhaxi"]
    html = client.get(reverse("registry:household_detail", args=[h.pk])).content.decode()
    assert "data-reveal" not in html
    response = client.post(reverse("registry:reveal"), {"type": "household", "id": h.pk, "field": "phone"})
    assert response.status_code == 403
    assert PHONE not in response.content.decode()


def test_it_refuses_to_reveal_out_of_scope_or_bad_input(client, cast, households):
    client.force_login(cast["outsider"])
    h = households["zhaxi"]
    assert (
        client.post(
            reverse("registry:reveal"), {"type": "household", "id": h.pk, "field": "phone"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("registry:reveal"), {"type": "x", "id": "1", "field": "phone"}).status_code == 400
    )


def _household_post(h, **changes):
    data = {
        "version": h.version,
        "village": h.village_id,
        "group_name": "",
        "attribute": h.attribute,
        "main_cause": h.main_cause,
        "cause2": h.cause2,
        "cause3": h.cause3,
        "housing_area": "",
        "housing_structure": "",
        "housing_year": "",
        "safe_water": "on",
        "electricity": "on",
    }
    data.update(changes)
    return data


def test_it_creates_a_household(county_client, cast, households):
    data = _household_post(households["zhaxi"], attribute="ordinary", main_cause="disaster", cause2="")
    data.pop("version")
    data.update(head_name="索南", head_id_number=NEW_HEAD_ID, head_sex="")
    response = county_client.post(reverse("registry:household_create"), data)
    assert response.status_code == 302
    created = Household.objects.order_by("-id").first()
    assert created.main_cause == "disaster" and response["Location"].endswith(f"/{created.pk}/")
    assert created.head_name == "索南" and created.member_count == 1


def test_it_shows_field_errors_under_the_fields(county_client, households):
    data = _household_post(households["zhaxi"], main_cause="", phone="12345", cause2="illness")
    data["main_cause"] = "illness"
    response = county_client.post(reverse("registry:household_edit", args=[households["zhaxi"].pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "致贫原因不能重复" in html
    data = _household_post(households["zhaxi"], phone="12345")
    html = county_client.post(
        reverse("registry:household_edit", args=[households["zhaxi"].pk]), data
    ).content.decode()
    assert 'class="form-row has-error"' in html and "12345" in html  # the service's phone message, input kept


def test_it_edits_a_household(county_client, households):
    h = households["zhaxi"]
    response = county_client.post(
        reverse("registry:household_edit", args=[h.pk]), _household_post(h, group_name="一社")
    )
    assert response.status_code == 302
    h.refresh_from_db()
    assert h.group_name == "一社" and h.version == 2
    assert h.phone_masked == "138****4321"  # left empty: unchanged


def test_it_refuses_a_stale_save_and_keeps_the_input(county_client, households):
    h = households["zhaxi"]
    url = reverse("registry:household_edit", args=[h.pk])
    assert county_client.post(url, _household_post(h, group_name="一社")).status_code == 302
    response = county_client.post(url, _household_post(h, group_name="我输入的二社"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "该记录已被他人修改,请刷新后重试" in html
    assert "我输入的二社" in html
    h.refresh_from_db()
    assert h.group_name == "一社"


def _member_post(**changes):
    data = {
        "name": "达杰",
        "id_number": "",
        "sex": "",
        "relation": "son",
        "ethnicity": "藏族",
        "education": "",
        "school_status": "none",
        "health": "healthy",
        "disability": "",
        "labour": "",
        "work_status": "none",
        "months_worked": "0",
        "medical_insurance": "on",
    }
    data.update(changes)
    return data


def test_it_adds_a_member_with_messages_in_chinese(county_client, households):
    h = households["zhaxi"]
    url = reverse("registry:member_add", args=[h.pk])
    html = county_client.post(url, _member_post(id_number="632524199001011234")).content.decode()
    assert "身份证号校验码不正确" in html and "达杰" in html
    good = make_id_number(area_code="632524", birth_date=datetime.date(2001, 2, 3), sequence=5, male=True)
    assert county_client.post(url, _member_post(id_number=good)).status_code == 302
    h.refresh_from_db()
    assert h.member_count == 3


def test_it_edits_a_member_and_refuses_a_stale_version(county_client, households):
    member = households["zhaxi"].members.get(name="卓玛")
    url = reverse("registry:member_edit", args=[member.pk])
    data = _member_post(
        name="卓玛", relation="spouse", version=member.version, months_worked="6", work_status="in_county"
    )
    assert county_client.post(url, data).status_code == 302
    html = county_client.post(url, data).content.decode()
    assert "该记录已被他人修改" in html


def test_it_records_an_income_and_computes_per_capita(county_client, households):
    h = households["zhaxi"]
    url = reverse("registry:income_record", args=[h.pk])
    data = {
        "year": 2020,
        "wages": "10000",
        "business": "0",
        "transfers": "1000",
        "property": "0",
        "production_costs": "0",
    }
    assert county_client.post(url, data).status_code == 302
    assert YearlyIncome.objects.get(household=h, year=2020).per_capita == 5500
    bad = {**data, "wages": "-5"}
    assert "has-error" in county_client.post(url, bad).content.decode()


def test_it_records_a_check_and_wants_a_reason_for_a_failure(county_client, households):
    h = households["zhaxi"]
    url = reverse("registry:check_record", args=[h.pk])
    data = {
        "year": 2020,
        **{item: "1" for item in ("food", "clothing", "education", "medical", "housing", "water")},
    }
    data["water"] = "0"
    html = county_client.post(url, data).content.decode()
    assert "未达标时请填写原因" in html
    data["water_reason"] = "水窖干涸"
    assert county_client.post(url, data).status_code == 302
    assert "水窖干涸" in county_client.get(reverse("registry:household_detail", args=[h.pk])).content.decode()


def test_it_runs_the_workflow_from_the_page(county_client, households):
    h = households["zhaxi"]
    url = reverse("registry:household_transition", args=[h.pk])
    response = county_client.post(url, {"action": "identify", "reason": "经评议识别"}, follow=True)
    h.refresh_from_db()
    assert h.status == "poor"
    # the county officer may not propose an exit (the village does)
    assert county_client.post(url, {"action": "propose_exit", "reason": "x"}).status_code == 403
    html = county_client.post(url, {"action": "return", "reason": "x"}, follow=True).content.decode()
    assert response.status_code == 200 and "message-error" in html


def test_it_shows_refusal_reasons_as_messages(client, cast, households):
    h = households["zhaxi"]
    client.force_login(cast["county"])
    client.post(
        reverse("registry:household_transition", args=[h.pk]), {"action": "identify", "reason": "识别"}
    )
    client.force_login(cast["cadre"])
    html = client.post(
        reverse("registry:household_transition", args=[h.pk]),
        {"action": "propose_exit", "reason": "申请脱贫", "year": "2019"},
        follow=True,
    ).content.decode()
    assert "住房安全有保障" in html  # the failed 2019 check is one of the reasons


def test_it_shows_the_menu_item_and_phone_tab(county_client):
    html = county_client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse(LIST)}"' in html
