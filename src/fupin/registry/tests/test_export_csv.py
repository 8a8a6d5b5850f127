"""The CSV export, whose cells the database makes (exporting.csv_query), holds exactly the cells of
the row path (exporting.export_rows, the .xlsx's): masked and clear, on both databases."""

import csv
import io

import pytest

from fupin.registry import selectors
from fupin.registry.exporting import csv_chunks, export_rows, write_csv
from fupin.registry.importing.importer import run_import
from fupin.registry.importing.template import HEADERS
from fupin.registry.models import Household
from fupin.registry.tests._import_data import sample_rows, to_csv


@pytest.fixture
def imported(cast, tmp_path):
    """Three households; text that needs quoting, formula leads, an empty housing area and year."""
    rows = sample_rows(households=3)
    odd = {"村民小组": '=1+"2", 三', "开户银行": "@bank\nline", "民族": "-汉"}
    for row in rows[:3]:
        row.update(odd)
    for row in rows[3:6]:
        row.update(
            {"住房面积(平方米)": "", "建房年份": "", "住房结构": "", "其他致贫原因一": "", "联系电话": ""}
        )
    rows[7].update({"健康状况": "", "残疾情况": "+肢体残疾,二级", "姓名": '卓玛"央金"'})
    path = tmp_path / "a.csv"
    path.write_bytes(to_csv(rows))
    result = run_import(path, user=cast["county"])
    assert result.written, result.errors
    return selectors.household_list(user=cast["county"])


def _read(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:], newline="")))


@pytest.mark.parametrize("reveal", [False, True])
def test_the_csv_holds_the_cells_of_the_rows(imported, reveal):
    expected = [list(HEADERS)]
    for row in export_rows(selectors.members_of(imported), reveal=reveal):
        expected.append([str(cell) for cell in row])
    got = _read("".join(csv_chunks(imported, reveal=reveal)))
    assert got == expected
    assert len(got) == 1 + 9
    by_header = [dict(zip(HEADERS, row, strict=True)) for row in got[1:]]
    assert by_header[0]["村民小组"] == '\'=1+"2", 三' and by_header[0]["开户银行"] == "'@bank\nline"
    assert by_header[3]["住房面积(平方米)"] == "" and by_header[0]["住房面积(平方米)"] == "80.5"
    assert by_header[7]["姓名"] == '卓玛"央金"'
    if reveal:
        assert by_header[7]["残疾情况"] == "'+肢体残疾,二级" and by_header[0]["健康状况"] == "长期慢性病"
    else:
        assert by_header[7]["残疾情况"] == "***" and by_header[0]["身份证号"].count("*") == 10


def test_the_csv_follows_the_lists_filters_and_counts_its_rows(imported, cast, tmp_path):
    one = selectors.household_list(user=cast["county"], filters={"q": Household.objects.first().number})
    out = tmp_path / "one.csv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        assert write_csv(fh, one) == 3
    assert len(_read(out.read_text(encoding="utf-8"))) == 4
    assert write_csv(io.StringIO(), selectors.household_list(user=cast["outsider"])) == 0
