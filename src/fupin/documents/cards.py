"""明白卡 and 一户一档: one household's records gathered through the owners' selectors, rendered to PDF.

- `build_cards(households, user, clear=)`: the 明白卡 of households already fetched in scope, each list
  read once for all of them (members, latest incomes, pairings, plans and measures, monitoring
  objects): a village of 300 households is a handful of queries, not a few per card.
- `cards_pdf(cards, size=)`: one PDF, a card a page (A5, the card size, or A4). WeasyPrint lays the
  cards out in parts (`card_parts`), on the machine's cores when there are more than CHUNK cards
  (`documents.pdf.render_parallel`), progress after each part, and the parts are joined into one
  document. A card lists at most LIMITS[size] members, measures and policies (the rest are counted
  on it: "另有 N 项,见一户一档"), so a batch is exactly one page per household.
- `household_file_pdf(household, user, clear=)`: 一户一档, every record of the household in one
  document with a cover, sections and page numbers, and the projects it benefits from
  (`projects.selectors.household_benefits`).

Personal data (docs/architecture.md "Personal data"; DOMAIN.md): a card carries members' names, sex,
relation and the masked ID number (`6201**********1234`), never the household's phone or bank
account, health or disability, nor the poverty cause (因病/因残 tell a member's health). Clear ID
numbers only when the caller has checked `registry.reveal_household` on the household and audits the
print with its purpose (`clear=True`); the 一户一档 in clear also shows phone, bank account, health
and disability, masked ("***") otherwise. The 帮扶责任人's name, unit and phone are printed, the
phone decrypted (`cadre_phone`): telling the household whom to call is what the card is for.
"""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fupin.assistance import selectors as assistance
from fupin.core import crypto
from fupin.documents import pdf
from fupin.monitoring import selectors as monitoring
from fupin.monitoring import selectors_lists as monitoring_lists
from fupin.projects import selectors as projects
from fupin.regions import selectors as regions
from fupin.regions.models import Region
from fupin.registry import selectors as registry

SIZES = ("A5", "A4")
# What a card lists at most (members, measures not yet done, policies received), so that it fits one
# page of its size; the rest is counted on it ("另有 N 项,见一户一档").
LIMITS = {"A5": (8, 6, 5), "A4": (10, 10, 8)}
MAX_MEMBERS, MAX_MEASURES, MAX_POLICIES = LIMITS["A5"]
CHUNK = 25
HIDDEN = "***"
FONT = "Noto Sans CJK SC"
# 两不愁三保障 and water, as the registry's check names them (registry.models.LivingCheck.ITEMS).
LIVING_ITEMS = (
    ("food", gettext_lazy("不愁吃")),
    ("clothing", gettext_lazy("不愁穿")),
    ("education", gettext_lazy("义务教育有保障")),
    ("medical", gettext_lazy("基本医疗有保障")),
    ("housing", gettext_lazy("住房安全有保障")),
    ("water", gettext_lazy("饮水安全有保障")),
)


def money(value) -> str:
    """An amount in yuan as offices write it: 12,345.60 (empty for none)."""
    if value is None:
        return ""
    return f"{Decimal(value):,.2f}"


def day(value) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def cadre_phone(cadre) -> str:
    """The 帮扶责任人's work mobile, decrypted and in clear: the card is given to the household so that
    it can call its cadre, and that is the card's purpose. So unlike a household's own phone (a
    reveal: `registry.reveal_household` and an audited purpose) it needs no permission of the
    printer and no reveal audit; the print itself is audited as every print is. Screens, lists,
    exports and the API show only `phone_masked`. A cadre without one leaves a line on the card
    to write it in by hand."""
    return crypto.decrypt(cadre.phone_enc)


@dataclass
class Card:
    """What one 明白卡 shows (plain values, ready for the template)."""

    household: object
    address: str
    members: list[dict]
    more_members: int
    cadres: list[dict]
    measures: list[dict]
    more_measures: int
    policies: list[dict]
    more_policies: int
    total: str
    monitoring: str
    income: dict | None
    status: str = ""
    extra: dict = field(default_factory=dict)


class _Addresses:
    """Province … village names of village codes, each village's path read once."""

    def __init__(self):
        self._known: dict[str, str] = {}

    def __call__(self, code: str) -> str:
        if code not in self._known:
            path = Region.objects.filter(code__in=[*regions.ancestor_codes(code), code]).order_by("code")
            self._known[code] = "".join(r.short_name or r.name for r in path)
        return self._known[code]


def _member_row(member, clear: bool) -> dict:
    return {
        "name": member.name,
        "sex": member.get_sex_display(),
        "relation": member.get_relation_display(),
        "id_number": registry.clear_id_number(member) if clear else member.id_number_masked,
        "labour": member.get_labour_display() if member.labour else "",
    }


def _measure_row(measure) -> dict:
    return {
        "kind": measure.get_type_display(),
        "content": measure.content,
        "amount": money(measure.amount),
        "due": day(measure.due),
        "done_on": day(getattr(measure, "done_on", None)),
        "status": measure.get_status_display(),
        "cadre": measure.cadre.name if measure.cadre_id else "",
    }


def monitoring_text(obj) -> str:
    """监测状态 as a card says it."""
    if obj is None:
        return _("非监测对象")
    text = _("%(type)s,%(status)s(%(date)s识别)") % {
        "type": obj.get_type_display(),
        "status": obj.get_status_display(),
        "date": day(obj.identified_on),
    }
    if obj.eliminated_on:
        text += _(",%(date)s风险消除") % {"date": day(obj.eliminated_on)}
    if obj.safety_net:
        text += _(",兜底保障")
    return text


def build_cards(
    households, user, *, size: str = "A5", clear: bool = False, on: datetime.date | None = None
) -> list[Card]:
    """The 明白卡 of `households` (fetched in scope, in the order given), as `user` may see their records.

    size: the paper (what fits a page: LIMITS). clear: members' ID numbers in full (the caller
    checked the reveal permission and audits)."""
    max_members, max_measures, max_policies = LIMITS.get(size, LIMITS["A5"])
    households = list(households)
    ids = [h.pk for h in households]
    members = registry.members_by_household(ids)
    incomes = registry.latest_incomes(ids)
    helped = assistance.card_assistance(ids, user, on)
    objects = monitoring.card_monitoring(ids, user)
    address = _Addresses()
    cards = []
    for household in households:
        people = members.get(household.pk, [])
        help_ = helped.get(household.pk, {"pairings": [], "measures": []})
        done = [m for m in help_["measures"] if m.status == "done"]
        planned = [m for m in help_["measures"] if m.status != "done"]
        income = incomes.get(household.pk)
        cards.append(
            Card(
                household=household,
                address=address(household.village_id) + (household.group_name or ""),
                members=[_member_row(m, clear) for m in people[:max_members]],
                more_members=max(0, len(people) - max_members),
                cadres=[
                    {
                        "name": p.cadre.name,
                        "title": p.cadre.title,
                        "unit": str(p.cadre.unit) if p.cadre.unit_id else p.cadre.get_level_display(),
                        "phone": cadre_phone(p.cadre),
                        "start": day(p.start),
                    }
                    for p in help_["pairings"][:2]
                ],
                measures=[_measure_row(m) for m in planned[:max_measures]],
                more_measures=max(0, len(planned) - max_measures),
                policies=[_measure_row(m) for m in done[:max_policies]],
                more_policies=max(0, len(done) - max_policies),
                total=money(sum((m.amount or Decimal(0) for m in help_["measures"]), Decimal(0))),
                monitoring=monitoring_text(objects.get(household.pk)),
                income=(
                    {
                        "year": income.year,
                        "per_capita": money(income.per_capita),
                        "net": money(income.net_income),
                    }
                    if income
                    else None
                ),
                status=household.get_status_display(),
            )
        )
    return cards


# --- rendering ------------------------------------------------------------------------------------


def card_html(cards: list[Card], *, size: str = "A5", clear: bool = False) -> str:
    """The HTML of the cards, a card a page."""
    return render_to_string(
        "documents/card.html",
        {
            "cards": cards,
            "size": size if size in SIZES else "A5",
            "font": FONT,
            "clear": clear,
            "printed": timezone.localdate(),
        },
    )


def card_parts(cards: list[Card], workers: int) -> list[list[Card]]:
    """The cards cut into the parts laid out one at a time: chunks of CHUNK in one process; on several
    cores two parts per core, not a part per CHUNK: each part embeds its own font subset (~0.3 MB)
    and pays a child's start-up, while two per core still even out the cores and give progress."""
    count = max(1, math.ceil(len(cards) / CHUNK))
    if workers > 1:
        count = min(count, 2 * workers)
    per = max(1, math.ceil(len(cards) / count))
    return [cards[i : i + per] for i in range(0, len(cards), per)] or [[]]


def cards_pdf(
    cards: list[Card],
    *,
    size: str = "A5",
    clear: bool = False,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
) -> bytes:
    """One PDF of `cards`, a card a page; `progress(cards done, total)` after each part.

    More than CHUNK cards are laid out on the machine's cores (`workers`, all by default): the HTML
    is made here (the template needs Django and the records), each part rendered to PDF in a child
    process that reads nothing, the parts joined (`pdf.render_parallel`)."""
    workers = pdf.cores() if workers is None else workers
    parts = card_parts(cards, workers)
    per = len(parts[0])

    def report(i: int) -> None:
        if progress:
            progress(min(i * per, len(cards)), len(cards))

    htmls = [card_html(part, size=size, clear=clear) for part in parts]
    return pdf.render_parallel(htmls, report, workers=workers)


def household_card_pdf(household, user, *, size: str = "A5", clear: bool = False) -> bytes:
    return cards_pdf(build_cards([household], user, size=size, clear=clear), size=size, clear=clear)


def village_cards(
    user, village_code: str, *, size: str = "A5", progress=None, workers: int | None = None
) -> tuple[bytes, int]:
    """The 明白卡 of every household of the village that `user` sees, in one PDF (always masked);
    returns (pdf, number of households). `progress(done, total, message)`; `workers`: processes
    laying the cards out (default: the machine's cores)."""
    households = list(registry.village_households(user, village_code))
    total = len(households)
    if progress:
        progress(0, total, _("正在读取 %(n)d 户的记录") % {"n": total})
    cards = build_cards(households, user, size=size)

    def report(done: int, total: int) -> None:
        if progress:
            progress(done, total, _("已生成 %(done)d / %(total)d 张") % {"done": done, "total": total})

    return cards_pdf(cards, size=size, progress=report, workers=workers), total


# --- 一户一档 ---------------------------------------------------------------------------------------


def _yes(value: bool) -> str:
    return _("是") if value else _("否")


def household_file_context(household, user, *, clear: bool = False) -> dict:
    """Everything 一户一档 holds, as `user` may see it (the household fetched in scope)."""
    detail = registry.household_detail(household)
    help_ = assistance.household_file_assistance(household, user)
    watched = monitoring_lists.household_monitoring(household, user) if user is not None else None
    steps = monitoring_lists.timeline_entries(household, user) if user is not None else []
    members = []
    for member in detail["members"]:
        members.append(
            {
                **_member_row(member, clear),
                "ethnicity": member.ethnicity,
                "education": member.get_education_display() if member.education else "",
                "school": member.get_school_status_display(),
                "health": registry.clear_personal(member, "health") if clear else HIDDEN,
                "disability": registry.clear_personal(member, "disability") if clear else HIDDEN,
                "work": member.get_work_status_display()
                + (_(" · %(n)d个月") % {"n": member.months_worked} if member.months_worked else ""),
                "dibao": _yes(member.dibao),
                "medical": _yes(member.medical_insurance),
                "pension": _yes(member.pension_insurance),
                "birth": str(member.birth_date) if clear else member.birth_date_masked,
            }
        )
    incomes = [
        {
            "year": i.year,
            "people": i.people,
            "wages": money(i.wages),
            "business": money(i.business),
            "transfers": money(i.transfers),
            "property": money(i.property),
            "costs": money(i.production_costs),
            "net": money(i.net_income),
            "per_capita": money(i.per_capita),
            "line": money(i.line),
            "below": i.below_line,
        }
        for i in detail["incomes"]
    ]
    checks = [
        {
            "year": c.year,
            "checked_at": day(c.checked_at),
            "items": [
                {"label": label, "ok": getattr(c, item), "reason": (c.reasons or {}).get(item, "")}
                for item, label in LIVING_ITEMS
            ],
        }
        for c in sorted(detail["checks"], key=lambda c: c.year)
    ]
    events = [
        {
            "at": timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
            "action": e.get_action_display(),
            "change": " → ".join(x for x in (e.get_from_status_display(), e.get_to_status_display()) if x),
            "actor": str(e.actor) if e.actor_id else _("系统"),
            "reason": e.reason,
        }
        for e in sorted(detail["events"], key=lambda e: (e.at, e.pk))
    ]
    objects = [item["object"] for item in (watched or {}).get("objects", [])]
    cases = [*(watched or {}).get("open_cases", []), *(watched or {}).get("history", [])]
    return {
        "household": household,
        "address": _Addresses()(household.village_id) + (household.group_name or ""),
        "clear": clear,
        "phone": registry.clear_personal(household, "phone") if clear else household.phone_masked,
        "bank_account": (
            registry.clear_personal(household, "bank_account") if clear else household.bank_account_masked
        ),
        "members": members,
        "incomes": incomes,
        "checks": checks,
        "events": events,
        "pairings": [
            {
                "name": p.cadre.name,
                "title": p.cadre.title,
                "unit": str(p.cadre.unit) if p.cadre.unit_id else p.cadre.get_level_display(),
                "phone": cadre_phone(p.cadre),
                "start": day(p.start),
                "end": day(p.end),
                "end_reason": p.end_reason,
            }
            for p in help_["pairings"]
        ],
        "plan": help_["plan"],
        "measures": [{**_measure_row(m), "result": m.result} for m in help_["measures"]],
        "visits": [
            {
                "on": day(v.visited_on),
                "who": str(v.cadre or v.visitor or ""),
                "met": v.people_met,
                "notes": v.notes,
                "issues": v.issues,
            }
            for v in help_["visits"]
        ],
        "monitoring_seen": watched is not None,
        "objects": [
            {
                "type": o.get_type_display(),
                "former_poor": o.former_poor,
                "identified": day(o.identified_on),
                "status": o.get_status_display(),
                "risks": "、".join(str(r.get_risk_display()) for r in o.risks.all()),
                "layer": str(o.layer or ""),
                "safety_net": o.safety_net,
                "eliminated": day(o.eliminated_on),
                "elimination_kind": o.get_elimination_kind_display() if o.elimination_kind else "",
            }
            for o in objects
        ],
        "cases": [
            {
                "kind": _("风险线索") if c["kind"] == "lead" else _("风险消除"),
                "number": getattr(c["case"], "number", ""),
                "risks": "、".join(str(r) for r in c["risk_labels"])
                or (c["case"].get_kind_display() if c["kind"] != "lead" else ""),
                "stage": c["case"].get_stage_display(),
                "opened": day(c["case"].opened_on),
                "decided": day(c["case"].decided_on),
            }
            for c in sorted(cases, key=lambda c: (c["case"].opened_on, c["case"].pk))
        ],
        "steps": [
            {
                "at": timezone.localtime(s["at"]).strftime("%Y-%m-%d"),
                "title": s["title"],
                "text": s.get("text", ""),
                "who": s.get("who", ""),
            }
            for s in sorted(steps, key=lambda s: s["at"])
        ],
        "projects": [
            {
                "name": b.project.name,
                "year": b.project.year,
                "category": b.project.get_category_display(),
                "place": b.project.place.short_name or b.project.place.name,
                "status": b.project.get_status_display(),
                "benefit": b.benefit,
                "amount": money(b.amount),
                "whole_village": b.household_id is None,
            }
            for b in projects.household_benefits(household, user)
        ],
        "printed": timezone.localdate(),
        "font": FONT,
        "page_label": page_label(),
    }


def page_label() -> tuple[str, str, str]:
    """The footer's 第 N 页 / 共 M 页 in the active language, cut around its two numbers (the PDF's
    CSS counters fill them in)."""
    label = _("第 %(page)s 页 / 共 %(pages)s 页")
    before, rest = label.split("%(page)s", 1)
    middle, after = rest.split("%(pages)s", 1)
    return before, middle, after


def household_file_html(household, user, *, clear: bool = False, printed_by: str = "") -> str:
    context = household_file_context(household, user, clear=clear)
    context["printed_by"] = printed_by
    return render_to_string("documents/household_file.html", context)


def household_file_pdf(household, user, *, clear: bool = False, printed_by: str = "") -> bytes:
    return pdf.render_pdf(household_file_html(household, user, clear=clear, printed_by=printed_by))


# --- names of the files ----------------------------------------------------------------------------


def card_file_name(household, *, size: str, clear: bool) -> str:
    name = _("明白卡_%(number)s_%(head)s_%(size)s") % {
        "number": household.number,
        "head": household.head_name,
        "size": size,
    }
    return name + (_("_明文") if clear else "") + ".pdf"


def household_file_name(household, *, clear: bool) -> str:
    name = _("一户一档_%(number)s_%(head)s") % {"number": household.number, "head": household.head_name}
    return name + (_("_明文") if clear else "") + ".pdf"


def village_file_name(village, *, size: str) -> str:
    return _("%(village)s_明白卡_%(size)s_%(date)s.pdf") % {
        "village": village.short_name or village.name,
        "size": size,
        "date": timezone.localdate().strftime("%Y%m%d"),
    }
