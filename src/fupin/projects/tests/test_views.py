"""The projects pages: the library, the forms, the workflow buttons, figures traced to the ledger, exports."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from fupin import testing
from fupin.audit.models import AuditEvent
from fupin.projects import ledger
from fupin.projects.models import LedgerEntry, Project, Status
from fupin.projects.tests.factories import TODAY, make_project, make_source
from fupin.testing import xlsx_rows


@pytest.fixture
def funded(cast):
    source = make_source()
    project = make_project(unit=cast["datang"], status=Status.IN_PROGRESS)
    allocation = ledger.fund_allocate(by=None, source=source, project=project, amount="300000", date=TODAY)
    ledger.fund_disburse(by=None, allocation=allocation, amount="120000.50", date=TODAY)
    ledger.fund_disburse(by=None, allocation=allocation, amount="30000", date=TODAY)
    return {**cast, "source": source, "project": project, "allocation": allocation}


def figure(html: str, key: str) -> str | None:
    """The ledger page's total `key` (budget, allocation, disbursement, unallocated, undisbursed)."""
    found = re.search(rf'data-figure="{key}"><dt>[^<]*</dt><dd>([^<]*)</dd>', html)
    return found.group(1).strip() if found else None


def form_data(**overrides):
    data = {
        "name": "民族村村级光伏电站",
        "category": "industry",
        "nature": "new",
        "place": testing.MINZU_VILLAGE,
        "year": "2024",
        "start_date": "2024-06-01",
        "end_date": "2024-12-31",
        "budget": "500000.00",
        "tasks": "建设100千瓦光伏电站",
        "target_households": "30",
        "performance_targets": "年发电收益不少于8万元",
        "benefit_mechanism": "收益的60%用于公益岗位",
    }
    return {**data, **overrides}


def test_it_lists_the_library_with_money_linked_to_the_ledger(client, funded):
    client.force_login(funded["county"])
    html = client.get(reverse("projects:project_list")).content.decode()
    assert "民族村牦牛养殖合作社" in html and "大唐青海能源开发有限公司" in html
    link = f"{reverse('projects:entry_list')}?project={funded['project'].pk}&amp;kind=disbursement"
    assert f'<a href="{link}">150,000.50</a>' in html
    # The figure's link leads to exactly the entries that add up to it.
    ledger = client.get(link.replace("&amp;", "&"))
    assert figure(ledger.content.decode(), "disbursement") == "150,000.50 元"
    assert ledger.context["page"].count == 2


def test_the_cadre_adds_a_project_through_the_form(client, cast):
    client.force_login(cast["cadre"])
    assert client.get(reverse("projects:project_create")).status_code == 200
    answer = client.post(reverse("projects:project_create"), form_data())
    project = Project.objects.get(name="民族村村级光伏电站")
    assert answer.status_code == 302 and project.place_id == testing.MINZU_VILLAGE
    assert project.budget == Decimal("500000.00") and project.status == Status.DRAFT
    assert AuditEvent.objects.filter(object_type="projects.project", action="create").exists()


def test_the_form_keeps_input_and_says_what_is_wrong(client, cast):
    client.force_login(cast["cadre"])
    answer = client.post(
        reverse("projects:project_create"), form_data(name="", budget="12.345", end_date="2024-01-01")
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "这个字段是必填项" in html or "此项为必填项" in html
    assert "村级光伏" not in html or "建设100千瓦光伏电站" in html  # typed input kept
    assert not Project.objects.exists()


def test_a_stale_edit_is_refused_with_a_message(client, cast):
    project = make_project()
    client.force_login(cast["cadre"])
    url = reverse("projects:project_edit", args=[project.pk])
    client.post(url, form_data(version=str(project.version), name="第一次修改"))
    answer = client.post(url, form_data(version=str(project.version), name="第二次修改"))
    assert "该记录已被他人修改" in answer.content.decode()
    project.refresh_from_db()
    assert project.name == "第一次修改"


def test_the_workflow_buttons_follow_the_role(client, cast):
    project = make_project()
    client.force_login(cast["cadre"])
    html = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert 'data-action="propose"' in html
    client.post(
        reverse("projects:project_transition", args=[project.pk]), {"action": "propose", "reason": "申报"}
    )
    project.refresh_from_db()
    assert project.status == Status.PROPOSED
    client.force_login(cast["county"])  # the county does not review: that is the township's step
    html = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert 'data-action="review"' not in html
    assert (
        client.post(
            reverse("projects:project_transition", args=[project.pk]), {"action": "review"}
        ).status_code
        == 403
    )


def test_a_refused_step_shows_its_reasons(client, cast):
    project = make_project(tasks="")
    client.force_login(cast["cadre"])
    answer = client.post(
        reverse("projects:project_transition", args=[project.pk]), {"action": "propose"}, follow=True
    )
    assert "请填写建设任务" in answer.content.decode()


def test_the_county_allocates_and_disburses_on_the_project_page(client, cast):
    source = make_source()
    project = make_project(status=Status.IN_PROGRESS)
    client.force_login(cast["county"])
    client.post(
        reverse("projects:allocate", args=[project.pk]),
        {"source": source.pk, "amount": "1000.00", "date": "2024-05-06"},
    )
    allocation = project.entries.get(kind="allocation")
    answer = client.post(
        reverse("projects:disburse", args=[allocation.pk]),
        {"amount": "1000.01", "date": "2024-05-06"},
        follow=True,
    )
    assert "剩余可拨付1,000.00元" in answer.content.decode()
    client.post(
        reverse("projects:disburse", args=[allocation.pk]), {"amount": "999.99", "date": "2024-05-06"}
    )
    html = client.get(reverse("projects:project_detail", args=[project.pk])).content.decode()
    assert re.search(r"999\.99</a>", html)


def test_the_village_cadre_cannot_touch_money(client, funded):
    client.force_login(funded["cadre"])
    answer = client.post(
        reverse("projects:disburse", args=[funded["allocation"].pk]), {"amount": "1.00", "date": "2024-05-06"}
    )
    assert answer.status_code == 403


def test_an_entry_is_reversed_from_the_ledger_with_a_reason(client, funded):
    client.force_login(funded["county"])
    payment = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.DISBURSEMENT).latest("id")
    url = reverse("projects:reverse", args=[payment.pk])
    assert url in client.get(reverse("projects:entry_list")).content.decode()
    assert "30,000.00" in client.get(url).content.decode()  # the page names the entry it corrects
    assert client.post(url, {"reason": ""}).status_code == 200  # a reason is required
    assert client.post(url, {"reason": "重复拨付"}).status_code == 302
    assert LedgerEntry.objects.filter(reverses=payment).exists()
    # The allocation still has money paid out of it: refused, with the reason on the page.
    refused = client.post(reverse("projects:reverse", args=[funded["allocation"].pk]), {"reason": "录错"})
    assert (
        refused.status_code == 200 and not LedgerEntry.objects.filter(reverses=funded["allocation"]).exists()
    )

    client.force_login(funded["cadre"])
    assert client.get(url).status_code == 403


def test_exports_are_formula_escaped_and_audited(client, funded):
    Project.objects.filter(pk=funded["project"].pk).update(name="=HYPERLINK(1)")
    client.force_login(funded["county"])
    for name in (
        "projects:project_export",
        "projects:source_export",
        "projects:entry_export",
        "projects:summary_export",
    ):
        answer = client.get(reverse(name))
        assert answer.status_code == 200
        data = b"".join(answer.streaming_content)
        book = openpyxl.load_workbook(io.BytesIO(data))
        cells = [c for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
        # Text that Excel would run keeps its value and is marked as text (Excel's quote prefix).
        assert all(c.quotePrefix for c in cells if c.value.startswith("=")), name
        assert not any(c.data_type == "f" for row in book.active.iter_rows() for c in row), name
    assert AuditEvent.objects.filter(action="export", object_type__startswith="projects.").count() == 4
    # Money is a number Excel and WPS can add up, never text.
    rows = xlsx_rows(client.get(reverse("projects:project_export")))
    budget = rows[0].index("资金规模(元)")
    assert rows[1][budget] == 300000.0 and rows[1][budget + 2] == 150000.5


def test_the_summary_shows_wan_yuan_per_category(client, funded):
    client.force_login(funded["county"])
    html = client.get(reverse("projects:summary_list")).content.decode()
    assert "产业" in html and "30.00万元" in html
    # The category's allocated figure links to the entries that make it up.
    link = re.search(r'href="([^"]*kind=allocation&amp;category=industry)">30.00万元', html).group(1)
    assert figure(client.get(link.replace("&amp;", "&")).content.decode(), "allocation") == "300,000.00 元"


def test_the_menu_opens_the_library_and_only_drafting_roles_may_add(client, cast):
    client.force_login(cast["cadre"])
    assert reverse("projects:project_list") in client.get(reverse("core:home")).content.decode()
    assert reverse("projects:project_create") in client.get(reverse("projects:project_list")).content.decode()
    client.force_login(cast["unitofficer"])
    assert (
        reverse("projects:project_create")
        not in client.get(reverse("projects:project_list")).content.decode()
    )
    assert client.get(reverse("projects:project_create")).status_code == 403


def test_a_county_officer_makes_a_source_for_their_own_county(client, cast):
    """Issue 10: the picker left at the officer's county holds the county, and the form takes it."""
    from fupin.projects.models import FundSource

    client.force_login(cast["county"])
    page = client.get(reverse("projects:source_create")).content.decode()
    assert re.search(rf'<input type="hidden" name="place" value="{testing.XINGHAI}"', page), (
        "the picker at the user's county holds the county"
    )
    answer = client.post(
        reverse("projects:source_create"),
        {"name": "2024年兴海县县级衔接资金", "kind": "county", "year": "2024", "place": testing.XINGHAI},
    )
    assert answer.status_code == 302, answer.content.decode()
    assert FundSource.objects.get(name="2024年兴海县县级衔接资金").place_id == testing.XINGHAI
    # A project may be on the county too; the project form's picker also starts at the county.
    page = client.get(reverse("projects:project_create")).content.decode()
    assert re.search(rf'<input type="hidden" name="place" value="{testing.XINGHAI}"', page)
