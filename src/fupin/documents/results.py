"""The assisting unit's results report (帮扶成效报告, seed 002): the figures gathered from records, the
charts drawn, the .docx rendered from an editable template.

- `gather(unit, first, last)` reads everything through the owning apps' selectors and the indicator
  catalogue (`core.indicators.recount`: the figures declared there — funds, produce, placements,
  training — counted by their one definition, exactly what the rollup holds after a refresh), for
  the unit and the units under it, over the years `first`..`last`. It returns plain data (numbers,
  texts, rows); every figure that goes into the document is also a row of `sources` (the appendix
  数据来源: the figure, its exact value and the indicator or records it counts).
- `charts(report)` draws the two charts (matplotlib, Agg, Noto Sans CJK SC) as PNG bytes.
- `render(report, out)` fills `docx/results_report.docx` (docxtpl) with them.

The report is the unit's whole, as its 责任书 actuals are (outcomes.selectors.indicator_actuals):
who may print it is decided on the unit (documents.print_results and the unit visible to the user,
views/results.py), not by cutting the unit's figures to the reader's area.
"""

from __future__ import annotations

import datetime
import io
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.assistance import selectors as assistance
from fupin.assistance.choices import PostKind
from fupin.core.indicators import recount
from fupin.orgs import selectors as orgs
from fupin.outcomes import selectors as outcomes
from fupin.party import selectors as party
from fupin.projects import selectors as projects
from fupin.regions.models import Region
from fupin.reports.selectors import declaration

TEMPLATE = Path(__file__).parent / "docx" / "results_report.docx"
FONT = "Noto Sans CJK SC"
WAN = Decimal(10_000)
YI = Decimal(100_000_000)
NOTABLE = 10  # projects listed by name: the largest of each category, then the largest
MAX_YEARS = 10  # a report covers at most this many years


# --- how Chinese reports write numbers ---------------------------------------------------------


def _plain(value: Decimal) -> str:
    """Thousands separators, at most two decimals, trailing zeros dropped: 5,581.68 / 9,259 / 3.93."""
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def amount_text(yuan) -> str:
    """An amount of money as Chinese reports write it: 亿元 from one hundred million up (3.93亿元),
    万元 from ten thousand (9,259万元, 5,581.68万元), 元 below (5,000元); two decimals at most."""
    yuan = Decimal(yuan or 0)
    if abs(yuan) >= YI or abs((yuan / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) >= WAN:
        return _("%(n)s亿元") % {"n": _plain(yuan / YI)}
    if abs(yuan) >= WAN:
        return _("%(n)s万元") % {"n": _plain(yuan / WAN)}
    return _("%(n)s元") % {"n": _plain(yuan)}


def count_text(n, unit: str = "") -> str:
    """A count with thousands separators and its unit: 4,198人次."""
    return f"{int(n or 0):,}{unit}"


def date_text(day: datetime.date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def span_text(first: int, last: int) -> str:
    return _("%(y)d年") % {"y": first} if first == last else _("%(a)d—%(b)d年") % {"a": first, "b": last}


def parse_years(text: str) -> tuple[int, int]:
    """'2018-2020', '2018—2020' or '2020' -> (first, last); ValueError with a Chinese reason."""
    cleaned = str(text or "").strip().replace("—", "-").replace("–", "-").replace("~", "-").replace("至", "-")
    parts = [p.strip() for p in cleaned.split("-")]
    if not 1 <= len(parts) <= 2 or not all(p.isdigit() and len(p) == 4 for p in parts):
        raise ValueError(_("年度格式应为“2020”或“2018-2020”。"))
    first, last = int(parts[0]), int(parts[-1])
    return check_years(first, last)


def check_years(first: int, last: int) -> tuple[int, int]:
    this_year = timezone.localdate().year
    if first > last:
        raise ValueError(_("起始年度不能晚于结束年度。"))
    if first < 2000 or last > this_year:
        raise ValueError(_("年度应在2000年至%(y)d年之间。") % {"y": this_year})
    if last - first + 1 > MAX_YEARS:
        raise ValueError(_("一份报告最多涵盖%(n)d个年度。") % {"n": MAX_YEARS})
    return first, last


# --- the figures ---------------------------------------------------------------------------------


def _indicator_sum(code: str, unit_ids, years, category: str = "") -> Decimal:
    """The catalogue figure `code` of the units over `years` (recount: the declaration's own rows)."""
    ind = declaration(code)
    return sum(
        (Decimal(recount(ind, period=str(y), category=category, unit_id=u)) for u in unit_ids for y in years),
        Decimal(0),
    )


def _indicator_by_year(code: str, unit_ids, years) -> dict[int, Decimal]:
    ind = declaration(code)
    return {
        y: sum((Decimal(recount(ind, period=str(y), unit_id=u)) for u in unit_ids), Decimal(0)) for y in years
    }


class _Sources:
    """The appendix 数据来源: every figure printed, its exact value and what it counts."""

    def __init__(self):
        self.rows: list[dict] = []

    def money(self, label: str, value, source: str) -> str:
        text = amount_text(value)
        self.rows.append({"label": label, "text": text, "exact": _("%(v)s元") % {"v": f"{value:,.2f}"},
                          "source": source})  # fmt: skip
        return text

    def count(self, label: str, value, unit: str, source: str) -> str:
        text = count_text(value, unit)
        self.rows.append({"label": label, "text": text, "exact": text, "source": source})
        return text


def gather(unit, first: int, last: int, *, today: datetime.date | None = None) -> dict:
    """Every figure of the unit's report over `first`..`last` (the unit and the units under it)."""
    years = list(range(first, last + 1))
    start, end = datetime.date(first, 1, 1), datetime.date(last, 12, 31)
    unit_ids = orgs.unit_and_descendants(unit.pk)
    src = _Sources()
    span = span_text(first, last)

    # Organisation: the unit, the units under it, the places they assist.
    subunits = [u.name for u in orgs.units_by_ids(unit_ids) if u.pk != unit.pk]
    codes = sorted(set(orgs.assisted_region_codes(unit_ids)))
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    places = [_place_name(regions[c]) for c in codes if c in regions]
    src.count(_("帮扶地区"), len(places), _("个"), _("orgs 帮扶地区(定点帮扶)记录"))

    # Funds: direct and brought in (责任书 indicators), by category, staff donations.
    direct = _indicator_sum("outcomes.direct_funds", unit_ids, years)
    brought_in = _indicator_sum("outcomes.brought_in_funds", unit_ids, years)
    donations_by_year = projects.unit_donations(unit_ids=unit_ids, years=years)
    donations = sum(donations_by_year.values(), Decimal(0))
    funds = {
        "direct": src.money(_("直接投入帮扶资金"), direct, _("指标 outcomes.direct_funds(资金到位分录)")),
        "brought_in": src.money(
            _("引进帮扶资金"), brought_in, _("指标 outcomes.brought_in_funds(资金到位分录)")
        ),
        "donations": src.money(
            _("职工爱心捐款"), donations, _("projects 本单位“捐赠资金”来源的资金到位分录")
        ),
        "direct_value": direct,
        "donations_value": donations,
    }
    categories = []
    for row in projects.unit_category_totals(unit_ids=unit_ids, years=years):
        label = row["label"]
        categories.append(
            {
                "label": label,
                "amount": src.money(
                    _("%(c)s类帮扶资金") % {"c": label},
                    row["amount"],
                    _("projects 本单位直接投入来源分配到%(c)s类项目的分录") % {"c": label},
                ),
                "projects": src.count(
                    _("%(c)s类项目数") % {"c": label},
                    row["projects"],
                    _("个"),
                    _("projects 获得上述分配的项目"),
                ),
                "value": row["amount"],
                "count": row["projects"],
            }
        )

    # Projects: how many; notable ones — the largest of each category, then the largest of the rest.
    # Ranked by the money in whole 万元, as the report writes it (a few yuan more is no more notable),
    # the first recorded first among equals.
    funded = list(projects.unit_projects(unit_ids=unit_ids, years=years))
    funded.sort(key=lambda p: (-(p.allocated / WAN).quantize(Decimal(1), rounding=ROUND_HALF_UP), p.pk))
    project_count = len(funded)
    firsts = {}
    for p in funded:
        firsts.setdefault(p.category, p)
    picked = list(firsts.values())[:NOTABLE]
    picked += [p for p in funded if p not in picked][: NOTABLE - len(picked)]
    picked.sort(key=funded.index)
    notable = [
        {
            "name": p.name,
            "place": p.place.name if p.place_id else "",
            "year": p.year,
            "category": p.get_category_display(),
            "amount": amount_text(p.allocated),
        }
        for p in picked
    ]
    project_text = src.count(
        _("帮扶项目"), project_count, _("个"), _("projects 获得本单位直接投入分配的项目")
    )

    # Training: classes and person-times (the 责任书's two kinds from the catalogue).
    training = assistance.unit_training(unit_ids=unit_ids, years=years)
    cadres = _indicator_sum("outcomes.cadres_trained", unit_ids, years)
    technicians = _indicator_sum("outcomes.technicians_trained", unit_ids, years)
    train = {
        "classes": src.count(
            _("举办培训班"), training["classes"], _("期"), _("assistance 本单位主办的培训班")
        ),
        "person_times": src.count(
            _("培训人次"), training["person_times"], _("人次"), _("assistance 上述培训班的学员人次")
        ),
        "cadres": src.count(_("培训基层干部"), cadres, _("人次"), _("指标 outcomes.cadres_trained")),
        "technicians": src.count(
            _("培训技术人员"), technicians, _("人次"), _("指标 outcomes.technicians_trained")
        ),
        "others": count_text(training["person_times"] - int(cadres) - int(technicians), _("人次")),
    }

    # Consumption assistance: bought and sold, by channel and by year.
    bought_by_year = _indicator_by_year("outcomes.bought", unit_ids, years)
    sold_by_year = _indicator_by_year("outcomes.sold", unit_ids, years)
    bought, sold = sum(bought_by_year.values(), Decimal(0)), sum(sold_by_year.values(), Decimal(0))
    purchases = outcomes.unit_purchases(unit_ids=unit_ids, years=years)
    consumption = {
        "bought": src.money(_("购买农产品"), bought, _("指标 outcomes.bought")),
        "sold": src.money(_("帮助销售农产品"), sold, _("指标 outcomes.sold")),
        "channels": [
            {
                "label": r["label"],
                "bought": amount_text(r["bought"]),
                "sold": amount_text(r["sold"]),
                "count": count_text(r["count"], _("笔")),
            }
            for r in outcomes.purchase_totals_by_channel(purchases)
        ],  # fmt: skip
        "years": [
            {
                "year": _("%(y)d年") % {"y": y},
                "bought": amount_text(bought_by_year[y]),
                "sold": amount_text(sold_by_year[y]),
                "bought_value": bought_by_year[y],
                "sold_value": sold_by_year[y],
            }
            for y in years
        ],  # fmt: skip
        "bought_value": bought,
    }

    # Employment: placements by kind (the catalogue's categories).
    placed = _indicator_sum("outcomes.placements", unit_ids, years)
    kinds = declaration("outcomes.placements").categories
    by_kind = {k: _indicator_sum("outcomes.placements", unit_ids, years, category=k) for k in kinds}
    employment = {
        "placed": src.count(_("帮助就业"), placed, _("人"), _("指标 outcomes.placements")),
        "kinds": [
            {
                "label": str(label),
                "count": src.count(
                    _("就业帮扶:%(k)s") % {"k": label},
                    by_kind[k],
                    _("人"),
                    _("指标 outcomes.placements,类别 %(k)s") % {"k": k},
                ),
            }
            for k, label in kinds.items()
        ],
        "graduates": count_text(by_kind.get("graduate", 0), _("人")),
        "placed_value": int(placed),
    }

    # Branch pairings (支部结对共建).
    pairings = list(party.unit_pairings(unit_ids=unit_ids, first=start, last=end))
    pairing = {
        "count": src.count(_("支部结对共建"), len(pairings), _("对"), _("party 本单位党支部的结对共建记录")),
        "helpers": count_text(len({p.helper_id for p in pairings}), _("个")),
        "villages": count_text(len({p.village_branch_id for p in pairings}), _("个")),
        "counties": count_text(
            len({(p.village_branch.region_id or "")[:6] for p in pairings if p.village_branch.region_id}),
            _("个"),
        ),
        "activities": src.count(
            _("结对共建活动"), sum(p.activity_count for p in pairings), _("次"), _("party 结对共建活动记录")
        ),
    }

    # Dispatched cadres: first secretaries, work-team members, 挂职干部.
    postings = list(assistance.unit_postings(unit_ids=unit_ids, first=start, last=end))
    kind_counts = {k: sum(1 for p in postings if p.kind == k) for k in PostKind.values}
    in_post_on = min(end, today or timezone.localdate())
    in_post = [p for p in postings if p.start <= in_post_on and (p.end is None or p.end >= in_post_on)]
    cadres_sent = {
        "total": src.count(
            _("选派干部"), len({p.cadre_id for p in postings}), _("名"), _("assistance 本单位干部的选派记录")
        ),
        "first_secretaries": src.count(
            _("驻村第一书记"),
            kind_counts[PostKind.FIRST_SECRETARY],
            _("人次"),
            _("assistance 选派记录,类型 驻村第一书记"),
        ),
        "team_members": count_text(kind_counts[PostKind.TEAM_MEMBER], _("人次")),
        "seconded": src.count(
            _("挂职干部"), kind_counts[PostKind.SECONDED], _("人次"), _("assistance 选派记录,类型 挂职干部")
        ),
        "in_post": count_text(len(in_post), _("名")),
        "in_post_on": date_text(in_post_on),
    }

    # 定点帮扶责任书: the unit's pledges against its actuals (outcomes' one definition).
    targets = []
    for row in outcomes.indicator_rows(outcomes.unit_targets(unit_id=unit.pk, years=years)):
        for item in row["items"]:
            fmt = amount_text if item["money"] else (lambda n: count_text(n, _("人次")))
            targets.append(
                {
                    "year": _("%(y)d年") % {"y": row["target"].year},
                    "name": str(TARGET_NAMES[item["name"]]),
                    "target": fmt(item["target"]),
                    "actual": fmt(item["actual"]),
                    "rate": "—" if item["rate"] is None else f"{item['rate']}%",
                }
            )

    made_on = today or timezone.localdate()
    return {
        "unit": {"name": unit.name, "short": unit.short_name or unit.name, "kind": unit.get_kind_display()},
        "first": first,
        "last": last,
        "span": span,
        "made_on": date_text(made_on),
        "subunits": subunits,
        "places": places,
        "place_count": len(places),
        "places_text": "、".join(places) or _("(未登记帮扶地区)"),
        "leading_group": "",  # no app records a unit's 扶贫工作领导小组 yet
        "funds": funds,
        "categories": categories,
        "project_count": project_text,
        "notable": notable,
        "training": train,
        "consumption": consumption,
        "employment": employment,
        "pairing": pairing,
        "cadres": cadres_sent,
        "targets": targets,
        "sources": src.rows,
    }


TARGET_NAMES = {
    "direct_funds": gettext_lazy("直接投入帮扶资金"),
    "brought_in_funds": gettext_lazy("引进帮扶资金"),
    "cadres_trained": gettext_lazy("培训基层干部"),
    "technicians_trained": gettext_lazy("培训技术人员"),
    "bought": gettext_lazy("购买农产品"),
    "sold": gettext_lazy("帮助销售农产品"),
}


def _place_name(region) -> str:
    """A place as the report names it: the county (or township, village) name."""
    return str(region.name)


# --- the charts ------------------------------------------------------------------------------------


RC = {"font.family": "sans-serif", "font.sans-serif": [FONT, "DejaVu Sans"], "axes.unicode_minus": False}


def _figure(width: float = 7.0, height: float = 3.6):
    """A figure of its own (matplotlib's object API with the Agg canvas: no pyplot, no global state,
    safe in a worker that draws several reports at once)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=150)


def _png(draw) -> bytes:
    """The PNG of what `draw(fig)` draws, in the report's font (a local rc context, set while drawing
    and saving: text is laid out when saved)."""
    from matplotlib import rc_context

    with rc_context(RC):
        fig = _figure()
        draw(fig)
        out = io.BytesIO()
        fig.savefig(out, format="png", bbox_inches="tight")
    return out.getvalue()


def chart_funds(report: dict) -> bytes:
    """帮扶资金投入(按类别), 万元: one horizontal bar per category."""
    return _png(lambda fig: _draw_funds(fig, report))


def _draw_funds(fig, report: dict) -> None:
    ax = fig.subplots()
    rows = report["categories"] or [{"label": _("无"), "value": Decimal(0)}]
    labels = [r["label"] for r in rows][::-1]
    values = [float(r["value"] / WAN) for r in rows][::-1]
    bars = ax.barh(labels, values, color="#c0392b")
    ax.bar_label(bars, labels=[f"{v:,.0f}" for v in values], padding=3, fontsize=8)
    ax.set_xlabel(_("万元"))
    ax.set_title(_("帮扶资金投入(按类别,%(s)s)") % {"s": report["span"]})
    ax.spines[["top", "right"]].set_visible(False)
    ax.margins(x=0.15)


def chart_purchases(report: dict) -> bytes:
    """消费帮扶(按年度), 万元: bought and sold side by side per year."""
    return _png(lambda fig: _draw_purchases(fig, report))


def _draw_purchases(fig, report: dict) -> None:
    ax = fig.subplots()
    rows = report["consumption"]["years"]
    xs = range(len(rows))
    bought = [float(r["bought_value"] / WAN) for r in rows]
    sold = [float(r["sold_value"] / WAN) for r in rows]
    ax.bar([x - 0.2 for x in xs], bought, width=0.4, label=_("购买农产品"), color="#c0392b")
    ax.bar([x + 0.2 for x in xs], sold, width=0.4, label=_("帮助销售农产品"), color="#e67e22")
    ax.set_xticks(list(xs), [r["year"] for r in rows])
    ax.set_ylabel(_("万元"))
    ax.set_title(_("消费帮扶(按年度)"))
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def charts(report: dict) -> dict[str, bytes]:
    return {"chart_funds": chart_funds(report), "chart_purchases": chart_purchases(report)}


# --- the document ----------------------------------------------------------------------------------


def render(report: dict, out, *, images: dict[str, bytes] | None = None, template: Path = TEMPLATE) -> None:
    """Fill the template with the report (and its charts, drawn unless given) into `out` (a path or a
    binary file)."""
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    images = charts(report) if images is None else images
    doc = DocxTemplate(str(template))
    context = {
        **report,
        **{name: InlineImage(doc, io.BytesIO(data), width=Mm(150)) for name, data in images.items()},
    }
    doc.render(context, autoescape=True)
    doc.save(out)


def filename(report: dict) -> str:
    return _("%(u)s_帮扶成效报告_%(s)s.docx") % {"u": report["unit"]["short"], "s": report["span"]}


def generate(unit, first: int, last: int, out) -> dict:
    """Gather, draw and render: the report's data (what the job records)."""
    report = gather(unit, first, last)
    render(report, out)
    return report
