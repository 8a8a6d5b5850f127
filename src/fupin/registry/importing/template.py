"""The import/export columns (the national form's Chinese headers) and the downloadable template.

Headers are the form's own words and stay Chinese whatever the interface language: a county
office's spreadsheet is keyed by them. Coded columns take the Chinese label (or the code) and
the template offers the labels as drop-down lists.
"""

import io
from dataclasses import dataclass

import xlsxwriter
from django.utils import translation
from django.utils.translation import gettext as _

from fupin.registry import choices


@dataclass(frozen=True)
class Column:
    """One column of the file: header, which part of the record it fills, and how it is read."""

    header: str
    key: str
    kind: str  # text, code, village, phone, bank, choice, bool, int, decimal, id, date, months
    level: str = "household"  # household or member
    choices: type | None = None
    required: bool = False  # must be filled in
    optional_header: bool = False  # the column itself may be left out of the file
    max_length: int = 0
    note: str = ""


H, M = "household", "member"
COLUMNS: tuple[Column, ...] = (
    Column("户编号", "number", "code", required=True, max_length=20),
    Column("行政村代码", "village", "village", required=True, note="12位统计用区划代码"),
    Column("村民小组", "group_name", "text", max_length=30),
    Column(
        "户主姓名", "head_name", "text", optional_header=True, max_length=50, note="须与户主一行的姓名一致"
    ),
    Column("联系电话", "phone", "phone", note="11位手机号码"),
    Column("开户银行", "bank_name", "text", max_length=50),
    Column("银行账号", "bank_account", "bank", note="请以文本格式填写"),
    Column("贫困户属性", "attribute", "choice", choices=choices.Attribute, required=True),
    Column("主要致贫原因", "main_cause", "choice", choices=choices.Cause, required=True),
    Column("其他致贫原因一", "cause2", "choice", choices=choices.Cause),
    Column("其他致贫原因二", "cause3", "choice", choices=choices.Cause),
    Column("住房面积(平方米)", "housing_area", "decimal"),
    Column("住房结构", "housing_structure", "choice", choices=choices.HousingStructure),
    Column("建房年份", "housing_year", "int"),
    Column("是否易地搬迁", "relocated", "bool", note="是/否,空白为否"),
    Column("饮水安全", "safe_water", "bool", note="是/否,空白为是"),
    Column("通生活用电", "electricity", "bool", note="是/否,空白为是"),
    Column("姓名", "name", "text", level=M, required=True, max_length=50),
    Column("性别", "sex", "choice", level=M, choices=choices.Sex, note="空白时按身份证号"),
    Column(
        "出生日期", "birth_date", "date", level=M, optional_header=True, note="YYYY-MM-DD,须与身份证号一致"
    ),
    Column("身份证号", "id_number", "id", level=M, required=True, note="18位,请以文本格式填写"),
    Column("与户主关系", "relation", "choice", level=M, choices=choices.Relation, required=True),
    Column("民族", "ethnicity", "text", level=M, max_length=20, note="空白为汉族"),
    Column("文化程度", "education", "choice", level=M, choices=choices.Education),
    Column("在校生状况", "school_status", "choice", level=M, choices=choices.SchoolStatus),
    Column("健康状况", "health", "choice", level=M, choices=choices.Health, note="空白为健康"),
    Column("残疾情况", "disability", "text", level=M, max_length=100, note="如:肢体残疾二级"),
    Column("劳动技能", "labour", "choice", level=M, choices=choices.Labour),
    Column("务工状况", "work_status", "choice", level=M, choices=choices.WorkStatus),
    Column("务工时间(月)", "months_worked", "months", level=M, note="0至12"),
    Column("是否享受低保", "dibao", "bool", level=M, note="空白为否"),
    Column("是否参加医疗保险", "medical_insurance", "bool", level=M, note="空白为是"),
    Column("是否参加养老保险", "pension_insurance", "bool", level=M, note="空白为否"),
)
# A household's income for one year (2021 onwards too), repeated on each member row like the other
# household columns; every column may be left out of the file. Not exported (the export is one row
# per member of the national form); the template offers them after the member columns.
INCOME_COLUMNS: tuple[Column, ...] = (
    Column("收入年度", "income_year", "year", optional_header=True, note="填写收入时必填,如2025"),
    Column("工资性收入", "wages", "money", optional_header=True, note="元"),
    Column("生产经营性收入", "business", "money", optional_header=True, note="元,亏损填负数"),
    Column("转移性收入", "transfers", "money", optional_header=True, note="元"),
    Column("财产性收入", "property", "money", optional_header=True, note="元"),
    Column("生产经营性支出", "production_costs", "money", optional_header=True, note="元"),
    Column("合规自付医疗支出", "medical_costs", "money", optional_header=True, note="元"),
    Column("合规自付教育支出", "schooling_costs", "money", optional_header=True, note="元"),
    Column("灾害损失自付支出", "disaster_costs", "money", optional_header=True, note="元"),
    Column("商业保险赔付", "insurance_payouts", "money", optional_header=True, note="元"),
)
INCOME_KEYS = tuple(c.key for c in INCOME_COLUMNS)
ALL_COLUMNS = COLUMNS + INCOME_COLUMNS
HEADERS = tuple(c.header for c in COLUMNS)
BY_HEADER = {c.header: c for c in ALL_COLUMNS}
BY_KEY = {c.key: c for c in ALL_COLUMNS}
# Columns whose values are personal data: shown masked in error reports.
SENSITIVE_KINDS = frozenset({"id", "phone", "bank"})
SENSITIVE_KEYS = frozenset({"health", "disability"})
BOOL_LABELS = ("是", "否")
TEXT_KINDS = frozenset({"code", "village", "phone", "bank", "id"})


def normalize_header(text) -> str:
    """Headers as typed: spaces and line breaks dropped, full-width brackets made ASCII."""
    text = "".join(str(text or "").split())
    return text.replace("(", "(").replace(")", ")").replace("㎡", "平方米")


def labels_of(choice_class) -> list[str]:
    with translation.override("zh-hans"):
        return [str(label) for label in choice_class.labels]


def build_template() -> bytes:
    """The .xlsx template: a data sheet with drop-downs, a hidden sheet of options, instructions."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"strings_to_formulas": False, "strings_to_numbers": False})
    data = book.add_worksheet("家庭成员")
    guide = book.add_worksheet("填写说明")
    options = book.add_worksheet("选项")
    head = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1, "text_wrap": True})
    head_required = book.add_format(
        {"bold": True, "bg_color": "#FDE9D9", "border": 1, "font_color": "#C00000", "text_wrap": True}
    )
    text = book.add_format({"num_format": "@"})
    lists: dict[str, str] = {}
    option_col = 0
    for column in ALL_COLUMNS:
        if column.kind not in ("choice", "bool") or column.header in lists:
            continue
        labels = labels_of(column.choices) if column.kind == "choice" else list(BOOL_LABELS)
        options.write_string(0, option_col, column.header)
        for r, label in enumerate(labels, start=1):
            options.write_string(r, option_col, label)
        letter = xlsxwriter.utility.xl_col_to_name(option_col)
        lists[column.header] = f"='选项'!${letter}$2:${letter}${len(labels) + 1}"
        option_col += 1
    options.hide()
    for col, column in enumerate(ALL_COLUMNS):
        data.write_string(0, col, column.header, head_required if column.required else head)
        data.set_column(
            col, col, max(10, len(column.header) * 2 + 2), text if column.kind in TEXT_KINDS else None
        )
        if column.header in lists:
            data.data_validation(
                1,
                col,
                1_048_575,
                col,
                {
                    "validate": "list",
                    "source": lists[column.header],
                    "error_title": _("请从下拉列表中选择"),
                    "error_message": _("请从下拉列表中选择%(header)s") % {"header": column.header},
                },
            )
        elif column.kind == "months":
            data.data_validation(
                1,
                col,
                1_048_575,
                col,
                {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 12},
            )
    data.freeze_panes(1, 2)
    _write_guide(guide, book)
    book.close()
    return buffer.getvalue()


def _write_guide(sheet, book) -> None:
    bold = book.add_format({"bold": True})
    lines = [
        _("贫困户家庭成员导入模板填写说明"),
        _("1. 每行一名家庭成员;同一户的每名成员都要重复填写户信息(户编号到通生活用电),以户编号区分各户。"),
        _("2. 每户必须有且只有一名“与户主关系”为“户主”的成员。"),
        _("3. 红色表头为必填项;带下拉列表的列请从列表中选择,也可填写对应代码。"),
        _("4. 身份证号、银行账号、户编号、行政村代码请以文本格式填写,避免 Excel 把长数字改成科学计数法。"),
        _("5. 不要使用公式;含公式的文件会被拒绝。"),
        _("6. 同一文件重复导入不会产生重复数据:户按户编号、成员按身份证号更新。"),
        _("7. 建议先勾选“仅校验(试导入)”,按错误报告修改后再正式导入。"),
        _(
            "8. 收入各列(收入年度至商业保险赔付)可整列删除;填写时每户一个年度,同户各行相同,重复导入按户和年度更新。"
        ),
    ]
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 60)
    for r, line in enumerate(lines):
        sheet.write_string(r, 0, line, bold if r == 0 else None)
    r = len(lines) + 1
    sheet.write_string(r, 0, _("列"), bold)
    sheet.write_string(r, 1, _("说明"), bold)
    for column in ALL_COLUMNS:
        r += 1
        parts = [_("必填") if column.required else _("选填")]
        if column.kind == "choice":
            parts.append("/".join(labels_of(column.choices)))
        if column.note:
            parts.append(column.note)
        sheet.write_string(r, 0, column.header)
        sheet.write_string(r, 1, ";".join(parts))
