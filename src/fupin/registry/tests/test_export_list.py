"""The household list's search by 户编号, its buttons per role, and its two exports (issue 10).

导出 gives exactly the households the list's filters select, masked for everyone; 明文导出 needs
registry.reveal_household and a stated purpose, is a POST, and is audited with the count and the
purpose. The files are read back with openpyxl.
"""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fupin import testing
from fupin.accounts.roles import Role
from fupin.accounts.tokens import token_issue
from fupin.audit.models import AuditEvent
from fupin.registry import selectors
from fupin.registry.importing.template import HEADERS
from fupin.registry.models import Household, Member
from fupin.testing import HEAD_ID, PHONE, WIFE_ID, response_bytes

LIST = reverse("registry:household_list")
EXPORT = reverse("registry:household_export")
CLEAR = reverse("registry:household_export_clear")
CLEAR_FORM = {"purpose": "报送县医保局核对参保信息", "format": "xlsx", "confirm": "on"}
BANK_ACCOUNT = "6228480012345678901"


def _bank_account(made: dict) -> None:
    """扎西's bank account, so a clear value of each kind exists."""
    from fupin.registry import services

    zhaxi = made["zhaxi"]
    services.household_update(by=None, household=zhaxi, version=zhaxi.version, bank_account=BANK_ACCOUNT)
    zhaxi.refresh_from_db()


WORLD_LAYERS = ("households", _bank_account)


def _sheet(content: bytes) -> list[dict]:
    """The export's rows as {header: value}, checked to carry the import template's headers."""
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = [
        ["" if v is None else str(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)
    ]
    assert tuple(rows[0]) == tuple(HEADERS)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _numbers(rows: list[dict]) -> set[str]:
    return {row["户编号"] for row in rows}


def _last_export() -> AuditEvent:
    return AuditEvent.objects.filter(action="export").order_by("-id").first()


# --- 户编号 search ----------------------------------------------------------------------------------


def test_a_household_number_finds_its_household(county_client, households):
    zhaxi, wang = households["zhaxi"], households["wang"]
    assert len(zhaxi.number) == 17 and selectors.search_mode(zhaxi.number) == "number"
    html = county_client.get(LIST, {"q": zhaxi.number}).content.decode()
    assert "<td>扎西</td>" in html and "王芳" not in html and "共 1 条" in html
    # Exact, not a prefix: the village code alone (12 digits) is no household's number.
    assert list(selectors.household_list(user=_county(), filters={"q": zhaxi.number[:12]})) == []
    assert [h.pk for h in selectors.household_list(user=_county(), filters={"q": wang.number})] == [wang.pk]


def _county():
    from fupin.accounts.models import User

    return User.objects.get(username="county")


def test_an_imported_18_digit_number_is_told_from_an_id_number(cast, households):
    """An 18-digit 户编号 (village code + 6-digit sequence) is a number; an ID number stays an ID search."""
    odd = Household.objects.get(pk=households["wang"].pk)
    Household.objects.filter(pk=odd.pk).update(number=odd.village_id + "000082")
    found = selectors.household_list(user=cast["county"], filters={"q": odd.village_id + "000082"})
    assert [h.pk for h in found] == [odd.pk]
    by_id = selectors.household_list(user=cast["county"], filters={"q": HEAD_ID})
    assert [h.pk for h in by_id] == [households["zhaxi"].pk]


def test_a_number_search_is_one_equality_on_the_unique_index(cast, households):
    number = households["zhaxi"].number
    with CaptureQueriesContext(connection) as queries:
        list(selectors.household_list(user=cast["county"], filters={"q": number}))
    sql = queries.captured_queries[-1]["sql"]
    assert f'"registry_household"."number" = \'{number}\'' in sql
    assert "registry_member" not in sql and "LIKE '6325242032" not in sql


def test_a_number_outside_the_scope_finds_nothing(client, cast, households):
    client.force_login(cast["outsider"])
    html = client.get(LIST, {"q": households["zhaxi"].number}).content.decode()
    assert "扎西" not in html and "没有符合条件的农户" in html


def test_the_api_finds_a_household_by_its_number(client, cast, households):
    _token, key = token_issue(user=cast["county"], name="t")
    body = client.get(
        "/api/registry/households", {"q": households["zhaxi"].number}, HTTP_AUTHORIZATION=f"Bearer {key}"
    ).json()
    assert body["count"] == 1 and body["items"][0]["head_name"] == "扎西"


# --- 致贫原因: the main cause, as the column shows ---------------------------------------------------


def test_the_cause_filter_is_the_main_cause_as_the_column_shows(county_client, households):
    """扎西: main cause 因病, second 缺技术. Filtering 缺技术 no longer lists him under a column saying 因病."""
    html = county_client.get(LIST, {"cause": "no_skills"}).content.decode()
    assert "扎西" not in html and "没有符合条件的农户" in html
    html = county_client.get(LIST, {"cause": "illness"}).content.decode()
    assert "<td>扎西</td>" in html and "王芳" not in html
    assert "主要致贫原因" in html and "按主要致贫原因筛选" in html  # the page says so


# --- buttons follow permissions -----------------------------------------------------------------


def _role_user(name: str, role: str, scope: str):
    return testing.make_user(name, roles=[role], scopes=[scope])


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("county", {"新增", "导入", "导出", "导出(明文)", "下载模板"}),
        ("township", {"新增", "导入", "导出", "下载模板"}),
        ("cadre", {"新增", "导入", "导出", "下载模板"}),
        ("viewer", {"导出"}),
        ("inspector", {"导出"}),
        ("unitofficer", {"导出"}),
    ],
)
def test_the_buttons_follow_permissions(client, cast, households, who, shown):
    users = {
        **cast,
        "township": _role_user("township", Role.TOWNSHIP_OFFICER, "632524203"),
        "viewer": _role_user("viewer", Role.VIEWER, "63"),
        "inspector": _role_user("inspector", Role.INSPECTOR, "632524"),
    }
    client.force_login(users[who])
    html = client.get(LIST).content.decode()
    toolbar = html.split('class="toolbar"', 1)[1].split("</div>", 1)[0]
    labels = {
        label for label in ("新增", "导入", "导出", "导出(明文)", "下载模板") if f">{label}</a>" in toolbar
    }
    assert labels == shown
    # Each button shown opens; each hidden one would have been a 403.
    for label, name in (
        ("导入", "registry:import_upload"),
        ("导出(明文)", "registry:household_export_clear"),
    ):
        status = client.get(reverse(name)).status_code
        assert status == (200 if label in shown else 403)


# --- 导出: the list's households, masked ------------------------------------------------------------


def test_the_export_gives_exactly_the_filtered_households(county_client, world):
    zhaxi, wang = world["zhaxi"], world["wang"]
    rows = _sheet(response_bytes(county_client.get(EXPORT, {"division": testing.MINZU_VILLAGE})))
    assert _numbers(rows) == {zhaxi.number} and len(rows) == 2  # 扎西 and 卓玛, not 王芳
    rows = _sheet(response_bytes(county_client.get(EXPORT, {"division": "632524101"})))
    assert _numbers(rows) == {wang.number}
    rows = _sheet(
        response_bytes(county_client.get(EXPORT, {"q": "卓玛"}))
    )  # a name search: the whole household
    assert _numbers(rows) == {zhaxi.number} and {r["姓名"] for r in rows} == {"扎西", "卓玛"}
    rows = _sheet(response_bytes(county_client.get(EXPORT, {"cause": "no_funds", "page": "2"})))
    assert _numbers(rows) == {wang.number}
    assert _numbers(_sheet(response_bytes(county_client.get(EXPORT)))) == {zhaxi.number, wang.number}
    event = _last_export()
    assert event.changes["count"] == 3 and event.changes["masked"] is True


def test_the_export_carries_the_lists_filters(county_client, world):
    """The 导出 button is the list's own query: its link holds the filters of the page."""
    html = county_client.get(LIST, {"division": testing.MINZU_VILLAGE, "page": "1"}).content.decode()
    link = html.split('id="export-masked" href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert link == f"{EXPORT}?division={testing.MINZU_VILLAGE}"
    assert _numbers(_sheet(response_bytes(county_client.get(link)))) == {world["zhaxi"].number}


def test_the_export_is_masked_even_for_those_who_may_reveal(county_client, cast, world):
    assert cast["county"].has_perm("registry.reveal_household")
    response = county_client.get(EXPORT)
    text = str(_sheet(response_bytes(response)))
    for clear in (HEAD_ID, WIFE_ID, PHONE, BANK_ACCOUNT, "患有大病"):
        assert clear not in text
    assert HEAD_ID[:4] + "*" * 10 + HEAD_ID[-4:] in text and "138****4321" in text
    body = b"".join(county_client.get(EXPORT, {"format": "csv"}).streaming_content).decode()
    assert HEAD_ID not in body and PHONE not in body and BANK_ACCOUNT not in body


def test_an_export_with_a_refused_filter_exports_nothing(county_client, world):
    """A division outside the scope lists nothing and says why; the export refuses it (400, the list
    with the reason) instead of giving the whole county."""
    before = AuditEvent.objects.filter(action="export").count()
    response = county_client.get(EXPORT, {"division": "620821100206"})
    assert response.status_code == 400 and "所选区划不在允许的范围内" in response.content.decode()
    assert AuditEvent.objects.filter(action="export").count() == before


def test_a_search_text_never_reaches_the_audit_trail_in_clear(county_client, world):
    county_client.get(EXPORT, {"q": HEAD_ID})
    event = _last_export()
    assert HEAD_ID not in event.path and HEAD_ID not in str(event.changes)
    assert event.changes["count"] == 2


# --- 明文导出: permission, purpose, confirmation, audit --------------------------------------------


def test_the_clear_export_is_a_form_with_the_count(county_client, world):
    response = county_client.get(CLEAR, {"division": testing.MINZU_VILLAGE})
    html = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "将按当前查询条件导出 1 户" in html and "用途" in html and "民族村" in html
    assert HEAD_ID not in html


def test_the_clear_export_gives_the_filtered_households_in_clear_and_audits(county_client, world):
    response = county_client.post(f"{CLEAR}?division={testing.MINZU_VILLAGE}", CLEAR_FORM)
    rows = _sheet(response_bytes(response))
    assert _numbers(rows) == {world["zhaxi"].number}
    head = next(r for r in rows if r["姓名"] == "扎西")
    assert head["身份证号"] == HEAD_ID and head["联系电话"] == PHONE and head["银行账号"] == BANK_ACCOUNT
    event = _last_export()
    assert event.actor_username == "county"
    assert event.changes["masked"] is False and event.changes["count"] == 2
    assert event.changes["purpose"] == CLEAR_FORM["purpose"]
    assert event.changes["filters"] == {"division": testing.MINZU_VILLAGE}


@pytest.mark.parametrize(
    "data",
    [
        {"format": "xlsx", "confirm": "on"},  # no purpose
        {"purpose": "  ", "format": "xlsx", "confirm": "on"},
        {"purpose": "核对", "format": "xlsx", "confirm": "on"},  # too short to say anything
        {"purpose": CLEAR_FORM["purpose"], "format": "xlsx"},  # not confirmed
    ],
)
def test_the_clear_export_needs_a_purpose_and_a_confirmation(county_client, world, data):
    response = county_client.post(CLEAR, data)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert HEAD_ID.encode() not in response_bytes(response)
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_clear_export_needs_the_reveal_permission(client, cast, world):
    assert not cast["cadre"].has_perm("registry.reveal_household")
    client.force_login(cast["cadre"])
    assert client.get(CLEAR).status_code == 403
    response = client.post(CLEAR, CLEAR_FORM)
    assert response.status_code == 403 and HEAD_ID.encode() not in response_bytes(response)
    assert not AuditEvent.objects.filter(action="export").exists()
    assert AuditEvent.objects.filter(action="denied", actor_username="cadre").exists()


def test_the_clear_export_of_the_outsider_holds_nothing_of_another_county(client, cast, world):
    client.force_login(cast["outsider"])
    rows = _sheet(response_bytes(client.post(CLEAR, CLEAR_FORM)))
    assert _numbers(rows) == {world["li"].number}


# --- the command line -------------------------------------------------------------------------------


def test_the_command_line_export_is_masked_unless_clear_with_a_purpose(cast, world, tmp_path):
    out = tmp_path / "out.xlsx"
    call_command("export", "households", "--county", testing.MINZU_VILLAGE, "-o", str(out))
    rows = _sheet(out.read_bytes())
    assert _numbers(rows) == {world["zhaxi"].number} and HEAD_ID not in str(rows)
    assert _last_export().changes["masked"] is True
    with pytest.raises(CommandError, match="purpose"):
        call_command("export", "households", "--clear", "-o", str(out))
    with pytest.raises(CommandError):
        call_command("export", "households", "--clear", "--purpose", "x", "-o", str(out))
    with pytest.raises(CommandError):
        call_command(
            "export", "households", "--clear", "--purpose", "医保核对名单", "--user", "cadre", "-o", str(out)
        )
    call_command(
        "export", "households", "--clear", "--purpose", "医保核对名单", "--user", "county", "-o", str(out)
    )
    rows = _sheet(out.read_bytes())
    assert HEAD_ID in str(rows) and _numbers(rows) == {world["zhaxi"].number, world["wang"].number}
    event = _last_export()
    assert event.changes["masked"] is False and event.changes["purpose"] == "医保核对名单"
    assert event.changes["count"] == 3 and event.actor_username == "county"
    assert Member.objects.count() == 4  # 李强 of 泾川县 was outside the user's scope
