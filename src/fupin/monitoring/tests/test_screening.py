"""部门筛查预警 (monitoring.screening): a department's own list read with a remembered column mapping,
its people matched to 兴海县's registered members by the ID number's keyed index, the unmatched and
bad rows reported masked, the rules writing the batch's leads; the pages, the job and the API.

The world: 扎西 (HEAD_ID) and 卓玛 (WIFE_ID) of 民族村 (a 低保户), 王芳 of 宁曲村, 李强 (OTHER_ID)
of 泾川县, whose county officer is the cast's `outsider`.
"""

import csv
import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fupin.monitoring import screening
from fupin.monitoring.choices import Channel, Source
from fupin.monitoring.models import ColumnMapping, Lead, ScreeningBatch, ScreeningRow
from fupin.registry.importing.readers import FileRejected, Table
from fupin.testing import HEAD_ID, OTHER_ID, WIFE_ID, XINGHAI, person_id, xlsx_rows

WORLD_LAYERS = ("households",)

HEADERS = ["序号", "姓名", "公民身份号码", "总费用", "个人自付金额(元)", "结算日期", "就诊类型"]
MAPPING = {
    "id_number": "公民身份号码",
    "name": "姓名",
    "amount": "个人自付金额(元)",
    "event_date": "结算日期",
    "event": "就诊类型",
}
NOBODY = person_id(99)  # valid, and nobody registered has it
BAD_CHECK = HEAD_ID[:17] + ("0" if HEAD_ID[17] != "0" else "1")


def period() -> str:
    return f"{timezone.localdate():%Y-%m}"


def write_csv(tmp_path, rows, headers=HEADERS, name="医保.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    with open(path, "w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh)
        out.writerow(headers)
        out.writerows(rows)
    return path


def medical_rows():
    """Row 2 扎西 with a large bill, 3 卓玛 (number typed with spaces and a lower-case x would be
    normalised), 4 李强 of another county, 5 nobody registered, 6 a wrong check digit, 7 扎西 again
    with a bad amount and a bad date, then a blank line."""
    return [
        ["1", "扎西", HEAD_ID, "30000", "12,345.50", "2026-01-15", "住院"],
        ["2", "卓玛", f" {WIFE_ID[:6]} {WIFE_ID[6:]} ", "800", "300", "2026/1/20", "门诊慢特病"],
        ["3", "李强", OTHER_ID, "500", "200", "2026-01-21", "门诊"],
        ["4", "张三", NOBODY, "100", "50", "2026-01-22", "门诊"],
        ["5", "错号", BAD_CHECK, "100", "50", "2026-01-22", "门诊"],
        ["6", "扎西", HEAD_ID, "100", "待核", "昨天", "门诊"],
        ["", "", "", "", "", "", ""],
    ]


def run(world, path, *, by=None, mapping=MAPPING, source=Source.MEDICAL, county=XINGHAI, **kw):
    return screening.import_list(
        by=world["county"] if by is None else by,
        source=source,
        county=county,
        period=period(),
        upload=path,
        mapping=mapping,
        **kw,
    )


# --- columns ------------------------------------------------------------------------------------


def test_the_mapping_is_guessed_from_common_headers():
    assert screening.guess_mapping(screening.file_headers(HEADERS)) == MAPPING
    other = screening.file_headers(["证件号码", "人员姓名", "救助金额(元)", "救助类别", "审批日期"])
    assert screening.guess_mapping(other) == {
        "id_number": "证件号码",
        "name": "人员姓名",
        "amount": "救助金额(元)",
        "event": "救助类别",
        "event_date": "审批日期",
    }
    # A header containing the word, once; a header is used for one field only.
    assert screening.guess_mapping(["居民身份证号码(18位)", "姓名"]) == {
        "id_number": "居民身份证号码(18位)",
        "name": "姓名",
    }


def test_the_first_upload_asks_for_the_columns_then_they_are_remembered(world, tmp_path):
    path = write_csv(tmp_path, medical_rows())
    with pytest.raises(screening.MappingNeeded) as asked:
        run(world, path, mapping=None)
    assert asked.value.guess == MAPPING and asked.value.headers == HEADERS and not asked.value.missing
    assert "首次上传" in asked.value.message
    assert not ScreeningBatch.objects.exists() and not ColumnMapping.objects.exists()

    run(world, path)
    saved = ColumnMapping.objects.get(source=Source.MEDICAL, county_id=XINGHAI)
    assert saved.mapping == MAPPING

    again = run(world, path, mapping=None)  # the saved mapping, nothing asked
    assert again.rows == 6
    # Another department of the same county still has to be mapped.
    with pytest.raises(screening.MappingNeeded):
        run(world, path, mapping=None, source=Source.CIVIL)

    # The department renamed a column: asked again, naming it, the rest of the mapping kept.
    renamed = write_csv(
        tmp_path, medical_rows(), [h.replace("结算日期", "出院日期") for h in HEADERS], "新.csv"
    )
    with pytest.raises(screening.MappingNeeded) as asked:
        run(world, renamed, mapping=None)
    assert asked.value.missing == ["结算日期"]
    assert asked.value.guess == {**MAPPING, "event_date": "出院日期"}
    assert "结算日期" in asked.value.message


def test_a_mapping_without_the_id_column_or_naming_a_missing_header_is_refused(world, tmp_path):
    path = write_csv(tmp_path, medical_rows())
    with pytest.raises(ValidationError) as refused:
        run(world, path, mapping={"name": "姓名", "amount": "不存在的列"})
    errors = refused.value.message_dict
    assert errors["id_number"] == ["请选择“身份证号”所在的列"]
    assert errors["amount"] == ["文件中没有“不存在的列”列"]
    with pytest.raises(ValidationError) as twice:
        run(world, path, mapping={"id_number": "公民身份号码", "name": "公民身份号码"})
    assert "一列只能对应一项" in twice.value.message_dict["name"][0]
    assert not ScreeningBatch.objects.exists() and not ColumnMapping.objects.exists()


# --- matching -----------------------------------------------------------------------------------


def _all_stored_text() -> str:
    """Every row of every table, as text (the test database is small)."""
    parts = []
    for model in apps.get_models():
        if model._meta.managed and not model._meta.proxy:
            parts.extend(str(row) for row in model._base_manager.values_list())
    return "\n".join(parts)


@pytest.mark.parametrize("whole_county", [False, True], ids=["chunk-look-ups", "county-read-once"])
def test_rows_are_matched_by_keyed_index_and_the_rest_reported_masked(
    world, tmp_path, monkeypatch, whole_county
):
    # PostgreSQL reads the county's members once for a long list; here for a short one too.
    monkeypatch.setattr(screening, "WHOLE_COUNTY_ROWS", 0 if whole_county else 10**9)
    batch = run(world, write_csv(tmp_path, medical_rows()))
    zhaxi = world["zhaxi"]
    assert (batch.rows, batch.matched, batch.unmatched) == (6, 2, 3)
    rows = {r.row_number: r for r in ScreeningRow.objects.filter(batch=batch)}
    assert sorted(rows) == [2, 3, 4, 5, 6, 7]  # the blank line is not a row
    assert rows[2].household_id == zhaxi.pk and rows[2].amount == Decimal("12345.50")
    assert rows[2].name_masked == "扎*" and rows[2].event == "住院"
    assert rows[2].event_date == datetime.date(2026, 1, 15) and rows[2].values == {}
    assert rows[3].household_id == zhaxi.pk and rows[3].event_date == datetime.date(2026, 1, 20)
    assert {rows[3].member_id, rows[2].member_id} == set(zhaxi.members.values_list("id", flat=True))
    for line in (4, 5, 6):
        assert rows[line].member_id is None and rows[line].household_id is None
    # A bad cell: the row is kept (and matched), the cell left empty, the problem named.
    assert rows[7].household_id == zhaxi.pk and rows[7].amount is None and rows[7].event_date is None

    lines = list(screening.report_lines(batch))
    assert [(line, column) for line, _n, _id, column, _r in lines] == [
        (4, "公民身份号码"),
        (5, "公民身份号码"),
        (6, "公民身份号码"),
        (7, "个人自付金额(元)"),
        (7, "结算日期"),
    ]
    by_line = {(line, column): (name, masked, reason) for line, name, masked, column, reason in lines}
    assert by_line[(4, "公民身份号码")] == (
        "李*",
        OTHER_ID[:4] + "*" * 10 + OTHER_ID[-4:],
        "此人不是本县登记的扶贫对象",
    )
    assert by_line[(5, "公民身份号码")][2] == "未在扶贫对象登记中找到此人"
    assert "待核" in by_line[(7, "个人自付金额(元)")][2] and "昨天" in by_line[(7, "结算日期")][2]

    # The clear ID numbers are nowhere in the database; their keyed index is.
    stored = _all_stored_text()
    for number in (HEAD_ID, WIFE_ID, OTHER_ID, NOBODY, BAD_CHECK):
        assert number not in stored
    assert ScreeningRow.objects.filter(id_number_bidx=screening.crypto.blind_index("id", NOBODY)).exists()


def test_an_invalid_id_number_is_a_row_and_column_error_in_chinese(world, tmp_path):
    batch = run(world, write_csv(tmp_path, medical_rows()))
    line, name, masked, column, reason = next(x for x in screening.report_lines(batch) if x[0] == 6)
    assert (line, name, column) == (6, "错*", "公民身份号码")
    assert reason == "身份证号校验码不正确,请核对"
    assert masked == BAD_CHECK[:4] + "*" * 10 + BAD_CHECK[-4:]
    row = ScreeningRow.objects.get(batch=batch, row_number=6)
    assert row.id_number_bidx == "" and row.member_id is None


def test_an_xlsx_list_with_numbers_and_dates_is_read(world, tmp_path):
    path = tmp_path / "民政.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for col, header in enumerate(["证件号码", "姓名", "救助金额", "审批日期", "救助类别"]):
        sheet.write_string(0, col, header)
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_string(1, 0, WIFE_ID)
    sheet.write_string(1, 1, "卓玛")
    sheet.write_number(1, 2, 1200.5)
    sheet.write_datetime(1, 3, datetime.datetime(2026, 2, 1), dates)
    sheet.write_string(1, 4, "临时救助")
    sheet.write_number(2, 0, float(HEAD_ID[:15]))  # an ID saved as a number: its last digits are lost
    book.close()
    batch = run(
        world,
        path,
        source=Source.CIVIL,
        mapping={
            "id_number": "证件号码",
            "name": "姓名",
            "amount": "救助金额",
            "event_date": "审批日期",
            "event": "救助类别",
        },
    )
    assert (batch.rows, batch.matched, batch.unmatched) == (2, 1, 1)
    row = ScreeningRow.objects.get(batch=batch, row_number=2)
    assert (row.amount, row.event_date, row.event) == (
        Decimal("1200.50"),
        datetime.date(2026, 2, 1),
        "临时救助",
    )
    [(_line, _name, _masked, _column, reason)] = screening.report_lines(batch)
    assert "保存成了数字" in reason


def test_a_gbk_csv_is_read(world, tmp_path):
    path = write_csv(tmp_path, [["1", "扎西", HEAD_ID, "1", "2", "2026-01-01", "住院"]], encoding="gb18030")
    assert run(world, path).matched == 1


# --- refusals -----------------------------------------------------------------------------------


def test_a_file_that_is_not_a_spreadsheet_is_refused_in_chinese(world, tmp_path):
    pdf = tmp_path / "名单.pdf"
    pdf.write_bytes(b"%PDF-1.4 not a list")
    with pytest.raises(ValidationError) as refused:
        run(world, pdf)
    assert refused.value.message_dict["file"] == [
        "只能上传 .xlsx 或 .csv 文件(部门导出的表格),当前文件是“.pdf”。"
    ]
    fake = tmp_path / "名单.xlsx"
    fake.write_bytes(b"just text, not a workbook")
    with pytest.raises(ValidationError) as refused:
        run(world, fake)
    assert refused.value.message_dict["file"] == ["文件不是有效的 Excel(.xlsx)文件。"]
    assert not ScreeningBatch.objects.exists() and not ColumnMapping.objects.exists()


def test_a_file_refused_halfway_writes_nothing(world, tmp_path, monkeypatch):
    path = write_csv(tmp_path, medical_rows())
    real = screening.open_table

    def broken(*args, **kwargs):
        table = real(*args, **kwargs)

        def rows():
            yield from list(table.rows)[:2]
            raise FileRejected("CSV 文件第 4 行附近格式有误,无法读取。")

        return Table(table.kind, table.encoding, table.header, rows())

    monkeypatch.setattr(screening, "open_table", broken)
    monkeypatch.setattr(screening, "CHUNK", 1)  # the first rows are written before the refusal
    with pytest.raises(ValidationError) as refused:
        run(world, path)
    assert refused.value.message_dict["file"] == ["CSV 文件第 4 行附近格式有误,无法读取。"]
    assert not ScreeningBatch.objects.exists() and not ScreeningRow.objects.exists()
    assert not ColumnMapping.objects.exists()


def test_period_source_and_county_are_checked(world, tmp_path):
    path = write_csv(tmp_path, medical_rows())
    with pytest.raises(ValidationError) as refused:
        screening.import_list(
            by=world["county"],
            source="tax",
            county="632524203",
            period="2026-13",
            upload=path,
            mapping=MAPPING,
        )
    errors = refused.value.message_dict
    assert errors["source"] == ["请选择数据来源部门"]
    assert errors["period"] == ["数据期间应为年-月,如 2026-03"]
    assert errors["county"] == ["请选择县(市、区)"]


def test_another_countys_officer_and_a_village_cadre_are_refused(world, tmp_path):
    path = write_csv(tmp_path, medical_rows())
    for user in (world["outsider"], world["cadre"]):
        with pytest.raises(PermissionDenied):
            run(world, path, by=user)
    assert not ScreeningBatch.objects.exists()
    # The outsider may screen 泾川县's lists: 李强 matches there, 扎西 does not.
    batch = run(world, path, by=world["outsider"], county="620821")
    assert batch.matched == 1 and batch.unmatched == 5


# --- the leads ----------------------------------------------------------------------------------


def test_the_rules_write_the_batchs_leads(world, tmp_path):
    """扎西's household is a 低保户 (low income): 12,345.50 元 self-paid is over the 10,000 元 of the
    seeded 医保 rule; the lead names the batch and counts as the batch's hit."""
    pytest.importorskip("fupin.monitoring.rules")
    batch = run(world, write_csv(tmp_path, medical_rows()))
    lead = Lead.objects.get(household=world["zhaxi"], channel=Channel.DEPARTMENT)
    assert lead.screening_id == batch.pk
    assert batch.hits == 1
    assert ScreeningBatch.objects.get(pk=batch.pk).hits == 1


# --- pages --------------------------------------------------------------------------------------


def _upload(client, path, source=Source.MEDICAL):
    with open(path, "rb") as fh:
        return client.post(
            reverse("monitoring:screening_upload"),
            {"county": XINGHAI, "source": source, "period": period(), "file": fh},
        )


def test_the_web_upload_asks_the_columns_once_and_runs_as_a_job(county_client, world, tmp_path):
    path = write_csv(tmp_path, medical_rows())
    assert county_client.get(reverse("monitoring:screening_upload")).status_code == 200
    answer = _upload(county_client, path)
    assert answer.status_code == 302 and "/columns/" in answer.url
    page = county_client.get(answer.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "公民身份号码" in text and "首次上传" in text
    assert page.context["form"]["id_number"].value() == "公民身份号码"  # the guess, preselected
    done = county_client.post(answer.url, {**MAPPING, "amount": "个人自付金额(元)"})
    assert done.status_code == 302 and "/jobs/" in done.url
    job_page = county_client.get(done.url)
    assert "匹配 2 人" in job_page.content.decode()
    batch = ScreeningBatch.objects.get()
    assert batch.uploaded_by == world["county"] and batch.job_id is not None
    assert not (tmp_path / "media" / "screening" / str(batch.job_id)).exists()  # the upload is gone

    # The second file of the same department goes straight to the job.
    again = _upload(county_client, path)
    assert "/jobs/" in again.url and ScreeningBatch.objects.count() == 2

    detail = county_client.get(reverse("monitoring:screening_batch", args=[batch.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "此人不是本县登记的扶贫对象" in body and OTHER_ID not in body
    report = county_client.get(reverse("monitoring:screening_report", args=[batch.pk]))
    sheet = xlsx_rows(report)
    assert sheet[0] == ["行号", "姓名", "身份证号", "列", "原因"]
    assert [r[0] for r in sheet[1:]] == [4, 5, 6, 7, 7]
    assert OTHER_ID not in str(sheet) and OTHER_ID[-4:] in sheet[1][2]

    listing = county_client.get(reverse("monitoring:screening_list"))
    assert listing.status_code == 200 and "医保.csv" in listing.content.decode()


def test_a_bad_file_is_refused_on_the_form(county_client, tmp_path):
    pdf = tmp_path / "名单.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    answer = _upload(county_client, pdf)
    assert answer.status_code == 200
    assert "只能上传 .xlsx 或 .csv 文件" in answer.content.decode()
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    answer = _upload(county_client, empty)
    assert answer.status_code == 200 and answer.context["form"].errors["file"]
    assert not ScreeningBatch.objects.exists()


def test_the_outsider_sees_no_batch_of_xinghai(client, world, tmp_path):
    batch = run(world, write_csv(tmp_path, medical_rows()))
    client.force_login(world["outsider"])
    assert client.get(reverse("monitoring:screening_batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("monitoring:screening_report", args=[batch.pk])).status_code == 404
    assert "医保.csv" not in client.get(reverse("monitoring:screening_list")).content.decode()
    with open(write_csv(tmp_path, medical_rows(), name="b.csv"), "rb") as fh:
        refused = client.post(
            reverse("monitoring:screening_upload"),
            {"county": XINGHAI, "source": Source.MEDICAL, "period": period(), "file": fh},
        )
    assert refused.status_code in (200, 403)
    assert ScreeningBatch.objects.count() == 1


# --- API ----------------------------------------------------------------------------------------


def _api_post(client, path, **fields):
    with open(path, "rb") as fh:
        data = {"source": Source.MEDICAL, "county": XINGHAI, "period": period(), "file": fh, **fields}
        return client.post("/api/monitoring/screening", data)


def test_the_api_upload(county_client, world, tmp_path):
    path = write_csv(tmp_path, medical_rows())
    asked = _api_post(county_client, path)
    assert asked.status_code == 409
    body = asked.json()
    assert "guess" in body, body
    assert body["guess"] == MAPPING and body["headers"] == HEADERS and "首次上传" in body["detail"]

    created = _api_post(county_client, path, mapping=json.dumps(MAPPING, ensure_ascii=False))
    assert created.status_code == 201, created.content
    batch = created.json()
    assert (batch["rows"], batch["matched"], batch["unmatched"]) == (6, 2, 3)
    assert batch["source"] == "medical" and batch["county_code"] == XINGHAI

    # The mapping is remembered.
    assert _api_post(county_client, path).status_code == 201
    got = county_client.get(f"/api/monitoring/screening/{batch['id']}")
    assert got.status_code == 200 and got.json()["matched"] == 2
    listed = county_client.get("/api/monitoring/screening")
    assert listed.status_code == 200 and listed.json()["count"] == 2

    bad = _api_post(county_client, path, mapping='{"id_number": "没有这一列"}')
    assert bad.status_code == 422 and "没有这一列" in bad.json()["detail"]
    not_json = _api_post(county_client, path, mapping="身份证号")
    assert not_json.status_code == 422
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(b"%PDF")
    refused = _api_post(county_client, pdf)
    assert refused.status_code == 422 and "只能上传 .xlsx 或 .csv 文件" in refused.json()["detail"]


def test_the_api_refuses_another_county(client, world, tmp_path):
    batch = run(world, write_csv(tmp_path, medical_rows()))
    client.force_login(world["outsider"])
    assert client.get(f"/api/monitoring/screening/{batch.pk}").status_code == 404
    assert client.get("/api/monitoring/screening").json()["count"] == 0
    path = write_csv(tmp_path, medical_rows(), name="b.csv")
    answer = _api_post(client, path, mapping=json.dumps(MAPPING))
    assert answer.status_code == 403
    assert ScreeningBatch.objects.count() == 1


def test_report_of_a_batch_with_nothing_wrong(world, tmp_path):
    batch = run(world, write_csv(tmp_path, [["1", "扎西", HEAD_ID, "1", "2", "2026-01-01", "住院"]]))
    assert list(screening.report_lines(batch)) == []
    sheet = screening.report_sheet(batch)
    assert sheet.count == 0
