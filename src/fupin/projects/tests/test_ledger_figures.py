"""The ledger's figures (issue 10): totals per kind and balances, never one sum across kinds; and a
business date that has happened, one rule for the page form, the API and the service.

The world of the bug report: a 600,000 元 project on a 600,000 元 source, allocated in full and
500,000 元 paid out. Adding the three kinds together gave 1,700,000 元.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fupin.core.validators import past_date
from fupin.projects import ledger
from fupin.projects.forms import AllocateForm, MoneyForm
from fupin.projects.models import FundSource, LedgerEntry, Status
from fupin.projects.tests.factories import TODAY, make_project, make_source
from fupin.projects.tests.test_api import call
from fupin.projects.tests.test_views import figure
from fupin.testing import xlsx_rows

WRONG_SUM = "1,700,000.00"


def _ledger(made: dict) -> dict:
    source = make_source(budget="600000.00")
    project = make_project(budget="600000.00", status=Status.IN_PROGRESS)
    allocation = ledger.fund_allocate(by=None, source=source, project=project, amount="600000", date=TODAY)
    ledger.fund_disburse(by=None, allocation=allocation, amount="500000", date=TODAY)
    return {"source": source, "project": project, "allocation": allocation}


WORLD_LAYERS = (_ledger,)


def test_the_ledger_page_totals_each_kind_and_the_balances(client, world):
    client.force_login(world["county"])
    url = reverse("projects:entry_list")
    html = client.get(f"{url}?source={world['source'].pk}").content.decode()
    assert figure(html, "budget") == "600,000.00 元"
    assert figure(html, "allocation") == "600,000.00 元"
    assert figure(html, "disbursement") == "500,000.00 元"
    assert figure(html, "unallocated") == "0.00 元"
    assert figure(html, "undisbursed") == "100,000.00 元"
    assert WRONG_SUM not in html

    # A project holds no budget entries: no budget figure, and no balance that would need one.
    html = client.get(f"{url}?project={world['project'].pk}").content.decode()
    assert figure(html, "budget") is None and figure(html, "unallocated") is None
    assert figure(html, "allocation") == "600,000.00 元"
    assert figure(html, "undisbursed") == "100,000.00 元"
    # One kind: its own total only.
    html = client.get(f"{url}?project={world['project'].pk}&kind=disbursement").content.decode()
    assert figure(html, "disbursement") == "500,000.00 元"
    assert figure(html, "allocation") is None and figure(html, "undisbursed") is None


def test_a_reversal_nets_out_of_its_own_kind(client, world):
    payment = LedgerEntry.objects.get(kind=LedgerEntry.Kind.DISBURSEMENT)
    ledger.entry_reverse(by=None, entry=payment, reason="录错", date=TODAY)
    client.force_login(world["county"])
    html = client.get(f"{reverse('projects:entry_list')}?source={world['source'].pk}").content.decode()
    assert figure(html, "disbursement") == "0.00 元"
    assert figure(html, "undisbursed") == "600,000.00 元"


def test_the_export_holds_each_entry_as_a_number_and_no_sum_across_kinds(client, world):
    client.force_login(world["county"])
    rows = xlsx_rows(client.get(f"{reverse('projects:entry_export')}?source={world['source'].pk}"))
    kind, amount = rows[0].index("类型"), rows[0].index("金额(元)")
    # Numbers a spreadsheet adds up per kind (the page's figures), with nothing below that adds kinds.
    by_kind = {}
    for row in rows[1:]:
        by_kind[row[kind]] = by_kind.get(row[kind], 0) + row[amount]
    assert by_kind == {"预算下达": 600000.0, "分配到项目": 600000.0, "拨付": 500000.0}
    assert not any("1700000" in str(cell) for row in rows for cell in row if cell is not None)


def test_the_api_totals_each_kind(client, world):
    answer = call(client, world["county"], "get", f"/api/projects/entries?source={world['source'].pk}")
    body = answer.json()
    assert body["total"] is None, "a list of several kinds has no single total"
    assert body["totals"] == {
        "budget": "600000.00",
        "allocation": "600000.00",
        "disbursement": "500000.00",
        "unallocated": "0.00",
        "undisbursed": "100000.00",
    }
    one_kind = call(
        client, world["county"], "get", f"/api/projects/entries?source={world['source'].pk}&kind=budget"
    )
    assert one_kind.json()["total"] == "600000.00"


# --- the business date: one rule, every path --------------------------------------------------

FUTURE = "2099-01-01"
ANCIENT = "1999-12-31"


def test_the_rule_refuses_the_future_and_the_absurdly_old():
    assert past_date("2024-05-06") == datetime.date(2024, 5, 6)
    assert past_date(TODAY) == TODAY
    for bad in (FUTURE, ANCIENT, "2024-13-01", "明天"):
        with pytest.raises(ValidationError):
            past_date(bad)


@pytest.mark.parametrize("bad", [FUTURE, ANCIENT])
def test_the_same_bad_date_is_refused_by_form_api_and_service(client, world, bad):
    source, allocation = world["source"], world["allocation"]
    before = LedgerEntry.objects.count()

    # The page forms: an error under 业务日期.
    for form in (
        MoneyForm({"amount": "1.00", "date": bad}),
        AllocateForm({"source": source.pk, "amount": "1.00", "date": bad}, sources=FundSource.objects.all()),
    ):
        assert not form.is_valid() and "date" in form.errors
    client.force_login(world["county"])
    client.post(reverse("projects:source_budget", args=[source.pk]), {"amount": "1.00", "date": bad})
    client.post(reverse("projects:disburse", args=[allocation.pk]), {"amount": "1.00", "date": bad})

    # The API: a 422 that names the field.
    answer = call(
        client,
        world["county"],
        "post",
        f"/api/projects/sources/{source.pk}/budget",
        {"amount": "1.00", "date": bad},
    )
    assert answer.status_code == 422, answer.content
    assert [e["loc"][-1] for e in answer.json()["errors"]] == ["date"]

    # The service, which every loader (the demo, a future import) goes through.
    for write in (
        lambda: ledger.fund_budget(
            by=None, source=source, amount="1.00", date=datetime.date.fromisoformat(bad)
        ),
        lambda: ledger.fund_disburse(by=None, allocation=allocation, amount="1.00", date=bad),
        lambda: ledger.entry_reverse(by=None, entry=allocation, reason="x", date=bad),
    ):
        with pytest.raises(ValidationError) as refused:
            write()
        assert "date" in refused.value.error_dict
    assert LedgerEntry.objects.count() == before
