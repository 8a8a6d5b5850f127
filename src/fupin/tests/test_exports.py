from fupin.core.exports import escape_cell


def test_it_escapes_cells_that_excel_would_run_as_formulas():
    for dangerous in ["=1+1", "+86", "-2", "@SUM(A1)", "\t=cmd"]:
        assert escape_cell(dangerous).startswith("'")
    assert escape_cell("兴海县") == "兴海县"
    assert escape_cell(42) == 42
