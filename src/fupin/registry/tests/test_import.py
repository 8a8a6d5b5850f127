"""Import of households and members from .xlsx and .csv: checks, dry run, all-or-nothing, idempotence."""

import datetime
import io
import types
import zipfile

import pytest
from python_calamine import CalamineWorkbook

from fupin.audit.models import AuditEvent
from fupin.registry.importing import importer
from fupin.registry.importing.importer import run_import
from fupin.registry.importing.readers import FileRejected, open_source
from fupin.registry.importing.template import HEADERS, INCOME_COLUMNS, build_template
from fupin.registry.importing.xlsx import open_first_sheet
from fupin.registry.models import Household, Member
from fupin.registry.tests._import_data import VILLAGE, member_row, sample_rows, to_csv, to_xlsx


def _write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _nothing_written():
    return not Household.objects.exists() and not Member.objects.exists()


def test_it_builds_a_template_with_headers_and_drop_downs():
    """The template's data sheet carries every header and a list validation for each coded column."""
    data = build_template()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names[:2] == ["家庭成员", "填写说明"]
    assert book.get_sheet_by_index(0).to_python()[0] == [*HEADERS, *(c.header for c in INCOME_COLUMNS)]
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert sheet_xml.count('type="list"') >= 15
    options = book.get_sheet_by_name("选项").to_python()
    assert "因病" in [row[1] for row in options] or any("因病" in row for row in options)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_it_imports_csv_in_each_encoding(cast, tmp_path, encoding):
    """UTF-8, UTF-8 with BOM and GBK files import the same; the encoding found is reported."""
    path = _write(tmp_path, "a.csv", to_csv(sample_rows(), encoding))
    result = run_import(path, user=cast["county"])
    assert result.error_count == 0, result.errors
    assert result.encoding == {"gbk": "gb18030"}.get(encoding, encoding)
    assert Household.objects.count() == 2
    assert Member.objects.count() == 6
    household = Household.objects.get(number=f"{VILLAGE}00000")
    assert household.head_name == "成员0" and household.member_count == 3
    assert household.phone_masked == "138****8000"
    member = Member.objects.get(name="成员1")
    assert member.id_number_masked.startswith("6325") and "*" in member.id_number_masked
    assert member.ethnicity == "藏族" and member.months_worked == 6


def test_it_imports_xlsx(cast, tmp_path):
    """An .xlsx in the template's columns imports."""
    path = _write(tmp_path, "a.xlsx", to_xlsx(sample_rows()))
    result = run_import(path, user=cast["county"])
    assert result.error_count == 0, result.errors
    assert result.kind == "xlsx" and Member.objects.count() == 6


def test_it_reports_every_bad_row_in_a_dry_run_and_writes_nothing(cast, tmp_path):
    """Check digit, date, cause label, another county's village and a repeated ID: row, column, reason."""
    rows = sample_rows(households=3)
    good_id = rows[0]["身份证号"]
    rows[1]["身份证号"] = rows[1]["身份证号"][:-1] + ("0" if rows[1]["身份证号"][-1] != "0" else "1")
    rows[2]["出生日期"] = "1990-13-45"
    rows[3]["主要致贫原因"] = "因懒"
    rows[6]["行政村代码"] = "620821100206"
    rows[7].update({"身份证号": good_id, "性别": rows[0]["性别"]})
    report = tmp_path / "report.xlsx"
    result = run_import(
        _write(tmp_path, "a.csv", to_csv(rows)), user=cast["county"], dry_run=True, report_path=report
    )
    assert _nothing_written()
    found = {(e.line, e.column): e for e in result.errors}
    assert "校验码" in found[(3, "身份证号")].reason
    assert "*" in found[(3, "身份证号")].value  # masked
    assert "不是有效日期" in found[(4, "出生日期")].reason
    assert "不是可选值" in found[(5, "主要致贫原因")].reason
    assert "不在您的数据范围内" in found[(8, "行政村代码")].reason
    assert "与第 2 行重复" in found[(9, "身份证号")].reason
    sheet = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert sheet[0] == ["行号", "列", "值", "原因"]
    assert [3, "身份证号"] in [[int(r[0]) if r[0] != "" else r[0], r[1]] for r in sheet[1:]]


def test_it_writes_nothing_when_one_row_is_bad(cast, tmp_path):
    """All-or-nothing: one bad row in a real import and no household is written; --partial skips its household."""
    rows = sample_rows(households=2)
    rows[4]["务工时间(月)"] = "13"
    path = _write(tmp_path, "a.csv", to_csv(rows))
    result = run_import(path, user=cast["county"])
    assert not result.written and result.error_count == 1
    assert _nothing_written()
    assert not AuditEvent.objects.filter(object_type="registry.household").exists()
    partial = run_import(path, user=cast["county"], partial=True)
    assert partial.written and partial.bad_households == 1
    assert list(Household.objects.values_list("number", flat=True)) == [f"{VILLAGE}00000"]


def test_it_changes_nothing_on_a_second_import_and_says_so(cast, tmp_path):
    """The same file twice: everything unchanged the second time (encrypted columns included)."""
    path = _write(tmp_path, "a.csv", to_csv(sample_rows()))
    first = run_import(path, user=cast["county"])
    assert first.counts.households_created == 2 and first.counts.members_created == 6
    before = list(Member.objects.values_list("id_number_enc", "health_enc", "version").order_by("id"))
    second = run_import(path, user=cast["county"])
    c = second.counts
    assert (c.households_unchanged, c.members_unchanged, c.changed) == (2, 6, False)
    assert "没有任何变化" in second.summary()
    assert list(Member.objects.values_list("id_number_enc", "health_enc", "version").order_by("id")) == before
    events = AuditEvent.objects.filter(object_type="registry.household", object_repr="导入贫困户信息")
    assert [e.action for e in events.order_by("id")] == ["create", "other"]
    assert "6325" not in str(events.last().changes)  # counts only, no personal data


def test_it_updates_a_changed_row(cast, tmp_path):
    """A changed value updates that member (and only it); a new member is added to its household."""
    rows = sample_rows()
    run_import(_write(tmp_path, "a.csv", to_csv(rows)), user=cast["county"])
    rows[1]["务工时间(月)"] = "8"
    rows.append(member_row(f"{VILLAGE}00001", 40, head=False))
    result = run_import(_write(tmp_path, "b.csv", to_csv(rows)), user=cast["county"])
    c = result.counts
    assert (c.members_created, c.members_updated, c.members_unchanged) == (1, 1, 5)
    assert Household.objects.get(number=f"{VILLAGE}00001").member_count == 4


def test_it_refuses_two_heads_and_an_id_of_another_household(cast, tmp_path):
    """One head per household; an ID already registered in another household is refused."""
    run_import(_write(tmp_path, "a.csv", to_csv(sample_rows(households=1))), user=cast["county"])
    existing = Member.objects.get(name="成员1")
    rows = sample_rows(households=3)[3:]
    rows[1]["与户主关系"] = "户主"  # household 1: two heads
    rows.append(member_row(f"{VILLAGE}00002", 1, head=False))  # 成员1's ID, now in household 2
    result = run_import(_write(tmp_path, "b.csv", to_csv(rows)), user=cast["county"], dry_run=True)
    found = {(e.line, e.column): e.reason for e in result.errors}
    assert "应有且只有一名户主,现有 2 名" in found[(2, "与户主关系")]
    assert "该身份证号已在兴海县登记" in found[(8, "身份证号")]
    assert Member.objects.get(pk=existing.pk).household.number == f"{VILLAGE}00000"


def test_it_rejects_a_file_with_formulas(cast, tmp_path):
    """A formula cell refuses the whole file, nothing written."""
    path = _write(tmp_path, "a.xlsx", to_xlsx(sample_rows(), formula=True))
    with pytest.raises(FileRejected, match="公式"):
        run_import(path, user=cast["county"])
    assert _nothing_written()


def test_it_rejects_a_zip_bomb(cast, tmp_path, settings):
    """A highly compressible entry (or a huge declared size) is refused before anything is read."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (50 * 1024 * 1024))
    path = _write(tmp_path, "bomb.xlsx", buffer.getvalue())
    assert path.stat().st_size < 1024 * 1024
    with pytest.raises(FileRejected, match="压缩炸弹"):
        run_import(path, user=cast["county"])
    settings.FUPIN_IMPORT_MAX_UNCOMPRESSED = 10 * 1024 * 1024
    with pytest.raises(FileRejected, match="压缩炸弹"):
        run_import(path, user=cast["county"])
    assert _nothing_written()


def test_it_rejects_an_oversize_file(cast, tmp_path, settings):
    """A file over FUPIN_IMPORT_MAX_BYTES is refused with its size and the limit."""
    settings.FUPIN_IMPORT_MAX_BYTES = 100
    path = _write(tmp_path, "a.csv", to_csv(sample_rows()))
    with pytest.raises(FileRejected, match="超过上限"):
        run_import(path, user=cast["county"])
    assert _nothing_written()


def test_it_rejects_unknown_and_missing_headers_naming_them(cast, tmp_path):
    """Unknown and missing columns are named in the message."""
    data = to_csv(sample_rows()).decode().replace("民族", "族别", 1).replace(",身份证号", ",", 1)
    with pytest.raises(FileRejected) as caught:
        run_import(_write(tmp_path, "a.csv", data.encode()), user=cast["county"])
    assert "族别" in caught.value.message and "身份证号" in caught.value.message
    assert _nothing_written()


def test_it_reads_rows_lazily_in_bounded_batches(cast, tmp_path, monkeypatch):
    """Rows come from a generator, and at most one batch is held at a time (the staging path:
    test_import_direct has the fast path's batches)."""
    path = _write(tmp_path, "a.csv", to_csv(sample_rows(households=5)))
    source = open_source(path)
    assert isinstance(source.rows, types.GeneratorType)
    sizes = []
    real = importer._stage_batch
    monkeypatch.setattr(
        importer, "_stage_batch", lambda batch, *a: (sizes.append(len(batch)), real(batch, *a))
    )
    result = run_import(path, user=cast["county"], batch_size=4, partial=True)
    assert result.error_count == 0 and max(sizes) == 4 and sum(sizes) == 15


def _calamine_rows(path) -> list:
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    top, left = sheet.start if sheet.start else (0, 0)
    rows = []
    for number, row in enumerate(sheet.iter_rows(), start=top + 1):
        values = [None] * left + [None if v == "" else v for v in row]
        while values and values[-1] is None:
            values.pop()
        if values:
            rows.append((number, values))
    return rows


def _streamed_rows(path) -> list:
    rows = []
    for number, row in open_first_sheet(path):
        values = [None if v == "" else v for v in row]
        while values and values[-1] is None:
            values.pop()
        rows.append((number, values))
    return rows


def test_the_streaming_xlsx_reader_reads_what_calamine_reads(tmp_path):
    """Shared and inline strings, entities, rich text, numbers, booleans, dates, gaps, empty rows:
    the same values and row numbers as python-calamine (which loads the whole sheet)."""
    import openpyxl
    import xlsxwriter

    path = tmp_path / "openpyxl.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["a", "b & <c>", 1, 2.5, True, datetime.date(1990, 1, 2), datetime.datetime(1990, 1, 2, 3, 4)]
    )
    sheet.append([])
    sheet.append(["中文", None, None, 13800138000, "632524199001011234", "x\ny", " sp "])
    sheet.append(["text", None, "only", "x_x000D_y", "a\r\nb", "", "中文"])  # text cells alone, with gaps
    sheet["Z10"] = "far"
    book.save(path)
    assert _streamed_rows(path) == _calamine_rows(path)

    path = tmp_path / "xlsxwriter.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 1, ["h1", "h2", "h3"])
    sheet.write_row(3, 1, ["x&y", 3, "<tag>"])
    sheet.write_rich_string(4, 0, "plain ", book.add_format({"bold": True}), "bold", " end")
    sheet.write_datetime(5, 0, datetime.datetime(2001, 2, 3), book.add_format({"num_format": "yyyy年m月d日"}))
    sheet.write_boolean(5, 1, False)
    sheet.write_number(6, 3, 1.1)
    sheet.write_string(7, 0, "a\r\nb")
    book.close()
    assert _streamed_rows(path) == _calamine_rows(path)

    path = tmp_path / "inline.xlsx"
    path.write_bytes(to_xlsx(sample_rows(households=2)))
    assert _streamed_rows(path) == _calamine_rows(path)


def test_it_reads_an_xlsx_lazily(cast, tmp_path):
    """The .xlsx rows come from a generator too (the sheet is never loaded whole)."""
    path = _write(tmp_path, "a.xlsx", to_xlsx(sample_rows(households=3)))
    source = open_source(path)
    assert isinstance(source.rows, types.GeneratorType)
    assert [line for line, _cells in source.rows] == list(range(2, 11))


def test_it_rejects_an_xlsx_with_a_dtd(cast, tmp_path):
    """Entity declarations (billion laughs) refuse the file before any XML is parsed."""
    data = io.BytesIO(to_xlsx(sample_rows()))
    out = io.BytesIO()
    with zipfile.ZipFile(data) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/workbook.xml":
                body = body.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "aaaa">]>', 1)
            dst.writestr(info, body)
    with pytest.raises(FileRejected, match="损坏"):
        run_import(_write(tmp_path, "a.xlsx", out.getvalue()), user=cast["county"])
    assert _nothing_written()


def test_the_fast_paths_give_the_same_results():
    """The 11-digit mobile fast path and the ID fast path agree with the general code."""
    import random

    from django.core.exceptions import ValidationError

    from fupin.core import validators
    from fupin.registry.idnumbers import make_id_number, normalize_id_number, parse_id_number

    def verdict(function, value):
        try:
            return function(value)
        except ValidationError as exc:
            return exc.code

    rnd = random.Random(7)
    fast = validators._fast_mobile
    numbers = [f"1{rnd.randint(0, 10**10 - 1):010d}" for _ in range(3000)]
    numbers += [f"1{p:02d}{rnd.randint(0, 10**8 - 1):08d}" for p in range(100) for _ in range(20)]
    quick = [verdict(validators.mobile_phone, n) for n in numbers]
    try:
        validators._fast_mobile = lambda _number: False
        assert [verdict(validators.mobile_phone, n) for n in numbers] == quick
    finally:
        validators._fast_mobile = fast
    for _ in range(2000):
        body = make_id_number(
            area_code="632524",
            birth_date=datetime.date(1900, 1, 1) + datetime.timedelta(days=rnd.randint(0, 45000)),
            sequence=rnd.randint(0, 499),
            male=rnd.random() < 0.5,
        )
        for raw in (body, body[:-1] + rnd.choice("0123456789Xx"), body.lower()):
            assert verdict(parse_id_number, raw) == verdict(parse_id_number, " " + normalize_id_number(raw))
