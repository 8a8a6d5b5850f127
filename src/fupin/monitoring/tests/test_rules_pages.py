"""The rules page, the API and `fupin monitoring`: a county runs the rules over its area as a job (the
tests' queue runs it at once), reads the run's counts, checks data quality; others are refused."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from fupin.accounts.tokens import token_issue
from fupin.jobs.models import Job
from fupin.monitoring.models import Lead, MonitoringLine, MonitoringObject, QualityFinding, RiskRule, RuleRun
from fupin.registry import services as registry
from fupin.testing import JINGCHUAN, MINZU_VILLAGE, XINGHAI, person_id


def build(made):
    MonitoringLine.objects.create(year=2025, region_id="63", amount=8700)
    poor = registry.household_create(
        by=None, village_code=MINZU_VILLAGE, attribute="ordinary", main_cause="illness"
    )
    registry.member_add(by=None, household=poor, name="贫困户主", id_number=person_id(401), relation="head")
    registry.income_record(by=None, household=poor, year=2025, wages=5000)
    MonitoringObject.objects.create(household=poor, type="marginal", identified_on="2026-01-01")
    rich = registry.household_create(
        by=None, village_code=MINZU_VILLAGE, attribute="ordinary", main_cause="illness"
    )
    registry.member_add(
        by=None,
        household=rich,
        name="富裕户主",
        id_number=person_id(402),
        relation="head",
        work_status="in_county",
        months_worked=10,
    )
    registry.income_record(by=None, household=rich, year=2025, wages=50000)
    return {"poor": poor, "rich": rich}


WORLD_LAYERS = (build,)


@pytest.fixture(autouse=True)
def frozen(monkeypatch):
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 11, 20))


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def api(client, cast):
    def call(method, path, who="county", **data):
        _token, key = token_issue(user=cast[who], name="t")
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if method == "post":
            kwargs.update(data=data, content_type="application/json")
        return getattr(client, method)("/api/monitoring" + path, **kwargs)

    return call


def test_the_page_lists_rules_runs_and_findings(cast):
    page = browser(cast["county"]).get(reverse("monitoring:rules"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "人均纯收入(扣除合规自付支出)低于监测标准" in html and "&quot;low_income&quot;: 10000" in html
    assert 'action="/monitoring/rules/run/"' in html and "运行" in html and "数据质量检查" in html
    cadre = browser(cast["cadre"]).get(reverse("monitoring:rules")).content.decode()
    assert "预警规则" in cadre and 'action="/monitoring/rules/run/"' not in cadre


def test_the_county_runs_the_rules_from_the_page(cast):
    client = browser(cast["county"])
    answer = client.post(reverse("monitoring:rule_start"), {"area": XINGHAI, "period": "2026-11"})
    job = Job.objects.get()
    assert answer.status_code == 302 and answer.url == reverse("jobs:status", args=[job.pk])
    assert job.state == Job.State.DONE and job.owner == cast["county"]
    run = RuleRun.objects.get(pk=job.result["run"])
    assert run.by == cast["county"] and str(run.job_id) == str(job.pk)
    # The poor household is monitored already: fired, not written; the rich one does not fire.
    assert run.counts["income-below-line"] == {"fired": 1, "new": 0}
    assert not Lead.objects.exists()
    result = client.get(reverse("monitoring:rule_run", args=[run.pk]))
    assert result.status_code == 200 and "income-below-line" in result.content.decode()
    assert "运行完成(2026-11)" in client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert browser(cast["outsider"]).get(reverse("monitoring:rule_run", args=[run.pk])).status_code == 404
    listing = client.get(reverse("monitoring:rules")).content.decode()
    assert reverse("monitoring:rule_run", args=[run.pk]) in listing


def test_a_run_outside_the_scope_or_by_a_cadre_is_refused(cast):
    client = browser(cast["county"])
    answer = client.post(reverse("monitoring:rule_start"), {"area": JINGCHUAN, "period": "2026-11"})
    assert answer.status_code == 400 and "不在允许的范围内" in answer.content.decode()
    answer = client.post(reverse("monitoring:rule_start"), {"area": XINGHAI, "period": "2026-13"})
    assert answer.status_code == 400 and "YYYY-MM" in answer.content.decode()
    assert (
        browser(cast["cadre"]).post(reverse("monitoring:rule_start"), {"area": MINZU_VILLAGE}).status_code
        == 403
    )
    assert not Job.objects.exists() and not RuleRun.objects.exists()


def test_quality_checks_from_the_page(cast):
    client = browser(cast["county"])
    answer = client.post(reverse("monitoring:rule_quality"), {"county": XINGHAI})
    job = Job.objects.get()
    assert answer.status_code == 302 and job.state == Job.State.DONE
    # The monitored household has no 帮扶责任人 (and was identified long ago without a measure).
    assert job.result["findings"] == QualityFinding.objects.count() >= 1
    assert job.result["counts"]["no_pairing"] == 1
    assert (
        f"发现 {job.result['findings']} 个数据质量问题"
        in client.get(reverse("monitoring:rules")).content.decode()
    )


def test_the_api(api, cast):
    started = api("post", "/rules/runs", area=XINGHAI, period="2026-11", kinds=["income_below_line"])
    assert started.status_code == 202
    body = started.json()
    assert body["state"] == "done" and body["status_url"] == f"/api/jobs/{body['job_id']}"
    run = api("get", f"/rules/runs/{body['result']['run']}").json()
    assert run["area_code"] == XINGHAI and run["period"] == "2026-11" and run["by"]
    assert run["counts"] == [
        {
            "code": "income-below-line",
            "name": RiskRule.objects.get(code="income-below-line").name,
            "fired": 1,
            "new": 0,
        }
    ]
    assert api("get", f"/rules/runs/{run['id']}", who="outsider").status_code == 404
    assert api("post", "/rules/runs", area=XINGHAI, who="outsider").status_code == 404
    assert api("post", "/rules/runs", area=XINGHAI, who="cadre").status_code == 403
    refused = api("post", "/rules/runs", area="632524999", period="2026-11")
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "area"]
    assert api("post", "/rules/runs", area=XINGHAI, period="2026-13").status_code == 422
    checks = api("post", "/quality/checks", county=XINGHAI)
    assert checks.status_code == 202 and checks.json()["result"]["findings"] >= 1
    assert api("post", "/quality/checks", county=JINGCHUAN).status_code == 404
    assert api("post", "/quality/checks", county=XINGHAI, who="cadre").status_code == 403


def test_the_command(cast):
    out = io.StringIO()
    call_command("monitoring", "run", "--county", XINGHAI, "--period", "2026-11", stdout=out)
    text = out.getvalue()
    assert "运行预警规则" in text and "income-below-line\t1\t0" in text and "新增风险线索 0 条" in text
    out = io.StringIO()
    call_command(
        "monitoring", "run", "--county", XINGHAI, "--here", "--kind", "income_below_line", stdout=out
    )
    assert "[1/1]" in out.getvalue()
    out = io.StringIO()
    call_command("monitoring", "quality", "--county", XINGHAI, stdout=out)
    assert "数据质量问题" in out.getvalue()
    assert RuleRun.objects.count() == 2 and Job.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("monitoring", "run", "--county", "999999", stdout=io.StringIO())
