"""One rule per field (core.validators) for the household form, the API and the import: the same
bad value is refused by each of the three paths, and the same good value accepted by each."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from fupin import testing
from fupin.core import validators
from fupin.registry.idnumbers import make_id_number
from fupin.registry.importing.importer import run_import
from fupin.registry.models import Household
from fupin.registry.tests._import_data import member_row, to_csv

NEXT_YEAR = timezone.localdate().year + 1
HEAD_ID = make_id_number(area_code="632524", birth_date=datetime.date(1966, 6, 6), sequence=21, male=True)

# field -> the import's column header
HEADERS = {"phone": "联系电话", "bank_account": "银行账号", "housing_year": "建房年份"}
BAD = [
    ("phone", "12345"),
    ("phone", "010-12345678"),  # a landline
    ("bank_account", "abc"),
    ("bank_account", "1234"),
    # Full-width digits pass str.isdigit(): the form and API once stored them, the import refused.
    ("bank_account", "６２２８４８００１２３４５６７８"),
    ("housing_year", 2100),
    ("housing_year", "1985.5"),  # the import once took it as 1985, the form and API refused
    ("housing_year", NEXT_YEAR),
    ("housing_year", 1800),
]


def _form_refuses(client, field, value) -> bool:
    data = {
        "village": testing.MINZU_VILLAGE,
        "head_name": "索南",
        "head_id_number": HEAD_ID,
        "attribute": "ordinary",
        "main_cause": "illness",
        field: value,
    }
    response = client.post(reverse("registry:household_create"), data)
    return response.status_code == 200 and field in response.context["form"].errors


def _api_refuses(client, cast, field, value) -> bool:
    from fupin.accounts.tokens import token_issue

    _token, key = token_issue(user=cast["county"], name="t")
    body = {
        "village_code": testing.MINZU_VILLAGE,
        "attribute": "ordinary",
        "main_cause": "illness",
        field: value,
    }
    response = client.post(
        "/api/registry/households",
        data=body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    return response.status_code == 422 and response.json()["errors"][0]["loc"][-1] == field


def _import_refuses(tmp_path, cast, field, value) -> bool:
    row = member_row(f"{testing.MINZU_VILLAGE}00077", 7, head=True, **{HEADERS[field]: str(value)})
    path = tmp_path / "one.csv"
    path.write_bytes(to_csv([row]))
    result = run_import(path, user=cast["county"])
    return any(error.column == HEADERS[field] and error.line == 2 for error in result.errors)


@pytest.mark.parametrize("path", ["form", "api", "import"])
@pytest.mark.parametrize("field, value", BAD)
def test_each_path_refuses_the_same_bad_value(client, cast, tmp_path, path, field, value):
    client.force_login(cast["county"])
    refused = {
        "form": lambda: _form_refuses(client, field, value),
        "api": lambda: _api_refuses(client, cast, field, value),
        "import": lambda: _import_refuses(tmp_path, cast, field, value),
    }[path]()
    assert refused, f"{path} accepted {field}={value!r}"
    assert not Household.objects.exists()


@pytest.mark.parametrize("path", ["form", "api", "import"])
def test_each_path_accepts_the_same_good_values(client, cast, tmp_path, path):
    """+86 138-0013-8000, a spaced card number and this year's house pass everywhere, normalised alike."""
    good = {
        "phone": "+86 138-0013-8000",
        "bank_account": "6228 4800 1234 5678",
        "housing_year": NEXT_YEAR - 1,
    }
    client.force_login(cast["county"])
    if path == "form":
        data = {**good, "village": testing.MINZU_VILLAGE, "head_name": "索南", "head_id_number": HEAD_ID}
        data.update(attribute="ordinary", main_cause="illness")
        assert client.post(reverse("registry:household_create"), data).status_code == 302
    elif path == "api":
        from fupin.accounts.tokens import token_issue

        _token, key = token_issue(user=cast["county"], name="t")
        body = {
            **good,
            "village_code": testing.MINZU_VILLAGE,
            "attribute": "ordinary",
            "main_cause": "illness",
        }
        answer = client.post(
            "/api/registry/households",
            data=body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert answer.status_code == 201, answer.content
    else:
        overrides = {HEADERS[name]: str(value) for name, value in good.items()}
        row = member_row(f"{testing.MINZU_VILLAGE}00077", 7, head=True, **overrides)
        (tmp_path / "one.csv").write_bytes(to_csv([row]))
        assert run_import(tmp_path / "one.csv", user=cast["county"]).error_count == 0
    household = Household.objects.get()
    assert household.phone_masked == "138****8000"
    assert household.bank_account_masked.endswith("5678")
    assert household.housing_year == NEXT_YEAR - 1


def test_the_rules_themselves():
    assert validators.mobile_phone("１３８００１３８０００") == "13800138000"
    assert validators.bank_account(" 6228 4800 1234 5678 ") == "6228480012345678"
    assert validators.past_year("1985.0") == 1985
    for rule, bad in [
        (validators.bank_account, "６２２８４８００１２３４"),  # full-width digits are not an account
        (validators.past_year, "1985.5"),
        (validators.past_year, "NaN"),
        (validators.past_year, "1e400"),
    ]:
        with pytest.raises(validators.ValidationError):
            rule(bad)
