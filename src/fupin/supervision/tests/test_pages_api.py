"""The pages and the API over the same services: an inspector records a finding with a photo on the
phone form, the village plans and submits, the county sends back then closes; the inspection's
failed item opens a finding in one step; the summary and the public count; the API's refusals
(4xx with reasons) and its steps; a task's progress report."""

import pytest
from django.urls import reverse

from fupin.accounts.tokens import token_issue
from fupin.supervision.choices import FindingState, TaskState
from fupin.supervision.models import Category, Finding
from fupin.supervision.tests.matrix import PNG, photo
from fupin.testing import MINZU_VILLAGE, XINGHAI

WORLD_LAYERS = ("supervision",)


def _api(client, user, method, path, **kwargs):
    _token, key = token_issue(user=user, name="t")
    return getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {key}", **kwargs)


def test_the_closed_loop_through_the_pages(client, world):
    client.force_login(world["inspector"])
    page = client.get(reverse("supervision:finding_new"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-offline="督查问题"' in html and 'capture="environment"' in html
    category = Category.objects.get(name="干部作风")
    answer = client.post(
        reverse("supervision:finding_new"),
        {
            "division": MINZU_VILLAGE,
            "category": category.pk,
            "severity": "serious",
            "description": "第一书记连续三天不在岗",
            "deadline": "2099-01-31",
            "responsible_unit": world["datang"].pk,
            "photos": [photo("camera.png")],
        },
    )
    finding = Finding.objects.get(description="第一书记连续三天不在岗")
    assert answer.status_code == 302 and answer["Location"] == finding.get_absolute_url()
    assert finding.photos.count() == 1

    # The village sees the plan form, not the verify forms; the inspector the other way round later.
    client.force_login(world["cadre"])
    detail = client.get(finding.get_absolute_url()).content.decode()
    assert reverse("supervision:finding_plan", args=[finding.pk]) in detail
    assert reverse("supervision:finding_close", args=[finding.pk]) not in detail
    client.post(reverse("supervision:finding_plan", args=[finding.pk]), {"version": 1, "plan": "调整人员"})
    # Submitting without an after photo is refused and says why.
    answer = client.post(
        reverse("supervision:finding_submit", args=[finding.pk]),
        {"version": 2, "result": "已整改"},
        follow=True,
    )
    assert "请上传整改后的照片" in answer.content.decode()
    client.post(
        reverse("supervision:finding_submit", args=[finding.pk]),
        {"version": 2, "result": "已整改", "after_photos": [photo("after.png")]},
    )
    finding.refresh_from_db()
    assert finding.state == FindingState.SUBMITTED

    client.force_login(world["county"])
    detail = client.get(finding.get_absolute_url()).content.decode()
    assert reverse("supervision:finding_close", args=[finding.pk]) in detail
    answer = client.post(
        reverse("supervision:finding_send_back", args=[finding.pk]),
        {"version": 3, "reasons": ""},
        follow=True,
    )
    assert "退回理由" in answer.content.decode()
    client.post(
        reverse("supervision:finding_send_back", args=[finding.pk]), {"version": 3, "reasons": "照片模糊"}
    )
    client.force_login(world["cadre"])
    client.post(
        reverse("supervision:finding_submit", args=[finding.pk]),
        {"version": 4, "result": "重新拍照", "after_photos": [photo("after2.png")]},
    )
    client.force_login(world["county"])
    client.post(reverse("supervision:finding_close", args=[finding.pk]), {"version": 5, "note": "属实"})
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED
    timeline = client.get(finding.get_absolute_url()).content.decode()
    for label in ("登记问题", "制定整改措施", "提交整改核验", "退回整改", "照片模糊", "核验销号"):
        assert label in timeline
    photo_row = finding.photos.first()
    answer = client.get(reverse("supervision:finding_photo", args=[photo_row.pk]))
    assert answer.status_code == 200 and b"".join(answer.streaming_content) == PNG


def test_a_refused_step_from_the_outbox_answers_409(client, world):
    client.force_login(world["cadre"])
    finding = world["sup_finding"]
    answer = client.post(
        reverse("supervision:finding_submit", args=[finding.pk]),
        {"version": finding.version, "result": "x"},
        HTTP_X_FUPIN_OUTBOX="1",
    )
    assert answer.status_code == 409
    assert "不能提交整改核验" in answer.content.decode()


def test_a_failed_item_opens_a_finding_in_one_step(client, world):
    client.force_login(world["inspector"])
    inspection = world["sup_inspection"]
    answer = client.post(
        reverse("supervision:inspection_check", args=[inspection.pk]),
        {
            "item": world["sup_checklist"].items.get(order=2).pk,
            "division": MINZU_VILLAGE,
            "result": "fail",
            "note": "帮扶手册缺三户记录",
            "open_finding": "on",
            "severity": "general",
            "deadline": "2099-06-30",
        },
    )
    finding = Finding.objects.get(description="帮扶手册缺三户记录")
    assert answer["Location"] == finding.get_absolute_url()
    assert (finding.inspection, finding.check_item.order, finding.category.name) == (
        inspection,
        2,
        "帮扶工作",
    )
    answer = client.post(
        reverse("supervision:inspection_check", args=[inspection.pk]),
        {"item": world["sup_item"].pk, "division": MINZU_VILLAGE, "result": "pass", "open_finding": "on"},
        follow=True,
    )
    assert "登记问题须填写整改时限" in answer.content.decode()


def test_lists_summary_and_the_public_count(client, world):
    client.force_login(world["county"])
    listed = client.get(reverse("supervision:finding_list") + "?state=submitted").content.decode()
    assert world["sup_submitted"].number in listed and world["sup_finding"].number not in listed
    summary = client.get(reverse("supervision:summary") + "?by=category").content.decode()
    assert "帮扶工作" in summary
    client.logout()
    public = client.get(reverse("supervision:public_counts", args=[XINGHAI]))
    assert public.status_code == 200
    html = public.content.decode()
    assert "唐乃亥乡" in html and "兴海县" in html
    for private in ("扎西", "大唐", "工作队员", world["sup_finding"].number, "民族村"):
        assert private not in html
    assert client.get(reverse("supervision:public_counts", args=["632524203"])).status_code == 404


def test_the_api_runs_the_steps_and_refuses_with_reasons(client, world):
    finding = world["sup_submitted"]
    url = f"/api/supervision/findings/{finding.pk}"
    answer = _api(
        client,
        world["county"],
        "post",
        f"{url}/send-back",
        data={"version": finding.version, "reasons": []},
        content_type="application/json",
    )
    assert answer.status_code == 422
    answer = _api(
        client,
        world["cadre"],
        "post",
        f"{url}/close",
        data={"version": finding.version},
        content_type="application/json",
    )
    assert answer.status_code == 403
    answer = _api(
        client, world["county"], "post", f"{url}/close", data={"version": 99}, content_type="application/json"
    )
    assert answer.status_code == 409
    answer = _api(
        client,
        world["county"],
        "post",
        f"{url}/plan",
        data={"version": finding.version, "plan": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 409
    assert answer.json()["reasons"] == ["该问题当前状态为“待核验”,不能制定整改措施"]
    answer = _api(
        client,
        world["county"],
        "post",
        f"{url}/close",
        data={"version": finding.version},
        content_type="application/json",
    )
    assert answer.status_code == 200
    assert answer.json()["state"] == "closed"
    assert [e["action"] for e in answer.json()["events"]][-1] == "closed"

    listed = _api(client, world["county"], "get", "/api/supervision/findings?state=closed").json()
    assert [i["number"] for i in listed["items"]] == [finding.number]
    refused = _api(client, world["county"], "get", "/api/supervision/findings?urgency=purple")
    assert refused.status_code == 422


def test_the_api_records_a_finding_and_names_bad_fields(client, world):
    category = Category.objects.get(name="档案资料")
    body = {
        "division_code": MINZU_VILLAGE,
        "category_id": category.pk,
        "description": "档案缺页",
        "deadline": "2099-01-01",
        "responsible_unit_id": world["jingchuan_unit"].pk,  # not the county's to name
    }
    answer = _api(client, world["inspector"], "post", "/api/supervision/findings", data=body)
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["loc"] == ["body", "responsible_unit_id"]
    body["responsible_unit_id"] = world["datang"].pk
    answer = _api(
        client, world["inspector"], "post", "/api/supervision/findings", data={**body, "photos": photo()}
    )
    assert answer.status_code == 201
    assert answer.json()["photos"] == {"evidence": 1}
    outside = _api(
        client,
        world["inspector"],
        "post",
        "/api/supervision/findings",
        data={**body, "division_code": "620821100206"},
    )
    assert outside.status_code == 403

    finding_id = answer.json()["id"]
    _api(
        client,
        world["cadre"],
        "post",
        f"/api/supervision/findings/{finding_id}/plan",
        data={"version": 1, "plan": "补齐"},
        content_type="application/json",
    )
    answer = _api(
        client,
        world["cadre"],
        "post",
        f"/api/supervision/findings/{finding_id}/submit",
        data={"version": 2, "result": "已补齐"},
    )
    assert answer.status_code == 422
    assert {e["loc"][-1] for e in answer.json()["errors"]} == {"after_photos"}
    answer = _api(
        client,
        world["cadre"],
        "post",
        f"/api/supervision/findings/{finding_id}/submit",
        data={"version": 2, "result": "已补齐", "after_photos": photo("after.png")},
    )
    assert answer.status_code == 200 and answer.json()["state"] == "submitted"


def test_a_task_reports_progress_to_completion(client, world):
    task = world["sup_task"]
    client.force_login(world["unitofficer"])
    client.post(
        reverse("supervision:task_report", args=[task.pk]),
        {"version": 1, "progress": 40, "note": "已轮训一期"},
    )
    task.refresh_from_db()
    assert (task.state, task.progress) == (TaskState.IN_PROGRESS, 40)
    answer = _api(
        client,
        world["unitofficer"],
        "post",
        f"/api/supervision/tasks/{task.pk}/report",
        data={"version": task.version, "progress": 100, "note": "全部完成"},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["state"] == "done"
    assert list(task.events.values_list("to_status", flat=True)) == ["not_started", "in_progress", "done"]
    again = _api(
        client,
        world["unitofficer"],
        "post",
        f"/api/supervision/tasks/{task.pk}/report",
        data={"version": task.version + 2, "progress": 100, "note": "再报"},
        content_type="application/json",
    )
    assert again.status_code == 409
    plan_page = client.get(reverse("supervision:plan_detail", args=[task.plan_id])).content.decode()
    assert "100.0" in plan_page
    for who in ("cadre", "outsider"):
        client.force_login(world[who])
        answer = client.post(
            reverse("supervision:task_report", args=[task.pk]), {"version": 3, "progress": 1, "note": "x"}
        )
        assert answer.status_code in (403, 404)


@pytest.mark.parametrize("who", ["county", "inspector", "cadre", "unitofficer"])
def test_each_page_opens_for_each_role(client, world, who):
    client.force_login(world[who])
    for name in (
        "supervision:home",
        "supervision:finding_list",
        "supervision:inspection_list",
        "supervision:summary",
    ):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(world["sup_finding"].get_absolute_url()).status_code == 200
    # An inspection is its area's: the village inspected does not see the county's 暗访 plan.
    inspection = client.get(reverse("supervision:inspection_detail", args=[world["sup_inspection"].pk]))
    assert inspection.status_code == (404 if who == "cadre" else 200)
    # So is a plan's task: the county's plan, its units' tasks.
    task = client.get(reverse("supervision:task_detail", args=[world["sup_task"].pk]))
    assert task.status_code == (404 if who == "cadre" else 200)


def test_the_county_breaks_a_plan_into_tasks_on_the_pages(client, world):
    from fupin.supervision.models import Plan

    client.force_login(world["county"])
    client.post(
        reverse("supervision:plan_new"),
        {"title": "整改计划", "area": XINGHAI, "start_year": 2026, "end_year": 2027, "soon_days": 5},
    )
    plan = Plan.objects.get(title="整改计划")
    assert client.get(reverse("supervision:goal_new", args=[plan.pk])).context["form"].initial["order"] == 1
    client.post(reverse("supervision:goal_new", args=[plan.pk]), {"order": 1, "title": "目标一"})
    goal = plan.goals.get()
    client.post(reverse("supervision:measure_new", args=[goal.pk]), {"order": 1, "title": "措施一"})
    measure = goal.measures.get()
    answer = client.post(
        reverse("supervision:task_new", args=[measure.pk]),
        {"order": 1, "title": "任务一", "lead_unit": world["datang"].pk, "deadline": "2026-12-31"},
    )
    assert answer.status_code == 302
    task = measure.tasks.get()
    assert (task.plan, task.lead_unit, task.soon_from.isoformat()) == (plan, world["datang"], "2026-12-26")
    page = client.get(reverse("supervision:plan_detail", args=[plan.pk])).content.decode()
    assert "任务一" in page and reverse("supervision:task_new", args=[measure.pk]) in page
    # The unit reads the plan but does not edit it.
    client.force_login(world["unitofficer"])
    assert client.get(reverse("supervision:goal_new", args=[plan.pk])).status_code == 403


def test_the_county_scores_a_unit_against_its_pledge(client, world):
    from decimal import Decimal

    from fupin.outcomes import services as outcomes
    from fupin.regions.models import Region
    from fupin.supervision import services

    datang = world["datang"]
    outcomes.target_set(by=None, unit=datang.pk, year=2024, bought="1000", sold="0")
    county = Region.objects.get(code=XINGHAI)
    assessment = services.assess_unit(by=world["county"], unit=datang, year=2024, county=county)
    items = {i.code: i for i in assessment.items.all()}
    assert len(items) == 6 and sum(i.max_points for i in items.values()) == 100
    # Nothing pledged and nothing done scores nothing; the pledge to buy, nothing bought, 0 as well.
    assert (items["bought"].target, items["bought"].actual, items["bought"].score) == (Decimal(1000), 0, 0)
    assert assessment.total == 0
    client.force_login(world["county"])
    url = reverse("supervision:assessment_score", args=[assessment.pk])
    answer = client.post(url, {"item": items["bought"].pk, "score": "10"}, follow=True)
    assert "调整得分须写明理由" in answer.content.decode()
    client.post(url, {"item": items["bought"].pk, "score": "10", "note": "已签采购合同,下月到货"})
    assessment.refresh_from_db()
    assert assessment.total == Decimal("10.0")
    client.post(
        reverse("supervision:assessment_finalize", args=[assessment.pk]), {"version": assessment.version}
    )
    assessment.refresh_from_db()
    assert assessment.state == "final"
    answer = client.post(url, {"item": items["bought"].pk, "score": "15", "note": "再改"}, follow=True)
    assert "已定稿" in answer.content.decode()
    # The unit reads its own assessment but does not score it.
    client.force_login(world["unitofficer"])
    assert client.get(reverse("supervision:assessment_detail", args=[assessment.pk])).status_code == 200
    assert client.get(reverse("supervision:assessment_new")).status_code == 403
