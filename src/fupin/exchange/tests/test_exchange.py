"""The exchange with the national system (issue 14 part 4) and the 监测对象名单.

The world (fupin.testing's households): 扎西 and 卓玛 of 民族村 (incomes to 2019: 人均 5,500; the 2019
check found the house unsafe), 王芳 of 宁曲村, 李强 of 泾川县 (the outsider's county). 扎西's
household is a 脱贫不稳定户 with two risks (因病, 因自然灾害); 王芳's an 边缘易致贫户 whose risk was
eliminated. Files are made through the job queue (immediate in tests) and read back.
"""

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fupin.accounts.tokens import token_issue
from fupin.audit.models import AuditEvent
from fupin.exchange import layout, returns, tasks
from fupin.exchange.models import Difference, ReturnRun
from fupin.jobs.models import Job
from fupin.jobs.services import job_file
from fupin.monitoring.choices import DisasterKind, EliminationKind, ObjectStatus, ObjectType
from fupin.monitoring.models import MonitoringObject, ObjectRisk
from fupin.regions.models import Region
from fupin.testing import HEAD_ID, OTHER_ID, WIFE_ID, person_id

D = datetime.date
XINGHAI = "632524"


def _object(household, type_, risks, identified, **fields):
    obj = MonitoringObject.objects.create(household=household, type=type_, identified_on=identified, **fields)
    for order, (risk, kind) in enumerate(risks):
        ObjectRisk.objects.create(object=obj, risk=risk, disaster_kind=kind, order=order)
    return obj


def build(made):
    _object(
        made["zhaxi"],
        ObjectType.UNSTABLE,
        [("illness", ""), ("disaster", DisasterKind.FLOOD)],
        D(2025, 6, 1),
        former_poor=True,
    )
    _object(
        made["wang"],
        ObjectType.MARGINAL,
        [("job_instability", "")],
        D(2025, 1, 10),
        status=ObjectStatus.ELIMINATED,
        elimination_kind=EliminationKind.ASSISTED,
        eliminated_on=D(2025, 12, 20),
    )
    _object(made["li"], ObjectType.SUDDEN, [("accident", "")], D(2025, 3, 3))
    return {}


WORLD_LAYERS = ("households", build)


def _export(user, what="members", fmt="xlsx", area=XINGHAI, **options) -> Path:
    job = tasks.start_export(user=user, area=area, what=what, fmt=fmt, **options)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    return job_file(job)


def _sheet(path: Path) -> list[list]:
    book = openpyxl.load_workbook(path, read_only=True)
    return [list(r) for r in book.active.iter_rows(values_only=True)]


def _csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _by_name(rows: list[list], header: list[str]) -> dict:
    index = header.index("姓名")
    return {r[index]: dict(zip(header, r, strict=True)) for r in rows}


def _return(user, content: bytes, name="回传.csv", county=XINGHAI):
    job = tasks.start_return(
        user=user, county=Region.objects.get(code=county), upload=SimpleUploadedFile(name, content)
    )
    job.refresh_from_db()
    return job, ReturnRun.objects.get(pk=job.result["run"]) if job.result else None


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _differences(run) -> list[tuple]:
    return sorted(
        (d.kind, d.row or 0, d.column, d.name, d.ours, d.theirs) for d in Difference.objects.filter(run=run)
    )


# --- the export ----------------------------------------------------------------------------------


def test_the_households_file_has_the_layouts_headers_codes_and_masks(cast):
    rows = _sheet(_export(cast["county"]))
    header = rows[0]
    assert header == layout.headers("members")
    people = _by_name(rows[1:], header)
    assert set(people) == {"扎西", "卓玛", "王芳"}  # not 李强 of 泾川县
    zhaxi = people["扎西"]
    assert zhaxi["证件号码"] == HEAD_ID[:4] + "*" * 10 + HEAD_ID[-4:]
    assert zhaxi["健康状况"] == "***"
    assert zhaxi["联系电话"] == "138****4321"
    assert (zhaxi["性别"], zhaxi["与户主关系"], zhaxi["贫困户属性"], zhaxi["主要致贫原因"]) == (
        "男",
        "户主",
        "低保户",
        "因病",
    )
    assert zhaxi["人均纯收入"] == 5500  # a number: (9,000 + 2,000) / 2 people, 2019
    assert zhaxi["是否危房"] == "是"  # the 2019 check: 住房安全 not met
    assert zhaxi["家庭人口数"] == 2
    assert zhaxi["行政区划代码"] == "632524203207"
    assert (zhaxi["县"], zhaxi["乡"], zhaxi["村"]) == ("兴海县", "唐乃亥乡", "民族村")
    assert zhaxi["人编号"] == zhaxi["户编号"] + "01"
    assert people["卓玛"]["人编号"] == zhaxi["户编号"] + "02"
    assert people["王芳"]["是否危房"] is None  # never checked


def test_a_clear_file_needs_the_permission_and_a_purpose_and_is_audited(cast):
    with pytest.raises(PermissionDenied):
        tasks.start_export(user=cast["county"], area=XINGHAI, what="members", clear=True, purpose=" ")
    with pytest.raises(PermissionDenied):  # a village cadre may not reveal
        tasks.start_export(
            user=cast["cadre"], area="632524203207", what="members", clear=True, purpose="核对"
        )
    before = AuditEvent.objects.filter(action="export").count()
    rows = _csv(_export(cast["county"], fmt="csv", clear=True, purpose="国家系统年度核对"))
    people = _by_name(rows[1:], rows[0])
    assert people["扎西"]["证件号码"] == HEAD_ID
    assert people["扎西"]["健康状况"] == "患有大病"
    event = AuditEvent.objects.filter(action="export").order_by("-id").first()
    assert AuditEvent.objects.filter(action="export").count() == before + 1
    assert event.changes["masked"] is False
    assert event.changes["count"] == 3
    assert event.changes["purpose"] == "国家系统年度核对"
    assert event.changes["list"] == "exchange.members"


def test_the_csv_is_utf8_with_a_bom(cast):
    path = _export(cast["county"], fmt="csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert _csv(path)[0] == layout.headers("members")


def test_the_objects_file_holds_each_objects_people(cast):
    rows = _sheet(_export(cast["county"], what="objects"))
    assert rows[0] == layout.headers("objects")
    people = _by_name(rows[1:], rows[0])
    assert set(people) == {"扎西", "卓玛", "王芳"}
    assert people["扎西"]["监测对象类型"] == "脱贫不稳定户"
    assert people["扎西"]["风险原因"] == "因病、因自然灾害"
    assert people["扎西"]["识别监测时间"] == datetime.datetime(2025, 6, 1)
    assert people["王芳"]["风险是否消除"] == "是"
    assert people["王芳"]["风险消除时间"] == datetime.datetime(2025, 12, 20)


def test_the_roster_is_a_printable_form(cast):
    path = _export(cast["county"], what="roster", unit="兴海县乡村振兴局")
    assert path.name.startswith("兴海县_防止返贫监测对象名单_")
    book = openpyxl.load_workbook(path)
    ws = book.active
    assert ws["A1"].value == "兴海县防止返贫监测对象名单"
    width = len(layout.OBJECTS)
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"A1:{openpyxl.utils.get_column_letter(width)}1" in merged
    assert [c.value for c in ws[3]] == layout.headers("objects")
    names = [ws.cell(row=r, column=layout.OBJECTS.index("name") + 1).value for r in range(4, 7)]
    assert sorted(names) == ["卓玛", "扎西", "王芳"]
    assert ws.cell(row=4, column=layout.OBJECTS.index("id_number") + 1).value.count("*") == 10
    footer = [c.value for row in ws.iter_rows(min_row=7) for c in row if c.value]
    assert "填报单位:兴海县乡村振兴局" in footer
    assert any(str(v).startswith("填报日期:") for v in footer)
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$1:$3"


def test_the_outsider_exports_nothing_of_xinghai(cast):
    with pytest.raises(PermissionDenied):
        tasks.start_export(user=cast["outsider"], area=XINGHAI, what="members")
    rows = _sheet(_export(cast["outsider"], area="620821"))
    assert [r[rows[0].index("姓名")] for r in rows[1:]] == ["李强"]


# --- returns -------------------------------------------------------------------------------------


def _clear_file(cast) -> list[list[str]]:
    return _csv(_export(cast["county"], fmt="csv", clear=True, purpose="回传比对测试"))


def test_our_own_file_read_back_as_a_return_differs_in_nothing(cast):
    job, run = _return(cast["county"], _export_bytes(cast))
    assert job.state == Job.State.DONE, job.error
    assert _differences(run) == []
    assert (run.rows, run.matched, run.state) == (3, 3, ReturnRun.State.DONE)


def _export_bytes(cast) -> bytes:
    return _export(cast["county"], fmt="csv", clear=True, purpose="回传比对测试").read_bytes()


def test_an_xlsx_return_round_trips_too(cast):
    path = _export(cast["county"], clear=True, purpose="回传比对测试")
    _job, run = _return(cast["county"], path.read_bytes(), name="回传.xlsx")
    assert _differences(run) == []
    assert run.matched == 3


def test_a_changed_cell_is_exactly_that_difference(cast):
    rows = _clear_file(cast)
    header = rows[0]
    line = next(i for i, r in enumerate(rows) if r[header.index("姓名")] == "卓玛")
    rows[line][header.index("文化程度")] = "02"  # the national code of 小学
    rows[line][header.index("人编号")] = "X99"  # their own number for her
    _job, run = _return(cast["county"], _csv_bytes(rows))
    assert _differences(run) == [
        ("changed", line + 1, "文化程度", "卓玛", "", "小学"),
        ("code", line + 1, "人编号", "卓玛", rows[line][header.index("户编号")] + "02", "X99"),
    ]
    assert (run.changed, run.codes) == (1, 1)
    theirs = Difference.objects.get(run=run, kind="code")
    assert theirs.id_masked == WIFE_ID[:4] + "*" * 10 + WIFE_ID[-4:]


def test_unknown_people_both_ways_and_another_countys_person(cast):
    rows = _clear_file(cast)
    header = rows[0]
    wang = next(i for i, r in enumerate(rows) if r[header.index("姓名")] == "王芳")
    stranger = list(rows[wang])
    stranger[header.index("姓名")] = "陌生人"
    stranger[header.index("证件号码")] = person_id(77)
    li = list(rows[wang])
    li[header.index("姓名")] = "李强"
    li[header.index("证件号码")] = OTHER_ID  # registered, but in 泾川县: reported, not matched
    rows[wang] = stranger
    rows.append(li)
    _job, run = _return(cast["county"], _csv_bytes(rows))
    found = [(d.kind, d.name, d.row) for d in Difference.objects.filter(run=run).order_by("kind", "row")]
    assert found == [
        ("ours_unknown", "王芳", None),
        ("theirs_unknown", "陌生人", wang + 1),
        ("theirs_unknown", "李强", len(rows)),
    ]
    assert (run.matched, run.theirs_unknown, run.ours_unknown) == (2, 2, 1)
    for d in Difference.objects.filter(run=run):  # nothing of 李强's record in 泾川县 is told
        assert OTHER_ID not in f"{d.ours}{d.theirs}{d.message}{d.id_number_enc}"
        assert "泾川" not in f"{d.ours}{d.theirs}{d.message}"
    assert Difference.objects.get(run=run, name="李强").id_masked == OTHER_ID[:4] + "*" * 10 + OTHER_ID[-4:]


def test_bad_rows_are_reported_at_their_row_and_column(cast):
    rows = _clear_file(cast)
    header = rows[0]
    rows[1][header.index("证件号码")] = "63252419700305001"  # 17 digits
    rows[2][header.index("性别")] = "未知"
    rows[3][header.index("人均纯收入")] = "很多"
    rows.append(list(rows[3]))  # the same person twice
    _job, run = _return(cast["county"], _csv_bytes(rows))
    errors = [(d.row, d.column) for d in Difference.objects.filter(run=run, kind="error").order_by("row")]
    assert errors == [(2, "证件号码"), (3, "性别"), (4, "人均纯收入"), (5, "证件号码")]
    messages = {d.column: d.message for d in Difference.objects.filter(run=run, kind="error")}
    assert "18位" in messages["证件号码"] or "重复" in messages["证件号码"]
    assert "代码表" in messages["性别"]


def test_a_file_without_id_numbers_is_refused_in_chinese(cast):
    job, _run = _return(cast["county"], _csv_bytes([["姓名", "性别"], ["扎西", "男"]]))
    assert job.state == Job.State.FAILED
    assert "证件号码" in job.error
    assert ReturnRun.objects.filter(state=ReturnRun.State.FAILED).exists()


def test_a_masked_file_reports_its_ids_as_errors_never_matches(cast):
    path = _export(cast["county"], fmt="csv")
    _job, run = _return(cast["county"], path.read_bytes())
    assert run.matched == 0
    assert run.errors == 3


# --- pages, API, scope ---------------------------------------------------------------------------


def test_pages_start_jobs_and_list_runs(client, cast):
    client.force_login(cast["county"])
    assert client.get(reverse("exchange:home")).status_code == 200
    answer = client.post(
        reverse("exchange:home"), {"division": XINGHAI, "what": "roster", "format": "xlsx", "unit": ""}
    )
    assert answer.status_code == 302
    assert answer["Location"].startswith("/jobs/")
    job_id = answer["Location"].split("/")[2]
    before = AuditEvent.objects.filter(action="export").count()
    download = client.get(reverse("jobs:download", args=[job_id]))
    assert download.status_code == 200
    assert (
        "防止返贫监测对象名单" in download["Content-Disposition"]
        or "%E5%90%8D%E5%8D%95" in download["Content-Disposition"]
    )
    assert AuditEvent.objects.filter(action="export").count() == before + 1  # the download, audited
    refused = client.post(
        reverse("exchange:home"), {"division": XINGHAI, "what": "members", "format": "csv", "clear": "on"}
    )
    assert refused.status_code == 200
    assert "须说明用途" in refused.content.decode()
    upload = SimpleUploadedFile("国家回传.csv", _export_bytes(cast))
    answer = client.post(reverse("exchange:upload"), {"county": XINGHAI, "file": upload})
    assert answer.status_code == 302
    page = client.get(reverse("exchange:run_list")).content.decode()
    assert "国家回传.csv" in page
    client.force_login(cast["outsider"])
    assert "国家回传.csv" not in client.get(reverse("exchange:run_list")).content.decode()
    refused = client.post(
        reverse("exchange:home"), {"division": XINGHAI, "what": "members", "format": "xlsx"}
    )
    assert refused.status_code == 200  # the picker refuses a division outside the scope
    assert not Job.objects.filter(owner=cast["outsider"]).exists()


def test_the_api_starts_jobs_and_lists_differences(client, cast):
    rows = _clear_file(cast)
    rows[1][rows[0].index("民族")] = "藏族"
    _job, run = _return(cast["county"], _csv_bytes(rows))
    _token, key = token_issue(user=cast["county"], name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    answer = client.post(
        "/api/exchange/exports",
        {"division": XINGHAI, "what": "objects", "format": "csv"},
        "application/json",
        **auth,
    )
    assert answer.status_code == 202
    assert Job.objects.get(pk=answer.json()["job_id"]).result["count"] == 3
    listed = client.get(f"/api/exchange/differences?run={run.pk}", **auth).json()
    assert [(d["column"], d["theirs"]) for d in listed["items"]] == [("民族", "藏族")]
    _token, other = token_issue(user=cast["outsider"], name="t")
    outsider = {"HTTP_AUTHORIZATION": f"Bearer {other}"}
    assert client.get(f"/api/exchange/differences?run={run.pk}", **outsider).json()["items"] == []
    answer = client.post(
        "/api/exchange/exports", {"division": XINGHAI, "what": "members"}, "application/json", **outsider
    )
    assert answer.status_code == 404


def test_money_cells_compare_as_money(cast):
    field = layout.FIELDS["income"]
    assert field.parse("5,500.00") == Decimal("5500.00")
    assert layout.FIELDS["sex"].parse("2") == "F"
    assert layout.FIELDS["sex"].parse("女") == "F"
    with pytest.raises(ValueError):
        layout.FIELDS["dibao"].parse("也许")
    assert returns.ID.key == "id_number"
