"""Demo data of supervision (issue 15): seed 001's plan broken into tasks, and the closed loop of
unannounced inspections (闭环式跟踪问效) in 兴海县 and 泾川县.

- Plans, from `supervision/data/plans.json` (which marks each text quoted from seed 001 or derived):
  中共甘肃省委组织部's 抓党建促脱贫攻坚三年行动计划 (2018–2020: 10 goals, 30 measures, 92 tasks, each with
  its 牵头处室, 责任处室 and 完成时限; the 处室 are units under the department), nearly all done with their
  progress reports, two done late and five never finished (red); and 兴海县's routine-assistance plan
  of this year (six tasks, deadlines counted from the demo's today: some past, one near).
- Inspections: two 暗访 of 兴海县 this year by its inspector, with a checklist; findings at every
  state of the loop — 待整改 (one on time, one red and escalated to 大唐's parent), 整改中 (one orange,
  one sent back with reasons), 待核验, 已销号 — linked to households, a project, a party branch, a
  cadre, a work team and the assisting unit; evidence, before and after photos (small JPEGs drawn
  here). 甘肃省委组织部's 2019 暗访 of 泾川县 and 庄浪县, closed within the quarter (one sent back
  first), and 泾川县's own 明查 this year with a finding 待整改 and one 待核验.
- Assessment: 兴海县's consolidation assessment of this year (巩固拓展脱贫攻坚成果考核) by 青海省查看, its
  figures from the rollup, one score adjusted with its note, a photo and a PDF as evidence (a draft).

Written through supervision.services (create_plan, add_goal/measure/task, report_task,
create_inspection, record_check, record_finding, plan_rectification, submit_rectification,
send_back, close_finding, finish_inspection, escalate_findings); the 处室 and 兴海县's offices
(orgs.Unit) and the checklists (reference data of the back office) straight to their tables. Dates
count back from the day the demo is built, and every event carries the day it records
(demo/when.py). Idempotent: a plan whose title exists, an inspection whose title exists, is skipped.
"""

import datetime
import json
import struct
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

from fupin.accounts.models import User
from fupin.assistance.models import Cadre, WorkTeam
from fupin.demo.when import moment, restamp
from fupin.orgs.models import Unit
from fupin.party.models import PartyOrg
from fupin.projects.models import Project
from fupin.regions.models import Region
from fupin.registry.models import Household
from fupin.supervision import services
from fupin.supervision.choices import AssessmentKind, InspectionKind, Severity, TaskState
from fupin.supervision.models import (
    Assessment,
    Category,
    Checklist,
    ChecklistItem,
    Finding,
    FindingEvent,
    Inspection,
    Plan,
    Task,
    TaskEvent,
    TaskReport,
)

D = datetime.date
DAY = datetime.timedelta(days=1)
PLANS = Path(__file__).resolve().parent.parent / "supervision" / "data" / "plans.json"
XINGHAI = "632524"
MINZU, NINGQU, QINGGENHE = "632524203207", "632524101206", "632524100202"
FENGHUANG, DIAOGOU, JINGCHUAN = "620821100206", "620825100216", "620821"
DATANG = "大唐青海能源开发有限公司"
GANSU_ISSUED = D(2018, 2, 28)  # chosen: the seed (March 2019) says the plan "出台了", not when

# Seed 001's tasks never finished (still red today) and those done late: chosen for the demo.
UNFINISHED = {
    "贫困村党支部标准化建设全部达标": 85,
    "贫困村集体经济空壳村基本消除": 70,
    "开发精准扶贫网络培训课程,驻村干部在线学习全覆盖": 60,
    "实施教育、卫生、农技等专业技术人才支持计划": 80,
    "建立容错纠错机制,为担当作为的干部撑腰鼓劲": 0,
}
LATE = {
    "对整顿村逐村验收销号,未达标的继续整顿": D(2019, 9, 20),
    "建立村干部培训档案,按人统计培训人次": D(2020, 9, 15),
}


# --- small JPEGs: the photos of findings (no image library at runtime) -------------------------------

_DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)  # the standard luminance DC table


def jpeg(colour, width: int = 160, height: int = 120) -> bytes:
    """A baseline JPEG whose 8×8 blocks are flat, `colour(bx, by)` giving each block's (r, g, b):
    DC coefficients only (every block ends at once), so a few hundred bytes make a real picture."""
    codes, code, symbol = {}, 0, 0
    for length, count in enumerate(_DC_BITS, start=1):
        for _ in range(count):
            codes[symbol] = (code, length)
            code, symbol = code + 1, symbol + 1
        code <<= 1
    data, acc, nbits = bytearray(), 0, 0

    def put(value: int, length: int) -> None:
        nonlocal acc, nbits
        acc, nbits = (acc << length) | (value & ((1 << length) - 1)), nbits + length
        while nbits >= 8:
            byte = (acc >> (nbits - 8)) & 0xFF
            data.extend((byte, 0) if byte == 0xFF else (byte,))  # 0xFF is stuffed in the scan
            nbits -= 8
        acc &= (1 << nbits) - 1

    previous = [0, 0, 0]
    for by in range(height // 8):
        for bx in range(width // 8):
            r, g, b = colour(bx, by)
            ycc = (
                0.299 * r + 0.587 * g + 0.114 * b,
                128 - 0.168736 * r - 0.331264 * g + 0.5 * b,
                128 + 0.5 * r - 0.418688 * g - 0.081312 * b,
            )
            for i, value in enumerate(ycc):
                coefficient = round(8 * (value - 128))
                diff, previous[i] = coefficient - previous[i], coefficient
                size = abs(diff).bit_length()
                put(*codes[size])
                if size:
                    put(diff if diff > 0 else diff + (1 << size) - 1, size)
                put(0, 1)  # end of block: the AC table's one code
    if nbits:
        put((1 << (8 - nbits)) - 1, 8 - nbits)

    def segment(marker: int, body: bytes) -> bytes:
        return struct.pack(">HH", marker, len(body) + 2) + body

    return b"".join(
        (
            b"\xff\xd8",
            segment(0xFFE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
            segment(0xFFDB, b"\x00" + b"\x01" * 64),
            segment(
                0xFFC0, struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x00\x03\x11\x00"
            ),
            segment(0xFFC4, b"\x00" + bytes(_DC_BITS) + bytes(range(12))),
            segment(0xFFC4, b"\x10" + bytes((1,) + (0,) * 15) + b"\x00"),
            segment(0xFFDA, b"\x03\x01\x00\x02\x00\x03\x00\x00\x3f\x00"),
            bytes(data),
            b"\xff\xd9",
        )
    )


def photo(name: str, *, ground=(120, 96, 64), thing=(150, 150, 150), sky=(118, 170, 226)) -> ContentFile:
    """A photo-like JPEG: sky, a grey building (or whatever `thing` is) and the ground."""

    def colour(bx, by):
        if by >= 10:
            return tuple(min(255, c + 2 * bx) for c in ground)
        if 6 <= bx <= 13 and by >= 4:
            return thing
        return tuple(max(0, c - 4 * by) for c in sky)

    return ContentFile(jpeg(colour), name=name)


def _before(name: str) -> ContentFile:
    return photo(name, thing=(140, 90, 70), ground=(110, 90, 60))


def _after(name: str) -> ContentFile:
    return photo(name, thing=(200, 200, 190), ground=(70, 140, 60))


# --- plans -----------------------------------------------------------------------------------------


def load_plans() -> dict:
    return json.loads(PLANS.read_text(encoding="utf-8"))


def _office(department: Unit, short: str) -> Unit:
    unit, _created = Unit.objects.get_or_create(
        name=f"{department.name}{short}",
        defaults={
            "short_name": short,
            "kind": Unit.Kind.AGENCY,
            "region_id": department.region_id,
            "parent": department,
        },
    )
    return unit


def _units_of(spec: dict) -> dict[str, Unit]:
    """The plan's offices by the names the data file uses."""
    if "offices_of" in spec:
        department = Unit.objects.get(name=spec["offices_of"])
        names = {t["lead"] for t in _tasks(spec)} | {t["responsible"] for t in _tasks(spec)}
        return {name: _office(department, name) for name in names}
    units = {}
    for name, code in spec.get("units", ()):
        units[name], _created = Unit.objects.get_or_create(
            name=name, defaults={"short_name": name, "kind": Unit.Kind.AGENCY, "region_id": code}
        )
    for task in _tasks(spec):
        for name in (task["lead"], task["responsible"]):
            units.setdefault(name, Unit.objects.get(name=name))
    return units


def _tasks(spec: dict):
    return [t for g in spec["goals"] for m in g["measures"] for t in m["tasks"]]


def _build_plan(spec: dict, today: D) -> Plan | None:
    if Plan.objects.filter(title=spec["title"]).exists():
        return None
    units = _units_of(spec)
    if spec.get("year") == "demo":
        first = last = today.year
        issued = today - 150 * DAY
    else:
        first, last = D.fromisoformat(spec["start"]).year, D.fromisoformat(spec["end"]).year
        issued = GANSU_ISSUED
    plan = services.create_plan(
        by=None,
        title=spec["title"],
        area=Region.objects.get(code=spec["region"]),
        start_year=first,
        end_year=last,
        issuer=Unit.objects.get(name=spec["issuer"]),
        description=spec.get("about", ""),
    )
    for g, goal_spec in enumerate(spec["goals"], start=1):
        goal = services.add_goal(by=None, plan=plan, order=g, title=goal_spec["title"])
        for m, measure_spec in enumerate(goal_spec["measures"], start=1):
            measure = services.add_measure(by=None, goal=goal, order=m, title=measure_spec["title"])
            for t, task in enumerate(measure_spec["tasks"], start=1):
                due = D.fromisoformat(task["due"]) if "due" in task else today + task["due_in_days"] * DAY
                services.add_task(
                    by=None,
                    measure=measure,
                    order=t,
                    title=task["title"],
                    lead_unit=units[task["lead"]],
                    responsible_unit=units[task["responsible"]],
                    deadline=due,
                )
    _progress(plan, issued, today)
    return plan


def _report(task: Task, day: D, progress: int, note: str) -> None:
    task.refresh_from_db()
    services.report_task(
        by=None, task=task, version=task.version, progress=progress, note=note, reported_on=min(day, _today())
    )


def _today() -> D:
    return timezone.localdate()


def _progress(plan: Plan, issued: D, today: D) -> None:
    """Progress reports: a task done before its deadline (half-way first when it had months), the
    chosen ones late or unfinished; this year's plan as far as its dates allow."""
    for i, task in enumerate(plan.tasks.order_by("deadline", "id")):
        span = (task.deadline - issued).days
        if task.title in UNFINISHED:
            if UNFINISHED[task.title]:
                _report(task, task.deadline - 30 * DAY, UNFINISHED[task.title], "正在推进,尚未全面完成")
            continue
        if task.deadline >= today:
            # This year's open tasks: under way, not done.
            if span > 30:
                _report(task, issued + (span // 2) * DAY, 40, "已部署推进,正在逐项落实")
            continue
        if span > 90:
            _report(task, issued + (span // 2) * DAY, 50, "已制定工作方案,按进度推进")
        if plan.start_year == today.year and task.deadline < today and i % 2 == 0:
            continue  # this year's: every other past task is overdue
        done = LATE.get(task.title) or task.deadline - (5 + i % 20) * DAY
        _report(task, max(done, issued + DAY), 100, "已按要求完成,佐证材料已归档")
    _restamp_tasks(plan, issued)


def _restamp_tasks(plan: Plan, issued: D) -> None:
    first_report = {}
    for task_id, day in (
        TaskReport.objects.filter(task__plan=plan)
        .order_by("reported_on")
        .values_list("task_id", "reported_on")
    ):
        first_report.setdefault(task_id, day)
    done = dict(Task.objects.filter(plan=plan).values_list("id", "completed_on"))
    stamped = []
    for event in TaskEvent.objects.filter(task__plan=plan):
        if event.to_status == TaskState.NOT_STARTED:
            day = issued
        elif event.to_status == TaskState.DONE:
            day = done[event.task_id]
        else:
            day = first_report[event.task_id]
        stamped.append((event, moment(day)))
    restamp(TaskEvent, stamped)


# --- inspections and findings ----------------------------------------------------------------------

CATEGORIES = ["干部作风", "政策落实", "资金项目", "帮扶工作", "基层党建", "档案资料", "其他"]

XINGHAI_CHECKLIST = (
    "兴海县常态化帮扶暗访清单",
    [
        ("驻村第一书记和工作队员在岗在位", "每月在村工作不少于20天,请销假手续齐全", "干部作风"),
        ("帮扶责任人按月走访结对户", "每月至少入户走访一次,走访记录及时录入", "帮扶工作"),
        ("监测对象帮扶措施落实到户", "一户一策措施与实际相符,农户知晓", "政策落实"),
        ("村党组织组织生活规范", "“三会一课”按期召开,记录完整", "基层党建"),
        ("衔接资金项目公示和收益分配", "项目、资金和收益分配按规定公示", "资金项目"),
        ("农户档案资料齐全", "“一户一档”收入、帮扶资料及时更新", "档案资料"),
    ],
)
GANSU_CHECKLIST = (
    "抓党建促脱贫攻坚暗访清单",
    [
        ("第一书记在岗履职", "驻村工作时间和履职情况符合规定", "干部作风"),
        ("村党支部标准化建设", "对照7类42项标准逐项达标", "基层党建"),
        ("村干部后备队伍建设", "贫困村建立村干部后备队伍库", "基层党建"),
        ("帮扶工作资料", "帮扶手册、走访记录规范完整", "档案资料"),
    ],
)


def _checklist(name: str, items) -> tuple[Checklist, dict[str, ChecklistItem]]:
    checklist, _created = Checklist.objects.get_or_create(name=name, defaults={"description": "演示数据"})
    made = {}
    for order, (text, requirement, category) in enumerate(items, start=1):
        made[text], _created = ChecklistItem.objects.get_or_create(
            checklist=checklist,
            text=text,
            defaults={"order": order, "requirement": requirement, "category": _category(category)},
        )
    return checklist, made


def _category(name: str) -> Category:
    # Seeded by supervision's data migration; again here when a flushed test database lacks them.
    found, _created = Category.objects.get_or_create(
        name=name, defaults={"order": CATEGORIES.index(name) + 1}
    )
    return found


def _user(username: str):
    return User.objects.filter(username=username).first()


class Loop:
    """Walks findings through the closed loop and remembers each event's day for the restamp."""

    def __init__(self):
        self.stamped: list = []

    def _stamp(self, finding: Finding, day: D) -> Finding:
        event = FindingEvent.objects.filter(finding=finding).latest("id")
        self.stamped.append((event, moment(day)))
        finding.refresh_from_db()
        return finding

    def record(self, *, by, division: str, category: str, found: D, due: D, name: str, **fields) -> Finding:
        finding = services.record_finding(
            by=by,
            division=Region.objects.get(code=division),
            category=_category(category),
            found_on=found,
            deadline=due,
            photos=[photo(f"{name}-取证.jpg", thing=(140, 90, 70))],
            **fields,
        )
        return self._stamp(finding, found)

    def check(self, *, by, inspection, item, division: str, found: D, due: D, name: str, **fields):
        _row, finding = services.record_check(
            by=by,
            inspection=inspection,
            item=item,
            division=Region.objects.get(code=division),
            result="fail",
            note=fields.get("description", ""),
            open_finding=True,
            finding={
                "found_on": found,
                "deadline": due,
                "photos": [photo(f"{name}-取证.jpg", thing=(140, 90, 70))],
                **fields,
            },
        )
        return self._stamp(finding, found)

    def plan(self, finding, *, by, day: D, plan: str) -> Finding:
        services.plan_rectification(by=by, finding=finding, version=finding.version, plan=plan, on=day)
        return self._stamp(finding, day)

    def submit(self, finding, *, by, day: D, result: str, before: bool = False) -> Finding:
        services.submit_rectification(
            by=by,
            finding=finding,
            version=finding.version,
            result=result,
            before_photos=[_before(f"{finding.number}-整改前.jpg")] if before else [],
            after_photos=[_after(f"{finding.number}-整改后.jpg")],
            on=day,
        )
        return self._stamp(finding, day)

    def send_back(self, finding, *, by, day: D, reasons: list[str]) -> Finding:
        services.send_back(by=by, finding=finding, version=finding.version, reasons=reasons)
        return self._stamp(finding, day)

    def close(self, finding, *, by, day: D, note: str = "") -> Finding:
        services.close_finding(by=by, finding=finding, version=finding.version, note=note, on=day)
        return self._stamp(finding, day)

    def done(self) -> None:
        restamp(FindingEvent, self.stamped)


def _households(village: str, n: int) -> list:
    return list(Household.objects.filter(village_id=village).order_by("id")[:n])


def _first(qs):
    return qs.order_by("id").first()


def _xinghai(today: D, loop: Loop) -> int:
    t = lambda days: today - days * DAY  # noqa: E731 - a date `days` before the demo's today
    title1 = f"{today.year}年兴海县常态化帮扶第一轮暗访"
    if Inspection.objects.filter(title=title1).exists():
        return 0
    inspector, county, cadre = _user("inspector_xinghai"), _user("county_xinghai"), _user("cadre_minzu")
    checklist, items = _checklist(*XINGHAI_CHECKLIST)
    area = Region.objects.get(code=XINGHAI)
    villages = list(Region.objects.filter(code__in=[MINZU, NINGQU, QINGGENHE]))
    datang = Unit.objects.filter(name=DATANG).first()
    minzu = _households(MINZU, 2)
    ningqu = _households(NINGQU, 1)
    branch = _first(PartyOrg.objects.filter(region_id=MINZU, level="branch"))
    project = _first(Project.objects.filter(place_id=MINZU))
    cadre_of_datang = _first(Cadre.objects.filter(unit=datang)) if datang else None
    team = _first(WorkTeam.objects.filter(village_id=NINGQU))
    inspectors = [inspector] if inspector else []

    first = services.create_inspection(
        by=None,
        kind=InspectionKind.UNANNOUNCED,
        title=title1,
        area=area,
        start=t(62),
        end=t(43),
        plan="不打招呼、直奔现场,随机入户,重点查驻村干部在岗、结对走访和监测帮扶落实情况",
        places=villages,
        inspectors=inspectors,
        checklist=checklist,
    )
    # 已销号: 宁曲村's work team; rectified by the county, verified by the inspector.
    closed = loop.record(
        by=inspector,
        division=NINGQU,
        category="干部作风",
        found=t(60),
        due=t(30),
        name="宁曲村工作队",
        inspection=first,
        check_item=items["驻村第一书记和工作队员在岗在位"],
        description="驻村工作队员连续5天不在村,未履行请假手续",
        requirement="补办请假手续,工作队建立在岗签到制度",
        notes="暗访当日工作队驻地无人,村干部称队员已回县城",
        work_team=team,
        responsible_person="工作队队长",
    )
    loop.plan(closed, by=county, day=t(58), plan="约谈工作队员,补办请假手续;建立每日签到和去向公示牌")
    loop.submit(
        closed, by=county, day=t(40), result="已约谈并补办手续,签到制度和去向公示牌已上墙", before=True
    )
    loop.close(closed, by=inspector, day=t(36), note="回访核实,队员在岗,公示牌已设置")
    # 待整改, red: 大唐's pairing cadre has not visited; escalated to 大唐's parent.
    loop.record(
        by=inspector,
        division=NINGQU,
        category="帮扶工作",
        found=t(45),
        due=t(15),
        name="宁曲村",
        inspection=first,
        check_item=items["帮扶责任人按月走访结对户"],
        description="结对帮扶干部连续两个月未入户走访,走访记录系补填",
        requirement="立即入户走访,如实记录;帮扶单位开展自查",
        severity=Severity.SERIOUS,
        household=ningqu[0] if ningqu else None,
        cadre=cadre_of_datang,
        assisting_unit=datang,
        responsible_unit=datang,
        responsible_person="大唐青海公司扶贫办",
    )
    services.finish_inspection(by=None, inspection=first, version=first.version)

    second = services.create_inspection(
        by=None,
        kind=InspectionKind.UNANNOUNCED,
        title=f"{today.year}年兴海县常态化帮扶第二轮暗访",
        area=area,
        start=t(32),
        end=t(3),
        plan="随机抽取唐乃亥乡民族村,查监测对象帮扶措施、组织生活、项目收益公示和档案",
        places=villages,
        inspectors=inspectors,
        checklist=checklist,
    )
    # 待核验: 民族村's car wash (a project), rectified by the village cadre with before/after photos.
    submitted = loop.record(
        by=inspector,
        division=MINZU,
        category="资金项目",
        found=t(30),
        due=t(-10),
        name="民族村洗车行",
        inspection=second,
        check_item=items["衔接资金项目公示和收益分配"],
        description="洗车行收益分配方案未按季度公示,群众不知晓分红标准",
        requirement="补公示收益分配方案和三季度分红明细",
        project=project,
        responsible_person="才让东智",
    )
    loop.plan(submitted, by=cadre, day=t(25), plan="召开村民代表会议审议分配方案,在村务公开栏公示")
    loop.submit(submitted, by=cadre, day=t(4), result="分配方案经村民代表会议通过,已公示7天", before=True)
    # Sent back: the 一户一策 does not match; back to 整改中 with its reasons.
    sent_back = loop.record(
        by=inspector,
        division=MINZU,
        category="政策落实",
        found=t(25),
        due=t(-20),
        name="民族村监测户",
        inspection=second,
        check_item=items["监测对象帮扶措施落实到户"],
        description="监测户一户一策所列产业措施与实际不符,农户不知晓",
        requirement="入户核实,按实际调整帮扶措施并向农户讲明",
        household=minzu[1] if len(minzu) > 1 else None,
        responsible_person="才让东智",
    )
    loop.plan(sent_back, by=cadre, day=t(22), plan="入户核实后调整为牦牛养殖和公益岗位措施")
    loop.submit(sent_back, by=cadre, day=t(10), result="已调整一户一策")
    loop.send_back(
        sent_back,
        by=inspector,
        day=t(7),
        reasons=["整改后照片未体现措施落实情况", "缺少农户签字确认的明白卡"],
    )
    # 整改中, orange: 民族村's branch.
    orange = loop.check(
        by=inspector,
        inspection=second,
        item=items["村党组织组织生活规范"],
        division=MINZU,
        found=t(20),
        due=t(-2),
        name="民族村党支部",
        category=_category("基层党建"),
        description="上月支部党员大会未召开,“三会一课”记录不全",
        party_org=branch,
        responsible_person="才让东智",
    )
    loop.plan(orange, by=cadre, day=t(15), plan="本月内补开支部党员大会,补齐记录,乡党委派人列席")
    # 待整改, on time: a household's file.
    loop.check(
        by=inspector,
        inspection=second,
        item=items["农户档案资料齐全"],
        division=MINZU,
        found=t(3),
        due=t(-27),
        name="民族村农户",
        category=_category("档案资料"),
        description="农户“一户一档”中今年收入未更新",
        household=minzu[0] if minzu else None,
        responsible_person="才让东智",
    )
    return 6


def _gansu(today: D, loop: Loop) -> int:
    title = "2019年第一季度抓党建促脱贫攻坚暗访督查"
    if Inspection.objects.filter(title=title).exists():
        return 0
    county = _user("county_jingchuan")
    checklist, items = _checklist(*GANSU_CHECKLIST)
    fenghuang, diaogou = Region.objects.filter(code__in=[FENGHUANG, DIAOGOU]).order_by("code")
    inspection = services.create_inspection(
        by=None,
        kind=InspectionKind.UNANNOUNCED,
        title=title,
        area=Region.objects.get(code="62"),
        start=D(2019, 3, 4),
        end=D(2019, 3, 15),
        plan="省委组织部暗访组对市县领导、乡村干部、第一书记、驻村帮扶工作队履职尽责情况进行暗访",
        places=[fenghuang, diaogou],
        checklist=checklist,
    )
    secretary = _first(PartyOrg.objects.filter(region_id=FENGHUANG, level="branch"))
    f1 = loop.record(
        by=None,
        division=FENGHUANG,
        category="干部作风",
        found=D(2019, 3, 6),
        due=D(2019, 4, 6),
        name="凤凰村",
        inspection=inspection,
        check_item=items["第一书记在岗履职"],
        description="第一书记2月份在村工作天数不足规定要求",
        requirement="严格落实驻村考勤,县委组织部约谈提醒",
        party_org=secretary,
        responsible_person="泾川县委组织部",
    )
    loop.plan(f1, by=county, day=D(2019, 3, 9), plan="约谈提醒第一书记,实行驻村考勤周报")
    loop.submit(f1, by=county, day=D(2019, 3, 29), result="已约谈,3月在村23天,考勤周报已建立")
    loop.close(f1, by=None, day=D(2019, 4, 3))
    f2 = loop.record(
        by=None,
        division=DIAOGOU,
        category="基层党建",
        found=D(2019, 3, 8),
        due=D(2019, 5, 8),
        name="吊沟村",
        inspection=inspection,
        check_item=items["村干部后备队伍建设"],
        description="村级后备干部库仅1人,未达到储备要求",
        party_org=_first(PartyOrg.objects.filter(region_id=DIAOGOU, level="branch", kind="village")),
        responsible_person="水洛镇党委",
    )
    loop.plan(f2, by=None, day=D(2019, 3, 15), plan="从致富能手、返乡大学生中推荐后备干部人选")
    loop.submit(f2, by=None, day=D(2019, 4, 20), result="新增后备干部3人,建立培养台账")
    loop.close(f2, by=None, day=D(2019, 4, 28))
    household = _first(Household.objects.filter(village_id=FENGHUANG))
    f3 = loop.record(
        by=None,
        division=FENGHUANG,
        category="档案资料",
        found=D(2019, 3, 6),
        due=D(2019, 4, 30),
        name="凤凰村帮扶手册",
        inspection=inspection,
        check_item=items["帮扶工作资料"],
        description="贫困户帮扶手册收入测算填写不规范",
        household=household,
        responsible_person="帮扶责任人",
    )
    loop.plan(f3, by=county, day=D(2019, 3, 10), plan="组织帮扶责任人重新入户核算收入")
    loop.submit(f3, by=county, day=D(2019, 4, 2), result="已重新填写")
    loop.send_back(f3, by=None, day=D(2019, 4, 5), reasons=["工资性收入未附务工证明"])
    loop.plan(f3, by=county, day=D(2019, 4, 8), plan="补充务工证明,乡镇逐户复核")
    loop.submit(f3, by=county, day=D(2019, 4, 22), result="已补充务工证明并复核")
    loop.close(f3, by=None, day=D(2019, 4, 26))
    services.finish_inspection(by=None, inspection=inspection, version=inspection.version)

    # 泾川县's own 明查 this year: one finding 待整改, one 待核验 (the county verifies it).
    t = lambda days: today - days * DAY  # noqa: E731
    own = services.create_inspection(
        by=None,
        kind=InspectionKind.ANNOUNCED,
        title=f"{today.year}年泾川县防返贫监测帮扶明查",
        area=Region.objects.get(code=JINGCHUAN),
        start=t(20),
        end=t(18),
        places=[fenghuang],
    )
    loop.record(
        by=county,
        division=FENGHUANG,
        category="政策落实",
        found=t(19),
        due=t(-11),
        name="凤凰村监测",
        inspection=own,
        description="风险消除评议材料缺少村民代表签字",
        household=household,
        responsible_person="凤凰村党支部",
    )
    pending = loop.record(
        by=county,
        division=FENGHUANG,
        category="基层党建",
        found=t(19),
        due=t(-5),
        name="凤凰村活动室",
        inspection=own,
        description="村党员活动室制度牌缺失",
        party_org=secretary,
        responsible_person="凤凰村党支部",
    )
    loop.plan(pending, by=None, day=t(17), plan="重新制作上墙")
    loop.submit(pending, by=None, day=t(6), result="制度牌已上墙", before=True)
    return 6


def _restamp_escalations() -> None:
    """The deadline check ran today over every finding: its warnings and escalations bear the day
    each level was reached (the orange day, the day after the deadline), as the nightly run would."""
    stamped = []
    for event in FindingEvent.objects.filter(action__in=(services.WARNED, services.ESCALATED)).select_related(
        "finding"
    ):
        finding = event.finding
        day = finding.soon_from if event.action == services.WARNED else finding.deadline + DAY
        stamped.append((event, moment(day, hour=2)))
    restamp(FindingEvent, stamped)


def _county_assessment(today: D) -> int:
    """兴海县's consolidation assessment of this year by 青海省查看 (the level above assesses a county):
    the figures from the rollup of 兴海县 (refreshed here first: the demo's full refresh comes after
    every app's step), one score adjusted with its note, a photo and a PDF as evidence; a draft."""
    from fupin.reports import services as reports

    viewer = _user("viewer_qinghai")
    county = Region.objects.filter(code=XINGHAI).first()
    if viewer is None or county is None:
        return 0
    if Assessment.objects.filter(kind=AssessmentKind.COUNTY, county=county, year=today.year).exists():
        return 0
    reports.refresh(area=XINGHAI)
    assessment = services.assess_county(by=viewer, county=county, year=today.year)
    items = {item.code: item for item in assessment.items.all()}
    visits = items["overdue_visits"]
    if not visits.met:
        services.score_item(
            by=viewer,
            item=visits,
            score=visits.max_points / 2,
            note="抽查逾期户走访台账,多数已于考核期内补访,扣一半分",
        )
    services.add_evidence(
        by=viewer,
        item=items["secretary_coverage"],
        files=[photo("第一书记在岗抽查.jpg", thing=(200, 40, 40))],
        note="驻村第一书记在岗抽查照片",
    )
    services.add_evidence(
        by=viewer,
        item=items["returned_households"],
        files=[ContentFile(PDF_EVIDENCE, name="返贫风险排查台账.pdf")],
        note="县乡村振兴局返贫风险排查台账",
    )
    return 1


# A one-page PDF (no text): stands for a scanned ledger.
PDF_EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def build_supervision() -> int:
    """Seed 001's plan and 兴海县's, the inspections and their findings; returns the records made."""
    today = timezone.localdate()
    made = 0
    for spec in load_plans()["plans"]:
        plan = _build_plan(spec, today)
        made += plan.tasks.count() if plan else 0
    loop = Loop()
    made += _xinghai(today, loop) + _gansu(today, loop)
    loop.done()
    services.escalate_findings(today=today)
    _restamp_escalations()
    made += _county_assessment(today)
    return made
