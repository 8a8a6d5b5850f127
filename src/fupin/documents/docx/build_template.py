"""Builds `results_report.docx`, the template of the assisting unit's results report (docxtpl).

    python -m fupin.documents.docx.build_template          # writes results_report.docx beside this file

The template is an ordinary Word document an office may edit: Jinja tags in the text
(`{{ funds.direct }}`), table rows repeated with `{%tr for … %}` / `{%tr endfor %}`, paragraphs
repeated or shown with `{%p for … %}` / `{%p if … %}`, the charts where `{{ chart_funds }}` and
`{{ chart_purchases }}` stand alone in a paragraph. What the tags may use is the dict
`fupin.documents.results.gather` returns (plus the two charts). Rebuilding it replaces any edit
made in Word: commit the edited file instead when an office changes the wording.
"""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

OUT = Path(__file__).with_name("results_report.docx")
BODY_FONT = "宋体"  # what every office's Word has; the charts are drawn in Noto Sans CJK SC
HEAD_FONT = "黑体"


def _font(style, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    style.font.name = name
    style.font.size = Pt(size)
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _para(
    doc, text: str = "", *, style: str | None = None, align=None, size: float | None = None, bold=False
):
    paragraph = doc.add_paragraph(style=style)
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _table(doc, header: list[str], cells: list[str], loop: str, *, widths: list[float] | None = None):
    """A table: the header row, then `{%tr for … %}`, one row of cell tags, `{%tr endfor %}`."""
    table = doc.add_table(rows=0, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    row = table.add_row().cells
    for cell, text in zip(row, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    table.add_row().cells[0].text = "{%tr for " + loop + " %}"
    row = table.add_row().cells
    for cell, text in zip(row, cells, strict=True):
        cell.text = text
    table.add_row().cells[0].text = "{%tr endfor %}"
    if widths:
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = Cm(width)
    doc.add_paragraph()
    return table


def build(out: Path = OUT) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.6))
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.6)
    _font(doc.styles["Normal"], BODY_FONT, 12)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.5
    for level, size in ((1, 16), (2, 14)):
        _font(doc.styles[f"Heading {level}"], HEAD_FONT, size, bold=True, color=RGBColor(0, 0, 0))
    _font(doc.styles["Title"], HEAD_FONT, 22, bold=True, color=RGBColor(0, 0, 0))

    # --- cover ---
    for _i in range(5):
        doc.add_paragraph()
    _para(doc, "{{ unit.name }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True)
    _para(doc, "定点帮扶工作成效报告", align=WD_ALIGN_PARAGRAPH.CENTER, size=22, bold=True)
    _para(doc, "({{ span }})", align=WD_ALIGN_PARAGRAPH.CENTER, size=16)
    for _i in range(8):
        doc.add_paragraph()
    _para(doc, "编制单位:{{ unit.name }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    _para(doc, "编制日期:{{ made_on }}", align=WD_ALIGN_PARAGRAPH.CENTER, size=14)
    _para(
        doc,
        "本报告数字均由系统记录生成,每个数字的来源见附录“数据来源”。",
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size=10,
    )
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    # --- 一、组织领导 ---
    doc.add_heading("一、组织领导", level=1)
    _para(
        doc,
        "{{ span }},{{ unit.name }}承担{{ places_text }}等{{ place_count }}个地区的定点帮扶工作。",
    )
    _para(doc, "{%p if leading_group %}")
    _para(doc, "{{ leading_group }}")
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if subunits %}")
    _para(doc, "承担具体帮扶工作的所属单位:{{ subunits|join('、') }}。")
    _para(doc, "{%p endif %}")

    # --- 二、资金投入 ---
    doc.add_heading("二、帮扶资金投入", level=1)
    _para(
        doc,
        "{{ span }}累计直接投入帮扶资金{{ funds.direct }},引进帮扶资金{{ funds.brought_in }};"
        "组织干部职工开展爱心捐款,累计募集资金{{ funds.donations }}。按项目类别,投入情况如下:",
    )
    _table(
        doc,
        ["项目类别", "投入资金", "项目数"],
        ["{{ c.label }}", "{{ c.amount }}", "{{ c.projects }}"],
        "c in categories",
        widths=[5, 5, 4],
    )
    _para(doc, "{{ chart_funds }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "图1 帮扶资金投入(按类别)", align=WD_ALIGN_PARAGRAPH.CENTER, size=10)

    # --- 三、帮扶项目 ---
    doc.add_heading("三、帮扶项目", level=1)
    _para(doc, "累计实施帮扶项目{{ project_count }}。各类别投入较多的项目:")
    _table(
        doc,
        ["项目名称", "地点", "年度", "类别", "投入资金"],
        ["{{ p.name }}", "{{ p.place }}", "{{ p.year }}", "{{ p.category }}", "{{ p.amount }}"],
        "p in notable",
        widths=[6.5, 2.6, 1.6, 2.2, 2.8],
    )

    # --- 四、培训 ---
    doc.add_heading("四、扶智扶志:培训", level=1)
    _para(
        doc,
        "累计举办各类培训班{{ training.classes }},培训{{ training.person_times }},"
        "其中培训基层干部{{ training.cadres }}、技术人员{{ training.technicians }}。",
    )

    # --- 五、消费帮扶 ---
    doc.add_heading("五、消费帮扶", level=1)
    _para(
        doc,
        "累计购买帮扶地区农产品{{ consumption.bought }},帮助销售农产品{{ consumption.sold }}。按渠道:",
    )
    _table(
        doc,
        ["渠道", "购买", "帮助销售", "笔数"],
        ["{{ r.label }}", "{{ r.bought }}", "{{ r.sold }}", "{{ r.count }}"],
        "r in consumption.channels",
        widths=[4.5, 3.5, 3.5, 2.5],
    )
    _table(
        doc,
        ["年度", "购买农产品", "帮助销售农产品"],
        ["{{ r.year }}", "{{ r.bought }}", "{{ r.sold }}"],
        "r in consumption.years",
        widths=[4, 5, 5],
    )
    _para(doc, "{{ chart_purchases }}", align=WD_ALIGN_PARAGRAPH.CENTER)
    _para(doc, "图2 消费帮扶(按年度)", align=WD_ALIGN_PARAGRAPH.CENTER, size=10)

    # --- 六、就业帮扶 ---
    doc.add_heading("六、就业帮扶", level=1)
    _para(doc, "累计帮助{{ employment.placed }}实现就业,其中招收贫困大学生{{ employment.graduates }}。")
    _table(
        doc, ["就业类型", "人数"], ["{{ k.label }}", "{{ k.count }}"], "k in employment.kinds", widths=[7, 7]
    )

    # --- 七、支部结对共建 ---
    doc.add_heading("七、支部结对共建", level=1)
    _para(
        doc,
        "本单位{{ pairing.helpers }}党支部与{{ pairing.counties }}县的{{ pairing.villages }}村党支部开展结对共建"
        "{{ pairing.count }},开展共建活动{{ pairing.activities }}。",
    )

    # --- 八、选派干部 ---
    doc.add_heading("八、选派干部", level=1)
    _para(
        doc,
        "累计选派干部{{ cadres.total }},其中驻村第一书记{{ cadres.first_secretaries }}、"
        "挂职干部{{ cadres.seconded }}、驻村工作队员{{ cadres.team_members }};"
        "截至{{ cadres.in_post_on }}在岗{{ cadres.in_post }}。",
    )

    # --- 九、责任书 ---
    doc.add_heading("九、定点帮扶责任书完成情况", level=1)
    _para(doc, "{%p if targets %}")
    _para(doc, "各年度责任书目标与完成情况:")
    _para(doc, "{%p else %}")
    _para(doc, "报告期内未登记定点帮扶责任书。")
    _para(doc, "{%p endif %}")
    _table(
        doc,
        ["年度", "指标", "目标", "完成", "完成率"],
        ["{{ t.year }}", "{{ t.name }}", "{{ t.target }}", "{{ t.actual }}", "{{ t.rate }}"],
        "t in targets",
        widths=[2.2, 4.2, 3.2, 3.2, 2.2],
    )

    # --- 附录 ---
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    doc.add_heading("附录 数据来源", level=1)
    _para(doc, "报告中每个数字的精确值及其统计口径(指标代码或所计记录):", size=10)
    _table(
        doc,
        ["数字", "报告中", "精确值", "来源"],
        ["{{ s.label }}", "{{ s.text }}", "{{ s.exact }}", "{{ s.source }}"],
        "s in sources",
        widths=[3.6, 2.8, 3.6, 5.8],
    )
    doc.save(str(out))
    return out


if __name__ == "__main__":
    print(build())
