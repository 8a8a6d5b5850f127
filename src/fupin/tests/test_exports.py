import io

import openpyxl

from fupin.core.exports import csv_response, escape_cell, xlsx_bytes


def test_it_escapes_cells_that_excel_would_run_as_formulas():
    for dangerous in ["=1+1", "+86", "-2", "@SUM(A1)", "\t=cmd"]:
        assert escape_cell(dangerous).startswith("'")
    assert escape_cell("兴海县") == "兴海县"
    assert escape_cell(42) == 42


def test_it_writes_a_real_xlsx_with_no_formula_cells():
    data = xlsx_bytes(["名称", "数量"], [['=HYPERLINK("http://x")', 3], ["民族村", 5]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["名称", "数量"]
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B3"].value == 5


def test_it_streams_csv_with_a_bom_for_excel():
    response = csv_response("单位.csv", ["名称"], [["=1"], ["民族村"]])
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff名称")
    assert "'=1" in body
    assert "filename*=UTF-8''" in response["Content-Disposition"]
