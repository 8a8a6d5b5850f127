"""Records of 兴海县's world for the projects tests, made through the services (by=None: the system)."""

import datetime
from decimal import Decimal

from fupin import testing
from fupin.projects import ledger, services, workflow
from fupin.projects.models import FundSource, Project, Status

TODAY = datetime.date(2024, 5, 6)


def make_source(
    *,
    name="2024年兴海县中央衔接资金",
    kind=FundSource.Kind.CENTRAL,
    place=testing.XINGHAI,
    unit=None,
    budget="1000000.00",
    year=2024,
):
    source = services.source_create(
        by=None, name=name, kind=kind, year=year, place_code=place or "", unit_id=unit.pk if unit else None
    )
    if budget:
        ledger.fund_budget(by=None, source=source, amount=budget, date=TODAY)
    return source


def make_project(*, place=testing.MINZU_VILLAGE, unit=None, budget="300000.00", status=None, **fields):
    """A complete draft (ready to propose); `status` forces a later state for ledger tests."""
    values = {
        "name": "民族村牦牛养殖合作社",
        "category": "industry",
        "nature": "new",
        "year": 2024,
        "start_date": datetime.date(2024, 6, 1),
        "end_date": datetime.date(2024, 11, 30),
        "unit_id": unit.pk if unit else None,
        "tasks": "新建标准化牛棚2座",
        "budget": budget,
        "beneficiaries_text": "民族村建档立卡户",
        "target_households": 2,
        "performance_targets": "带动建档立卡户户均增收2000元",
        "benefit_mechanism": "合作社收益的40%按股分红给受益户",
        **fields,
    }
    project = services.project_create(by=None, place_code=place, **values)
    if status:
        Project._base_manager.filter(pk=project.pk).update(status=status)
        project.refresh_from_db()
    return project


def approve(project, source, *, by=None):
    """propose → review → (allocate the budget) → approve, by the system."""
    workflow.project_transition(by=by, project=project, action="propose", on=TODAY)
    workflow.project_transition(by=by, project=project, action="review", on=TODAY)
    ledger.fund_allocate(by=by, source=source, project=project, amount=project.budget, date=TODAY)
    return workflow.project_transition(
        by=by,
        project=project,
        action="approve",
        on=TODAY,
        expert_names="张工、李工",
        expert_opinion="方案可行",
        expert_review_date=TODAY,
    )


IN_PROGRESS = Status.IN_PROGRESS
ZERO = Decimal("0.00")
