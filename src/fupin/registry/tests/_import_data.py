"""Rows for the import tests: valid members of households in 民族村 (632524203207)."""

import csv
import datetime
import io

import xlsxwriter

from fupin.registry.idnumbers import make_id_number
from fupin.registry.importing.template import HEADERS

VILLAGE = "632524203207"


def member_row(number: str, index: int, *, head: bool, village: str = VILLAGE, **overrides) -> dict:
    male = index % 2 == 0
    id_number = make_id_number(
        area_code="632524",
        birth_date=datetime.date(1960 + index, 1 + index % 12, 1 + index % 28),
        sequence=index,
        male=male,
    )
    row = dict.fromkeys(HEADERS, "")
    row.update(
        {
            "户编号": number,
            "行政村代码": village,
            "村民小组": "一社",
            "联系电话": "13800138000",
            "开户银行": "农业银行",
            "银行账号": "6228480012345678",
            "贫困户属性": "一般户",
            "主要致贫原因": "因病",
            "其他致贫原因一": "缺技术",
            "住房面积(平方米)": "80.5",
            "住房结构": "砖混",
            "建房年份": "1999",
            "是否易地搬迁": "否",
            "饮水安全": "是",
            "通生活用电": "是",
            "姓名": f"成员{index}",
            "性别": "男" if male else "女",
            "身份证号": id_number,
            "与户主关系": "户主" if head else ("之子" if male else "之女"),
            "民族": "藏族",
            "文化程度": "小学",
            "健康状况": "长期慢性病",
            "劳动技能": "普通劳动力",
            "务工状况": "县内务工",
            "务工时间(月)": "6",
            "是否享受低保": "否",
            "是否参加医疗保险": "是",
            "是否参加养老保险": "是",
        }
    )
    row.update(overrides)
    return row


def sample_rows(households: int = 2, per: int = 3) -> list[dict]:
    rows = []
    for h in range(households):
        for k in range(per):
            rows.append(member_row(f"{VILLAGE}{h:05d}", h * per + k, head=k == 0))
    return rows


def to_csv(rows: list[dict], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row[h] for h in HEADERS])
    return buffer.getvalue().encode(encoding)


def to_xlsx(rows: list[dict], *, formula: bool = False) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    for col, header in enumerate(HEADERS):
        sheet.write_string(0, col, header)
    for r, row in enumerate(rows, start=1):
        for col, header in enumerate(HEADERS):
            sheet.write_string(r, col, row[header])
    if formula:
        sheet.write_formula(1, len(HEADERS), "=1+1")
    book.close()
    return buffer.getvalue()
