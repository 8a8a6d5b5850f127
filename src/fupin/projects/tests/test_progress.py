"""Where a project stands (issue 10): the nine steps, the current one, who acts next and by when."""

import datetime
import re

from django.urls import reverse

from fupin import testing
from fupin.projects import workflow
from fupin.projects.tests.factories import TODAY, approve, make_project, make_source


def current(html: str) -> str:
    """The status of the step the page marks as current."""
    return re.search(r'data-status="(\w+)" aria-current="step"', html).group(1)


def test_it_names_who_acts_next_at_each_level(cast):
    village = make_project()
    assert workflow.progress(village)["waiting"] == "待村级申报"
    workflow.project_transition(by=None, project=village, action="propose", on=TODAY)
    village.refresh_from_db()
    state = workflow.progress(village, today=TODAY)
    assert [s["state"] for s in state["steps"]] == ["done", "current"] + ["todo"] * 7
    assert state["waiting"] == "待乡镇审核"
    assert state["deadline"]["label"] == "计划开工日期 2024-06-01" and not state["deadline"]["late"]
    assert workflow.progress(village, today=datetime.date(2024, 6, 2))["deadline"]["late"]

    township = make_project(name="唐乃亥乡道路硬化", place="632524203")
    workflow.project_transition(by=None, project=township, action="propose", on=TODAY)
    township.refresh_from_db()
    assert workflow.progress(township)["waiting"] == "待县级审核"


def test_the_publicity_period_is_the_deadline_while_it_runs(cast):
    project = approve(make_project(), make_source())
    workflow.project_transition(by=None, project=project, action="publicise", on=TODAY, publicity_days=7)
    project.refresh_from_db()
    state = workflow.progress(project, today=TODAY)
    assert state["current"]["label"] == "已公示" and state["current"]["number"] == 5
    assert state["deadline"]["label"] == "公示期至 2024-05-13"
    after = workflow.progress(project, today=datetime.date(2024, 5, 14))["deadline"]
    assert after["passed"] and not after["late"], "a 公示期 that ran out means work may start"


def test_a_rejected_project_shows_why(cast):
    project = make_project()
    workflow.project_transition(by=None, project=project, action="propose", on=TODAY)
    workflow.project_transition(by=None, project=project, action="reject", reason="选址不当,请重新论证")
    project.refresh_from_db()
    state = workflow.progress(project)
    assert state["current"]["status"] == "draft" and state["returned"] == "选址不当,请重新论证"


def test_the_project_page_shows_the_stepper(client, cast):
    project = make_project()
    workflow.project_transition(by=None, project=project, action="propose", on=TODAY)
    client.force_login(cast["county"])
    html = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert html.count('class="step step-') == 9
    assert current(html) == "proposed"
    assert "第 2 步 / 共 9 步:村级已申报" in html and "待乡镇审核" in html
    assert testing.MINZU_VILLAGE in html
