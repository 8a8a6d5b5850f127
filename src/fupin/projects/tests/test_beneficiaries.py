"""Correcting and removing a project's beneficiaries: pages, API, the refusal after the evaluation,
the history row a removal leaves, and the public 公示 count that follows it."""

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fupin import testing
from fupin.accounts.tokens import token_issue
from fupin.audit.models import AuditEvent
from fupin.core.errors import TransitionRefused
from fupin.projects import services
from fupin.projects.models import Beneficiary, ProjectEvent, Status
from fupin.projects.tests.factories import approve, make_project, make_source


def _project(made: dict) -> dict:
    project = make_project(name="兴海县饮水工程", category="housing_water", place=testing.XINGHAI)
    zhaxi = services.beneficiary_add(
        by=None, project=project, household=made["zhaxi"], benefit="通自来水", amount="800.00"
    )
    wang = services.beneficiary_add(by=None, project=project, household=made["wang"], benefit="通自来水")
    return {"project": project, "zhaxi_b": zhaxi, "wang_b": wang}


WORLD_LAYERS = ("households", _project)


def _evaluate(project):
    type(project)._base_manager.filter(pk=project.pk).update(status=Status.EVALUATED)
    project.refresh_from_db()


def api(client, user, method, url, body):
    _token, key = token_issue(user=user, name="t")
    send = getattr(client, method)
    return send(url, data=body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


# --- services -----------------------------------------------------------------------------------


def test_a_removal_deletes_the_row_and_keeps_an_event_naming_the_household(world):
    row = world["zhaxi_b"]
    services.beneficiary_remove(by=world["county"], beneficiary=row, reason="重复录入")
    assert not Beneficiary.objects.filter(pk=row.pk).exists()
    event = ProjectEvent.objects.get(project=world["project"], action=ProjectEvent.Action.REMOVE_BENEFICIARY)
    assert event.actor == world["county"]
    assert world["zhaxi"].head_name in event.reason and "重复录入" in event.reason
    assert event.from_status == event.to_status == Status.DRAFT
    audit = AuditEvent.objects.filter(action=AuditEvent.Action.DELETE, object_type="projects.beneficiary")
    assert audit.filter(object_id=str(row.pk)).exists()


def test_a_whole_village_removal_names_the_village(world):
    row = services.beneficiary_add(
        by=None, project=world["project"], village_code=testing.MINZU_VILLAGE, benefit="村集体分红"
    )
    services.beneficiary_remove(by=world["county"], beneficiary=row, reason="改为到户")
    event = ProjectEvent.objects.get(action=ProjectEvent.Action.REMOVE_BENEFICIARY)
    assert event.reason.startswith("受益村 民族村")


def test_a_correction_changes_the_benefit_and_is_audited(world):
    row = services.beneficiary_update(
        by=world["county"], beneficiary=world["zhaxi_b"], benefit="通自来水并入户改造", amount="1,200.5"
    )
    row.refresh_from_db()
    assert row.benefit == "通自来水并入户改造" and row.amount == Decimal("1200.50")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.UPDATE, object_type="projects.beneficiary", object_id=str(row.pk)
    ).exists()
    services.beneficiary_update(by=world["county"], beneficiary=row, amount=None)
    row.refresh_from_db()
    assert row.amount is None and row.benefit == "通自来水并入户改造"


def test_both_are_refused_once_the_project_is_evaluated(world):
    _evaluate(world["project"])
    with pytest.raises(TransitionRefused) as refused:
        services.beneficiary_remove(by=world["county"], beneficiary=world["zhaxi_b"], reason="重复录入")
    assert "已完成绩效评价" in str(refused.value)
    with pytest.raises(TransitionRefused):
        services.beneficiary_update(by=world["county"], beneficiary=world["zhaxi_b"], benefit="改")
    assert Beneficiary.objects.filter(pk=world["zhaxi_b"].pk, benefit="通自来水").exists()
    assert not ProjectEvent.objects.filter(action=ProjectEvent.Action.REMOVE_BENEFICIARY).exists()


def test_a_removal_needs_a_reason_and_a_correction_a_benefit(world):
    with pytest.raises(ValidationError) as error:
        services.beneficiary_remove(by=world["county"], beneficiary=world["zhaxi_b"], reason="  ")
    assert error.value.message_dict == {"reason": ["请填写删除原因"]}
    with pytest.raises(ValidationError) as error:
        services.beneficiary_update(by=world["county"], beneficiary=world["zhaxi_b"], benefit="", amount="-1")
    assert set(error.value.message_dict) == {"benefit", "amount"}
    assert Beneficiary.objects.filter(pk=world["zhaxi_b"].pk).exists()


def test_the_outsider_and_the_unit_officer_may_not(world):
    for who in ("outsider", "unitofficer"):
        with pytest.raises(PermissionDenied):
            services.beneficiary_remove(by=world[who], beneficiary=world["zhaxi_b"], reason="越权")
        with pytest.raises(PermissionDenied):
            services.beneficiary_update(by=world[who], beneficiary=world["zhaxi_b"], benefit="越权")
    assert Beneficiary.objects.filter(pk=world["zhaxi_b"].pk, benefit="通自来水").exists()


# --- pages --------------------------------------------------------------------------------------


def _remove_url(world, row):
    return reverse("projects:beneficiary_remove", args=[world["project"].pk, row.pk])


def test_the_detail_page_offers_edit_and_remove_until_the_evaluation(client, world):
    project = world["project"]
    client.force_login(world["county"])
    html = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert _remove_url(world, world["zhaxi_b"]) in html and "data-confirm" in html
    assert reverse("projects:beneficiary_edit", args=[project.pk, world["zhaxi_b"].pk]) in html
    _evaluate(project)
    html = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert _remove_url(world, world["zhaxi_b"]) not in html


def test_removing_on_the_page_shows_in_the_history(client, world):
    client.force_login(world["county"])
    answer = client.post(_remove_url(world, world["zhaxi_b"]), {"reason": "已迁出本村"}, follow=True)
    html = answer.content.decode()
    assert "删除受益对象" in html and "已迁出本村" in html
    assert not Beneficiary.objects.filter(pk=world["zhaxi_b"].pk).exists()


def test_a_removal_without_a_reason_says_so_and_keeps_the_row(client, world):
    client.force_login(world["county"])
    answer = client.post(_remove_url(world, world["zhaxi_b"]), {"reason": ""}, follow=True)
    assert "请填写删除原因" in answer.content.decode()
    assert Beneficiary.objects.filter(pk=world["zhaxi_b"].pk).exists()


def test_a_removal_after_the_evaluation_is_refused_on_the_page(client, world):
    _evaluate(world["project"])
    client.force_login(world["county"])
    answer = client.post(_remove_url(world, world["zhaxi_b"]), {"reason": "重复录入"}, follow=True)
    assert "已完成绩效评价" in answer.content.decode()
    assert Beneficiary.objects.filter(pk=world["zhaxi_b"].pk).exists()


def test_the_edit_page_saves_and_shows_field_errors(client, world):
    url = reverse("projects:beneficiary_edit", args=[world["project"].pk, world["zhaxi_b"].pk])
    client.force_login(world["county"])
    page = client.get(url).content.decode()
    assert "通自来水" in page and world["zhaxi"].head_name in page
    bad = client.post(url, {"benefit": "", "amount": "12.345"})
    assert bad.status_code == 200 and Beneficiary.objects.get(pk=world["zhaxi_b"].pk).amount == Decimal("800")
    good = client.post(url, {"benefit": "通自来水及水表", "amount": "900"})
    assert good.status_code == 302
    assert Beneficiary.objects.get(pk=world["zhaxi_b"].pk).benefit == "通自来水及水表"


def test_the_outsider_gets_404_on_the_pages(client, world):
    client.force_login(world["outsider"])
    assert client.post(_remove_url(world, world["zhaxi_b"]), {"reason": "越权"}).status_code == 404
    edit = reverse("projects:beneficiary_edit", args=[world["project"].pk, world["zhaxi_b"].pk])
    assert client.get(edit).status_code == 404
    assert Beneficiary.objects.filter(pk=world["zhaxi_b"].pk).exists()


def test_a_beneficiary_of_another_project_is_404_under_this_one(client, world):
    other = make_project(name="另一个项目")
    client.force_login(world["county"])
    url = reverse("projects:beneficiary_remove", args=[other.pk, world["zhaxi_b"].pk])
    assert client.post(url, {"reason": "错配"}).status_code == 404


# --- API ----------------------------------------------------------------------------------------


def _api_url(world, row, suffix=""):
    return f"/api/projects/projects/{world['project'].pk}/beneficiaries/{row.pk}{suffix}"


def test_the_api_corrects_and_removes(client, world):
    row = world["zhaxi_b"]
    answer = api(client, world["county"], "patch", _api_url(world, row), {"amount": "950.00"})
    assert answer.status_code == 200, answer.content
    assert answer.json()["amount"] == "950.00" and answer.json()["benefit"] == "通自来水"
    removed = api(client, world["county"], "post", _api_url(world, row, "/remove"), {"reason": "重复录入"})
    assert removed.status_code == 204
    assert not Beneficiary.objects.filter(pk=row.pk).exists()
    events = api(client, world["county"], "get", f"/api/projects/projects/{world['project'].pk}/events", None)
    assert any(e["action"] == "remove_benef" and "重复录入" in e["reason"] for e in events.json())


def test_the_api_answers_409_after_the_evaluation_and_422_per_field(client, world):
    row = world["zhaxi_b"]
    blank = api(client, world["county"], "post", _api_url(world, row, "/remove"), {"reason": "   "})
    assert blank.status_code == 422
    assert blank.json()["errors"][0]["loc"] == ["body", "reason"]
    assert "请填写删除原因" in blank.json()["errors"][0]["msg"]
    bad = api(client, world["county"], "patch", _api_url(world, row), {"amount": "1.234"})
    assert bad.status_code == 422
    _evaluate(world["project"])
    refused = api(client, world["county"], "post", _api_url(world, row, "/remove"), {"reason": "重复录入"})
    assert refused.status_code == 409 and "已完成绩效评价" in refused.json()["detail"]
    patched = api(client, world["county"], "patch", _api_url(world, row), {"benefit": "改"})
    assert patched.status_code == 409
    assert Beneficiary.objects.filter(pk=row.pk, benefit="通自来水").exists()


def test_the_api_is_404_for_the_outsider(client, world):
    row = world["zhaxi_b"]
    assert (
        api(client, world["outsider"], "post", _api_url(world, row, "/remove"), {"reason": "x"}).status_code
        == 404
    )
    assert api(client, world["outsider"], "patch", _api_url(world, row), {"benefit": "x"}).status_code == 404
    assert Beneficiary.objects.filter(pk=row.pk, benefit="通自来水").exists()


# --- 公示 ---------------------------------------------------------------------------------------


def _public_households(client, name: str) -> int:
    """The beneficiary household count on the project's card of the county's 公示 page."""
    html = client.get(reverse("projects:public_place", args=[testing.XINGHAI])).content.decode()
    card = re.search(
        r'<article class="card public-project">(?:(?!</article>).)*?' + re.escape(name) + r".*?</article>",
        html,
        re.S,
    )
    assert card, html
    return int(re.search(r"受益户 (\d+) 户", card.group(0)).group(1))


def test_the_public_count_drops_after_a_removal(client, world):
    approve(world["project"], make_source())
    assert _public_households(client, "兴海县饮水工程") == 2
    services.beneficiary_remove(by=world["county"], beneficiary=world["wang_b"], reason="不符合条件")
    assert _public_households(client, "兴海县饮水工程") == 1
