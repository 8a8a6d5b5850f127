"""The project workflow: each step by its role, each refusal with its Chinese reason, an event per step."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from fupin import testing
from fupin.accounts.roles import Role
from fupin.core.errors import TransitionRefused
from fupin.projects import ledger, workflow
from fupin.projects.models import ProjectEvent, Status
from fupin.projects.selectors import allocations_in_force
from fupin.projects.tests.factories import TODAY, make_project, make_source

EXPERTS = {"expert_names": "张工、李工", "expert_opinion": "方案可行", "expert_review_date": TODAY}


@pytest.fixture
def people(cast):
    township = testing.make_user("township", roles=[Role.TOWNSHIP_OFFICER], scopes=["632524203"])
    return {**cast, "township": township}


def step(project, action, by, **kw):
    return workflow.project_transition(by=by, project=project, action=action, on=TODAY, **kw)


def test_it_takes_a_village_project_through_the_whole_procedure(people):
    """村申报 → 乡镇审核 → 县级批准(专家评审) → 公示 → 实施 → 验收 → 竣工公告 → 绩效评价."""
    cadre, township, county = people["cadre"], people["township"], people["county"]
    source = make_source()
    project = make_project()
    step(project, "propose", cadre, reason="村民代表大会通过")
    step(project, "review", township, reason="符合规划")
    ledger.fund_allocate(by=county, source=source, project=project, amount=project.budget, date=TODAY)
    step(project, "approve", county, reason="同意", **EXPERTS)
    step(project, "publicise", county, publicity_days=7)
    later = TODAY + datetime.timedelta(days=7)
    workflow.project_transition(by=county, project=project, action="start", on=later)
    allocation = allocations_in_force(project)[0]["entry"]
    ledger.fund_disburse(by=county, allocation=allocation, amount=project.budget, date=later)
    step(project, "accept", county, reason="验收合格")
    step(project, "complete", county, announcement="项目已竣工,资金全部拨付")
    project = step(project, "evaluate", county, reason="达到绩效目标", score=92)
    assert project.status == Status.EVALUATED and project.evaluation_score == 92
    actions = list(project.events.values_list("action", "actor__username"))
    assert actions == [
        ("create", None),
        ("propose", "cadre"),
        ("review", "township"),
        ("approve", "county"),
        ("publicise", "county"),
        ("start", "county"),
        ("accept", "county"),
        ("complete", "county"),
        ("evaluate", "county"),
    ]
    assert project.expert_names == "张工、李工" and project.publicity_end == later


def test_it_refuses_approval_without_funds_covering_the_budget(people):
    project = make_project(budget="300000.00")
    step(project, "propose", people["cadre"])
    step(project, "review", people["township"])
    ledger.fund_allocate(by=None, source=make_source(), project=project, amount="100000", date=TODAY)
    with pytest.raises(TransitionRefused) as refused:
        step(project, "approve", people["county"], **EXPERTS)
    assert "资金来源未落实:已分配100,000.00元,资金规模300,000.00元,尚缺200,000.00元" in refused.value.reasons
    project.refresh_from_db()
    assert project.status == Status.REVIEWED


def test_it_refuses_approval_without_an_expert_review(people):
    source = make_source()
    project = make_project()
    step(project, "propose", people["cadre"])
    step(project, "review", people["township"])
    ledger.fund_allocate(by=None, source=source, project=project, amount=project.budget, date=TODAY)
    with pytest.raises(TransitionRefused) as refused:
        step(project, "approve", people["county"])
    assert {"请填写评审专家", "请填写专家评审意见", "请填写专家评审日期"} <= set(refused.value.reasons)


def test_it_refuses_a_proposal_missing_its_essentials(people):
    project = make_project(tasks="", benefit_mechanism="", budget="0")
    with pytest.raises(TransitionRefused) as refused:
        step(project, "propose", people["cadre"])
    assert {"请填写建设任务", "请填写利益联结机制", "请填写资金规模"} <= set(refused.value.reasons)


def test_each_step_belongs_to_its_role(people):
    project = make_project()
    for who in ("county", "township", "unitofficer"):
        with pytest.raises(PermissionDenied):
            step(project, "propose", people[who])
    step(project, "propose", people["cadre"])
    with pytest.raises(PermissionDenied):
        step(project, "review", people["cadre"])
    with pytest.raises(PermissionDenied):  # another county's officer: out of scope
        step(project, "reject", people["outsider"], reason="不符合")


def test_rejection_returns_the_project_with_its_reasons(people):
    project = make_project()
    step(project, "propose", people["cadre"])
    with pytest.raises(TransitionRefused) as refused:
        step(project, "reject", people["township"])
    assert refused.value.reasons == ["请填写意见/原因"]
    project = step(project, "reject", people["township"], reason="选址不当,请重新论证")
    assert project.status == Status.DRAFT
    event = project.events.last()
    assert (event.action, event.from_status, event.to_status, event.reason) == (
        ProjectEvent.Action.REJECT,
        Status.PROPOSED,
        Status.DRAFT,
        "选址不当,请重新论证",
    )


def test_it_refuses_a_step_out_of_order_and_work_before_publicity_ends(people):
    source = make_source()
    project = make_project()
    with pytest.raises(TransitionRefused) as refused:
        step(project, "approve", people["county"], **EXPERTS)
    assert refused.value.reasons == ["项目当前状态为“草稿”,不能县级批准"]
    step(project, "propose", people["cadre"])
    step(project, "review", people["township"])
    ledger.fund_allocate(by=None, source=source, project=project, amount=project.budget, date=TODAY)
    step(project, "approve", people["county"], **EXPERTS)
    step(project, "publicise", people["county"], publicity_days=7)
    with pytest.raises(TransitionRefused) as refused:
        step(project, "start", people["county"])
    assert "公示期满后才能开工" in refused.value.reasons[0]


def test_completion_needs_every_allocated_yuan_disbursed(people):
    source = make_source()
    project = make_project(status=Status.IN_PROGRESS)
    allocation = ledger.fund_allocate(by=None, source=source, project=project, amount="1000", date=TODAY)
    ledger.fund_disburse(by=None, allocation=allocation, amount="400", date=TODAY)
    step(project, "accept", people["county"], reason="合格")
    with pytest.raises(TransitionRefused) as refused:
        step(project, "complete", people["county"], announcement="竣工")
    assert "尚有600.00元已分配资金未拨付" in refused.value.reasons[0]


def test_it_lets_the_level_of_the_place_decide_who_proposes_and_reviews(people):
    """A township's own project: the township proposes, the county reviews; a county's project is
    the county's alone. The village cadre proposes neither."""
    cadre, township, county = people["cadre"], people["township"], people["county"]
    at_township = make_project(place="632524203")
    with pytest.raises(PermissionDenied):
        step(at_township, "propose", cadre)
    step(at_township, "propose", township, reason="乡镇项目")
    with pytest.raises(PermissionDenied):
        step(at_township, "review", township)
    assert step(at_township, "review", county, reason="县行业部门初审").status == Status.REVIEWED

    at_county = make_project(place=testing.XINGHAI)
    with pytest.raises(PermissionDenied):
        step(at_county, "propose", township)
    assert [s["action"] for s in workflow.available_steps(county, at_county)] == ["propose"]
    step(at_county, "propose", county, reason="县级项目库")
    step(at_county, "review", county, reason="初审通过")
    assert at_county.events.filter(action="review", actor=county).exists()
