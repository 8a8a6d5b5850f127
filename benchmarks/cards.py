"""`fupin bench_cards`: a village's 明白卡 as one PDF, a card a page (issue 14: "300 明白卡 of a
village under 30 s"), against the limit: WeasyPrint alone laying out and writing the same HTML.

- ours: `documents.cards.village_cards`, what the batch job runs: the village's households as a
  county officer sees them (the scoping choke point), each list read once for all of them
  (members, latest incomes, pairings, plans, measures and their done dates, monitoring objects),
  the template, then WeasyPrint on the machine's cores (`cards.card_parts`: two parts per core,
  each rendered in a child process) and the parts joined into one PDF;
- the limit: the same HTML parts (built before the clock starts: no database, no template)
  rendered by the same calls (`documents.pdf.render_parallel`, same workers) into one PDF.

The ratio ours / limit is what reading and templating add to the renderer. Both must give a PDF of
one page per household.

`prepare(village, households)` makes the village's households once through the registry's and the
assistance app's services (validated, encrypted as in production): 3 members each, two yearly
incomes, a 帮扶责任人 of a unit, three measures (one done), so each card is a full one. It adds what
is missing, so a second run reuses the first one's rows.
"""

import datetime
import os
import statistics
import time
from decimal import Decimal

from fupin.accounts.models import DataScope, User, UserRole
from fupin.accounts.roles import Role
from fupin.assistance import services as assistance
from fupin.documents import cards, pdf
from fupin.orgs.models import Unit
from fupin.regions.models import Region
from fupin.regions.names import initials_of, short_name_of
from fupin.registry import selectors as registry
from fupin.registry import services
from fupin.registry.idnumbers import make_id_number

# A village of 兴海县 that no seed or fill uses (the division tree may not hold it: made if missing).
VILLAGE = "632524203298"
PLACES = [
    ("63", "青海省", 1, None),
    ("6325", "海南藏族自治州", 2, "63"),
    ("632524", "兴海县", 3, "6325"),
    ("632524203", "唐乃亥乡", 4, "632524"),
    (VILLAGE, "明白卡测试村村民委员会", 5, "632524203"),
]
SURNAMES = "才让扎西多杰卓玛拉毛王李张刘陈杨赵黄周吴"
MEASURES = (
    ("industry", "养殖牦牛{n}头", Decimal("5000")),
    ("employment", "公益性岗位(护林员)", Decimal("10000")),
    ("education", "雨露计划助学", Decimal("1500")),
)


def _place(village: str) -> Region:
    found = Region.objects.filter(code=village).first()
    if found is not None:
        return found
    for code, name, level, parent in PLACES if village == VILLAGE else []:
        short = short_name_of(name)
        Region.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "level": level,
                "parent_id": parent,
                "initials": initials_of(short),
            },
        )
    return Region.objects.get(code=village)


def officer(county: str) -> User:
    """The county officer the cards are printed as (made once)."""
    user = User.objects.filter(username=f"bench_cards_{county}").first()
    if user is None:
        user = User.objects.create_user(username=f"bench_cards_{county}", full_name="明白卡测试")
        UserRole.objects.create(user=user, role=Role.COUNTY_OFFICER)
        DataScope.objects.create(user=user, region_id=county)
    return user


def _id(village: str, n: int, k: int) -> str:
    # Born on one of 36,500 days from 1930 with sequence 700-999 (parity: the sex): unique per (n, k)
    # and apart from the fill's numbers, whose sequences run over the whole range slot by slot.
    born = datetime.date(1930, 1, 1) + datetime.timedelta(days=(n * 7 + k * 3001) % 36_500)
    return make_id_number(
        area_code=village[:6], birth_date=born, sequence=700 + (n * 3 + k) % 300, male=k != 1
    )


def prepare(village: str = VILLAGE, households: int = 300, *, say=lambda s: None) -> int:
    """Make the village hold at least `households` households with full cards; returns how many it holds."""
    region = _place(village)
    have = registry.village_households(None, village).count()
    if have >= households:
        return have
    unit, _made = Unit.objects.get_or_create(
        name="明白卡测试帮扶单位", defaults={"kind": Unit.Kind.CENTRAL_ENTERPRISE, "region_id": village[:2]}
    )
    # With a phone: every card decrypts it to print it in clear, as in production.
    cadre = assistance.cadre_create(
        by=None,
        name="周建国",
        level="central",
        region=region.code,
        unit=unit,
        title="驻村第一书记",
        phone="13900002222",
    )
    for n in range(have, households):
        surname = SURNAMES[n % len(SURNAMES)]
        household = services.household_create(
            by=None, village_code=village, attribute="ordinary", main_cause="no_funds", phone="13900001111"
        )
        for k, (name, relation) in enumerate(
            ((f"{surname}{n}", "head"), ("拉毛措", "spouse"), (f"{surname}小{n}", "son"))
        ):
            services.member_add(
                by=None, household=household, name=name, id_number=_id(village, n, k), relation=relation
            )
        services.income_record(by=None, household=household, year=2025, wages=9000 + n, business=3000)
        services.income_record(by=None, household=household, year=2026, wages=12000 + n, business=3500)
        assistance.pairing_create(by=None, cadre=cadre, household=household, start=datetime.date(2025, 3, 1))
        for i, (kind, content, amount) in enumerate(MEASURES):
            measure = assistance.measure_add(
                by=None, household=household, type=kind, content=content.format(n=n % 20 + 1),
                due=datetime.date(2026, 10, 1), amount=amount,
            )  # fmt: skip
            if i == 0:
                assistance.measure_transition(by=None, measure=measure, to="active", version=measure.version)
                measure.refresh_from_db()
                assistance.measure_transition(
                    by=None, measure=measure, to="done", version=measure.version, result="年增收4000元"
                )
        if (n + 1) % 50 == 0:
            say(f"  {n + 1} / {households}")
    return registry.village_households(None, village).count()


def page_count(pdf: bytes) -> int:
    """Pages of a PDF (pdfinfo, from poppler-utils)."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        out = subprocess.run(["pdfinfo", file.name], capture_output=True, check=True, text=True).stdout  # noqa: S603, S607
    return int(next(line.split(":")[1] for line in out.splitlines() if line.startswith("Pages:")))


def _cpu() -> float:
    """CPU seconds of this process and of its children that have ended (the pool's, once joined)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run(
    village: str = VILLAGE,
    *,
    size: str = "A5",
    rounds: int = 1,
    workers: int | None = None,
    user=None,
    say=lambda s: None,
) -> dict:
    """Time ours and the limit `rounds` times each (alternating which goes first); medians of the
    wall time and of the CPU time of this process and its children (the cores' work: on a busy
    machine the wall time is mostly waiting). `workers`: processes (default: the cores)."""
    user = user or officer(village[:6])
    workers = workers or pdf.cores()
    households = list(registry.village_households(user, village))
    built = cards.build_cards(households, user, size=size)
    # The limit's input, made beforehand: the same parts as ours.
    htmls = [cards.card_html(part, size=size) for part in cards.card_parts(built, workers)]
    times: dict[str, list[float]] = {"ours": [], "limit": []}
    cpu: dict[str, list[float]] = {"ours": [], "limit": []}
    pages: dict[str, int] = {}

    def ours():
        made, _count = cards.village_cards(user, village, size=size, workers=workers)
        return made

    def limit():
        return pdf.render_parallel(htmls, workers=workers)

    for r in range(rounds):
        order = (("ours", ours), ("limit", limit)) if r % 2 == 0 else (("limit", limit), ("ours", ours))
        for name, side in order:
            start, start_cpu = time.perf_counter(), _cpu()
            made = side()
            times[name].append(time.perf_counter() - start)
            cpu[name].append(_cpu() - start_cpu)
            pages[name] = page_count(made)
            say(
                f"  round {r + 1}: {name} {times[name][-1]:.2f} s (CPU {cpu[name][-1]:.2f} s), "
                f"{pages[name]} pages, {len(made):,} bytes"
            )
    ours_s, limit_s = statistics.median(times["ours"]), statistics.median(times["limit"])
    return {
        "households": len(households),
        "workers": workers,
        "pages": pages,
        "ours": ours_s,
        "limit": limit_s,
        "ratio": ours_s / limit_s if limit_s else float("inf"),
        # CPU time of this process and its children: the cores' work (the database's is apart).
        "ours_cpu": statistics.median(cpu["ours"]),
        "limit_cpu": statistics.median(cpu["limit"]),
        "per_card_ms": 1000 * ours_s / max(len(households), 1),
    }
