"""Incomes 2021 onwards with 合规自付支出 (what the risk rules read): the registry's service, its form
and its import accept the costs and insurance payouts, one rule per field, and store the one income
definition (per capita after costs)."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fupin.registry import services
from fupin.registry.forms import IncomeForm
from fupin.registry.importing.importer import run_import
from fupin.registry.importing.template import HEADERS, INCOME_COLUMNS
from fupin.registry.models import YearlyIncome
from fupin.registry.tests._import_data import VILLAGE, member_row

WORLD_LAYERS = ("minzu",)
INCOME_HEADERS = tuple(c.header for c in INCOME_COLUMNS)


def test_the_service_stores_costs_and_the_income_after_costs(cast):
    household = cast["minzu"][0]  # two members
    income = services.income_record(
        by=cast["county"],
        household=household,
        year=2025,
        wages="20000",
        business="-1000",
        medical_costs="9000.50",
        schooling_costs="1000",
        disaster_costs="500",
        insurance_payouts="2500",
    )
    assert income.net_income == Decimal("19000.00") and income.per_capita == Decimal("9500.00")
    assert income.compliant_costs == Decimal("8000.50")
    assert income.per_capita_after_costs == Decimal("5499.75")
    # Payouts above the costs make no negative costs.
    income = services.income_record(
        by=None, household=household, year=2025, wages="20000", insurance_payouts="800"
    )
    assert income.compliant_costs == 0 and income.per_capita_after_costs == Decimal("10000.00")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("medical_costs", "-1"),
        ("schooling_costs", "abc"),
        ("disaster_costs", "1.234"),
        ("insurance_payouts", "1e12"),
    ],
)
def test_each_cost_has_its_rule(cast, field, value):
    with pytest.raises(ValidationError) as refused:
        services.income_record(by=None, household=cast["minzu"][0], year=2025, **{field: value})
    assert set(refused.value.message_dict) == {field}
    assert not YearlyIncome.objects.exists()


def test_any_year_to_this_one(cast):
    for year in (2021, 2022, 2023, 2024, 2025, 2026):
        services.income_record(by=None, household=cast["minzu"][1], year=year, wages=5000)
    assert YearlyIncome.objects.filter(year__gt=2020).count() == 6
    with pytest.raises(ValidationError) as refused:
        services.income_record(by=None, household=cast["minzu"][1], year=2099, wages=5000)
    assert "year" in refused.value.message_dict


def test_the_form_page_takes_the_costs(cast):
    household = cast["minzu"][0]
    client = Client()
    client.force_login(cast["county"])
    url = reverse("registry:income_record", args=[household.pk])
    page = client.get(url).content.decode()
    assert 'name="medical_costs"' in page and "合规自付支出" in page and 'id="cost-fields"' in page
    data = {f: "0" for f in IncomeForm.base_fields} | {
        "year": "2025",
        "wages": "12000",
        "medical_costs": "2000",
    }
    assert client.post(url, data).status_code == 302
    income = YearlyIncome.objects.get(household=household, year=2025)
    assert income.medical_costs == 2000 and income.per_capita_after_costs == Decimal("5000.00")
    page = client.post(url, data | {"insurance_payouts": "-5"}).content.decode()
    assert "insurance_payouts" in page and not YearlyIncome.objects.filter(insurance_payouts__lt=0).exists()
    # Editing a year shows what was recorded.
    assert 'value="2000.00"' in client.get(url + "?year=2025").content.decode()


def _csv(rows, headers) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([row.get(h, "") for h in headers])
    return buffer.getvalue().encode()


def _rows(income: dict, households=2, per=2, start=0) -> list[dict]:
    rows = []
    for h in range(households):
        for k in range(per):
            rows.append(
                member_row(f"{VILLAGE}{90 + h + start:05d}", 20 + (h + start) * per + k, head=k == 0) | income
            )
    return rows


INCOME = {
    "收入年度": "2025",
    "工资性收入": "20,000",
    "生产经营性收入": "-2000",
    "转移性收入": "1000.50",
    "合规自付医疗支出": "6000",
    "商业保险赔付": "1000",
}


@pytest.mark.parametrize("partial", [False, True], ids=["direct", "staging"])
def test_the_import_writes_incomes(cast, tmp_path, partial):
    path = tmp_path / "a.csv"
    path.write_bytes(_csv(_rows(INCOME), (*HEADERS, *INCOME_HEADERS)))
    result = run_import(path, user=cast["county"], partial=partial)
    assert result.written and result.path == ("staging" if partial else "direct")
    assert result.counts.incomes_created == 2 and "年度收入:新增 2" in result.summary()
    incomes = YearlyIncome.objects.filter(household__number__startswith=f"{VILLAGE}0009")
    assert incomes.count() == 2
    income = incomes.first()
    assert (income.year, income.people, income.wages, income.business) == (2025, 2, 20000, -2000)
    assert income.net_income == Decimal("19000.50") and income.compliant_costs == Decimal("5000.00")
    assert income.per_capita_after_costs == Decimal("7000.25")
    # The same file again changes nothing; other amounts update the year's row.
    again = run_import(path, user=cast["county"])
    assert again.path == "staging" and again.counts.incomes_created == 0 and again.counts.incomes_updated == 0
    assert not again.counts.changed
    path.write_bytes(_csv(_rows(INCOME | {"工资性收入": "30000"}), (*HEADERS, *INCOME_HEADERS)))
    changed = run_import(path, user=cast["county"])
    assert changed.counts.incomes_updated == 2 and changed.counts.households_updated == 0
    assert YearlyIncome.objects.get(pk=income.pk).per_capita_after_costs == Decimal("12000.25")


def test_an_amount_without_a_year_is_a_row_error(cast, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(_csv(_rows(INCOME | {"收入年度": ""}, households=1), (*HEADERS, *INCOME_HEADERS)))
    result = run_import(path, user=cast["county"])
    assert not result.written
    assert {(e.column, e.reason) for e in result.errors} == {("收入年度", "填写了收入,请填写收入年度")}
    path.write_bytes(
        _csv(
            _rows(INCOME | {"收入年度": "2009", "商业保险赔付": "-1"}, households=1),
            (*HEADERS, *INCOME_HEADERS),
        )
    )
    columns = {e.column for e in run_import(path, user=cast["county"]).errors}
    assert columns == {"收入年度", "商业保险赔付"}


def test_a_file_without_income_columns_imports_as_before(cast, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes(_csv(_rows({}, households=1, start=5), HEADERS))
    result = run_import(path, user=cast["county"])
    assert result.written and result.counts.members_created == 2 and not YearlyIncome.objects.exists()
    assert "年度收入" not in result.summary()
