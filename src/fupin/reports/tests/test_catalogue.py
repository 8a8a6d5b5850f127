"""The indicator catalogue (page, export, API), the figure API, the refresh (page, API, command)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from fupin.accounts.tokens import token_issue
from fupin.core.indicators import SUM
from fupin.jobs.models import Job
from fupin.reports import selectors, services
from fupin.reports.models import Indicator, RefreshRun
from fupin.testing import MINZU_VILLAGE, XINGHAI, xlsx_rows

WORLD_LAYERS = ("households",)


def _sum_code() -> str:
    services.sync_catalogue()
    return next(r.code for r in selectors.indicators() if selectors.declaration(r.code).kind == SUM)


def _api(client, user, method, url, **kwargs):
    _token, key = token_issue(user=user, name="t")
    return getattr(client, method)(url, HTTP_AUTHORIZATION=f"Bearer {key}", **kwargs)


def test_catalogue_page_and_export(client, cast):
    services.refresh()
    row = Indicator.objects.filter(declared=True).first()
    assert row is not None
    client.force_login(cast["cadre"])
    page = client.get(reverse("reports:indicator_list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert row.name in text and row.code in text
    assert "刷新汇总" not in text  # a village cadre may not refresh
    rows = xlsx_rows(client.get(reverse("reports:indicator_export")))
    assert rows[0][:2] == ["指标代码", "指标名称"]
    assert [r[0] for r in rows[1:]].count(row.code) == 1
    client.force_login(cast["county"])
    assert "刷新汇总" in client.get(reverse("reports:indicator_list")).content.decode()
    filtered = client.get(reverse("reports:indicator_list"), {"q": row.code})
    assert row.code in filtered.content.decode()


def test_permissions_by_role(cast):
    for admin in ("sysadmin", "secadmin", "auditadmin"):
        assert not cast[admin].has_perm("reports.view_dashboard")
        assert not cast[admin].has_perm("reports.view_indicator")
    for who in ("county", "cadre", "outsider", "unitofficer"):
        assert cast[who].has_perm("reports.view_dashboard")
    assert cast["county"].has_perm("reports.refresh_rollup")
    assert not cast["cadre"].has_perm("reports.refresh_rollup")
    assert not cast["unitofficer"].has_perm("reports.refresh_rollup")


def test_refresh_page_starts_a_job(client, cast):
    client.force_login(cast["county"])
    url = reverse("reports:refresh_rollup")
    assert client.get(url).status_code == 200
    answer = client.post(url, {"indicator": _sum_code()})
    job = Job.objects.get(owner=cast["county"], kind="reports.refresh")
    assert answer.status_code == 302 and answer["Location"] == reverse("jobs:status", args=[job.pk])
    assert job.state == Job.State.DONE and job.result["indicators"] == 1
    status = client.get(answer["Location"])
    assert status.status_code == 200 and "刷新统计汇总" in status.content.decode()
    client.force_login(cast["cadre"])
    assert client.get(url).status_code == 403
    assert client.post(url, {}).status_code == 403


def test_api_catalogue_and_figures(client, cast):
    code = _sum_code()
    services.refresh()
    county, outsider = cast["county"], cast["outsider"]
    listed = _api(client, county, "get", "/api/reports/indicators").json()
    assert code in [item["code"] for item in listed]
    answer = _api(client, county, "get", f"/api/reports/figures/{code}", data={"division": XINGHAI})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["division"] == XINGHAI
    assert [p["code"] for p in body["breakdown"]] == ["632524101", "632524203"]
    assert _api(client, county, "get", "/api/reports/figures/nope.nothing").status_code == 404
    refused = _api(client, outsider, "get", f"/api/reports/figures/{code}", data={"division": XINGHAI})
    assert refused.status_code == 422 and "数据范围" in refused.json()["detail"]
    bad = _api(client, county, "get", f"/api/reports/figures/{code}", data={"division": "12a"})
    assert bad.status_code == 422
    bad = _api(client, county, "get", f"/api/reports/figures/{code}", data={"period": "2026-13"})
    assert bad.status_code == 422
    village = _api(client, county, "get", f"/api/reports/figures/{code}", data={"division": MINZU_VILLAGE})
    assert village.json()["breakdown"] == []
    assert _api(client, cast["sysadmin"], "get", f"/api/reports/figures/{code}").status_code == 403


def test_api_refresh(client, cast):
    code = _sum_code()
    county = cast["county"]
    answer = _api(
        client,
        county,
        "post",
        "/api/reports/refresh",
        data={"division": XINGHAI},
        content_type="application/json",
    )
    assert answer.status_code == 202, answer.content
    job = Job.objects.get(pk=answer.json()["job_id"])
    assert job.owner == county and job.state == Job.State.DONE
    assert not RefreshRun.objects.first().full
    assert (
        _api(
            client,
            cast["outsider"],
            "post",
            "/api/reports/refresh",
            data={"division": XINGHAI},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert (
        _api(
            client,
            county,
            "post",
            "/api/reports/refresh",
            data={"indicator": "x.y"},
            content_type="application/json",
        ).status_code
        == 422
    )
    assert _api(client, cast["cadre"], "post", "/api/reports/refresh", data={"indicator": code}, content_type="application/json").status_code == 403  # fmt: skip


def test_area_refresh_rewrites_only_the_area(cast):
    from fupin.reports.models import Rollup

    services.refresh()
    before = set(Rollup.objects.values_list("indicator", "category", "period", "code", "value"))
    Rollup.objects.filter(county=XINGHAI).update(value=999)
    Rollup.objects.exclude(county=XINGHAI).update(value=777)
    services.refresh(area=XINGHAI)
    after = set(Rollup.objects.values_list("indicator", "category", "period", "code", "value"))
    assert {r for r in after if r[3].startswith(XINGHAI)} == {r for r in before if r[3].startswith(XINGHAI)}
    assert all(r[4] == 777 for r in after if not r[3].startswith(XINGHAI))


def test_command(cast):
    out = io.StringIO()
    call_command("reports", "refresh", "--full", "--here", stdout=out)
    assert "已刷新" in out.getvalue()
    out = io.StringIO()
    call_command("reports", "refresh", stdout=out)
    assert "没有待刷新的区划" in out.getvalue()
    out = io.StringIO()
    call_command("reports", "refresh", "--indicator", _sum_code(), stdout=out)  # queued and followed
    assert "已刷新 1 个指标" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("reports", "refresh", "--indicator", "no.such", stdout=io.StringIO())


def test_periodic_tasks(cast):
    from fupin.reports import tasks
    from fupin.reports.models import DirtyCode

    tasks.nightly_refresh.call_local()
    assert RefreshRun.objects.first().full
    DirtyCode.objects.create(code=MINZU_VILLAGE, source="registry.Household")
    tasks.drain_dirty.call_local()
    assert not DirtyCode.objects.exists()
    assert not RefreshRun.objects.first().full


def test_read_code_along_a_path(cast):
    from fupin.registry.models import Household
    from fupin.reports.apps import read_code

    household = Household.objects.filter(village_id=MINZU_VILLAGE).first()
    member = household.members.first()
    assert read_code(household, "village_id") == MINZU_VILLAGE
    assert read_code(household, "village__code") == MINZU_VILLAGE
    assert read_code(member, "household__village_id") == MINZU_VILLAGE
    assert read_code(member, "household__village__code") == MINZU_VILLAGE
    assert read_code(member, "nothing__here") is None
