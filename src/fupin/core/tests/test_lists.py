"""The list mechanism's own rules, on a small table of divisions: capped counting, numbered pages
within the cap and keyset pages past it (every row reachable, in order, none twice), the API's
pagination the same way, and the sheet's cells (numbers, dates, formula-leading text)."""

import datetime
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.db.models.functions import Length
from django.http import QueryDict
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from fupin.core import lists
from fupin.regions.models import Region
from fupin.testing import make_regions


@pytest.fixture
def divisions(db):
    make_regions()
    for i in range(1, 38):
        Region.objects.create(code=f"6325249{i:02d}", name=f"测试镇{i}", short_name=f"测{i}", level=3)
    return Region.objects.filter(code__startswith="6325249").order_by("code")


def _walk(queryset, *, cap: int, size: int = 5) -> list[str]:
    """Every code a person reaches by clicking 下一页 from the first page to the last."""
    params, seen = QueryDict(mutable=True), []
    params["size"] = str(size)
    while True:
        page = lists.page_of(params, queryset, cap=cap, default_size=size)
        seen += [r.code for r in page.rows]
        if page.next_after:
            params = params.copy()
            params.pop("page", None)
            params["after"] = page.next_after
        elif page.has_next:
            params = params.copy()
            params["page"] = str(page.number + 1)
        else:
            return seen


@pytest.mark.parametrize(
    "order", [("code",), ("-code",), ("level", "name", "code"), (Length("name").desc(), "code")]
)
def test_every_row_is_reachable_past_the_capped_count(divisions, order):
    """By keyset where the ordering is by fields, by page number where an expression orders it."""
    rows = divisions.order_by(*order)
    everything = list(rows.values_list("code", flat=True))
    assert len(everything) > 12
    assert _walk(rows, cap=12, size=5) == everything  # 12+ counted, 3 numbered pages, then keyset
    assert _walk(rows, cap=1000, size=5) == everything  # all counted, numbered pages only


def test_the_count_stops_at_the_cap(divisions, django_assert_max_num_queries):
    params = QueryDict("size=10")
    page = lists.page_of(params, divisions, cap=12)
    assert page.capped and page.count == 13 and page.num_pages == 2
    assert not lists.page_of(params, divisions, cap=100).capped


def test_a_forged_cursor_gives_the_first_page(divisions):
    for after in ("garbage", "W10", lists._encode(["x", "y", "z"])):
        page = lists.page_of(QueryDict(f"after={after}&size=5"), divisions, cap=12)
        assert page.number == 1 and page.rows[0].code == divisions.first().code


def test_the_api_pages_alike_and_refuses_a_forged_cursor(divisions):
    paginator = lists.CappedPagination(cap=12, serialize=lambda r: r.code)
    everything, after = [], ""
    while True:
        answer = paginator.paginate_queryset(
            divisions, lists.CappedPagination.Input(limit=5, after=after), request=None
        )
        everything += answer["items"]
        assert answer["capped"] and answer["count"] == 12  # "12 or more", as the page's 共 12+ 条
        if not answer["next"]:
            break
        after = answer["next"]
    assert everything == list(divisions.values_list("code", flat=True))
    with pytest.raises(NinjaValidationError):
        paginator.paginate_queryset(divisions, lists.CappedPagination.Input(after="garbage"), request=None)


class DivisionOut(BaseModel):
    code: str
    level: int
    note: str | None = None


def test_a_written_answer_is_validated_and_keeps_the_models_shape(divisions):
    """Items of a plain pydantic model leave as pydantic validates and writes them (WrittenPagination):
    the model's fields in its order, an older name repeated, and a wrong value still refused."""
    answer = lists.answer_schema(DivisionOut, "DivisionPage", {"was_capped": "capped"})
    paginator = lists.WrittenPagination(
        cap=12,
        answer_model=answer,
        aliases={"was_capped": "capped"},
        page=lambda qs, start, stop: list(qs.values("code", "level", "name")[start:stop]),
    )
    body = json.loads(
        paginator.paginate_queryset(divisions, lists.CappedPagination.Input(limit=2), request=None).content
    )
    assert body == {
        "items": [{"code": c, "level": 3} for c in divisions.values_list("code", flat=True)[:2]],
        "count": 12,
        "capped": True,
        "next": body["next"],
        "was_capped": True,
    }
    assert body["next"] and list(body["items"][0]) == ["code", "level"]  # no `name`, no absent default
    wrong = lists.WrittenPagination(
        cap=12, answer_model=answer, aliases={"was_capped": "capped"}, serialize=lambda r: {"code": r.code}
    )
    with pytest.raises(PydanticValidationError):
        wrong.paginate_queryset(divisions, lists.CappedPagination.Input(limit=2), request=None)


def test_the_sheet_keeps_numbers_dates_and_text_as_they_are():
    kinds = [lists.MONEY, lists.INT, lists.DATE, lists.TEXT, lists.TEXT]
    sheet = lists.Sheet(["金额", "人数", "日期", "说明", "号码"], kinds)
    sheet.write(
        [
            lists.export_value(Decimal("1234.50"), lists.MONEY),
            lists.export_value(7, lists.INT),
            lists.export_value(datetime.date(2026, 3, 1), lists.DATE),
            '=HYPERLINK("http://x")',
            "-12",
        ]
    )
    response = sheet.response("t.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    row = [c for c in book.active[2]]
    assert row[0].value == 1234.5 and row[0].number_format == "#,##0.00"
    assert row[1].value == 7
    assert row[2].value == datetime.datetime(2026, 3, 1) and row[2].number_format == "yyyy-mm-dd"
    # Formula-leading text stays text, unchanged (a re-import reads what was typed), marked as text.
    assert row[3].value == '=HYPERLINK("http://x")' and row[3].data_type == "s" and row[3].quotePrefix
    assert row[4].value == "-12" and row[4].data_type == "s"
