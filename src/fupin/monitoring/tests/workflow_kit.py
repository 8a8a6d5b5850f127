"""What the workflow tests share: a frozen clock, the world's monitoring additions, a photo, and a
walk of a case through the chain as the people who take each step.

The world (WORLD_LAYERS = ("assistance", kit.build)): the cast and households (扎西 of 民族村 paired
with the assistance cadre, a 危房改造 measure), the township officers of 唐乃亥乡 (民族村's) and 河卡镇
(宁曲村's), 青海's monitoring lines 2024–2026 and 兴海县's own for 2025, 扎西's 2025 income well above
them and a passed 2025 两不愁三保障 check.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fupin.accounts.roles import Role
from fupin.assistance.tests.matrix import PNG
from fupin.monitoring import services
from fupin.monitoring.choices import Channel, ObjectType, Stage
from fupin.monitoring.models import MonitoringLine
from fupin.testing import MINZU_VILLAGE, TANGNAIHAI, make_user

HEKA = "632524101"  # 河卡镇, the township of 宁曲村
# A Monday with no holiday around it: the frozen clock's first day.
MONDAY = datetime.date(2026, 3, 2)


def freeze(monkeypatch, day: datetime.date) -> None:
    """Freeze "today" (django.utils.timezone.localdate, which the services, forms and validators read)."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)


def photo(name: str = "consent.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def build(made: dict) -> dict:
    from fupin.registry import services as registry

    zhaxi = made["zhaxi"]
    for year, amount in ((2024, "8000"), (2025, "8700"), (2026, "8700")):
        MonitoringLine.objects.create(year=year, region_id="63", amount=amount, note="青海省监测标准")
    MonitoringLine.objects.create(year=2025, region_id="632524", amount="9000", note="兴海县监测标准")
    registry.income_record(by=None, household=zhaxi, year=2025, wages=6000, business=30000)
    registry.check_record(
        by=None,
        household=zhaxi,
        year=2025,
        results=dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), True),
    )
    return {
        "township": make_user(
            "township", roles=[Role.TOWNSHIP_OFFICER], scopes=[TANGNAIHAI], full_name="乡镇干部"
        ),
        "heka": make_user("heka", roles=[Role.TOWNSHIP_OFFICER], scopes=[HEKA], full_name="河卡镇干部"),
        "viewer": make_user("viewer", roles=[Role.VIEWER], scopes=["63"], full_name="省级查看"),
    }


def self_report(village_code: str = MINZU_VILLAGE, opened_on=None):
    """A self-report's lead (the public page's write, without the page): waits for the township."""
    from fupin.regions.models import Region

    return services.open_lead(
        by=None,
        channel=Channel.SELF_REPORT,
        village=Region.objects.get(code=village_code),
        opened_on=opened_on,
        applicant_name="格桑",
        risks=["illness"],
        hardship="住院",
    )


def fresh(case):
    case.refresh_from_db()
    return case


def walk(world, case, until: str, *, on: datetime.date | None = None, monkeypatch=None):
    """Take `case` (a lead or an elimination) through the chain as the right people until it is at
    `until`. 公示 needs its days to pass: with `monkeypatch` the clock is moved past them (and left
    there), else publicity starts far enough back."""
    cadre, township, county = world["cadre"], world["township"], world["county"]
    today = on or timezone.localdate()
    while case.stage != until:
        stage = case.stage
        if stage == Stage.SUBMITTED:
            services.accept(by=township, lead=case, version=case.version)
        elif stage == Stage.ACCEPTED:
            services.verify(
                by=cadre,
                case=case,
                version=case.version,
                consent_signed=True,
                consent_photo=photo(),
                verified_on=max(case.opened_on, today),
                verification="入户核实属实",
            )
        elif stage == Stage.VERIFIED:
            services.compare(
                by=cadre, case=case, version=case.version, comparison={"medical": {"ok": True, "note": ""}}
            )
        elif stage == Stage.COMPARED:
            services.village_review(
                by=cadre,
                case=case,
                version=case.version,
                votes_for=9,
                votes_against=1,
                votes_abstain=0,
                publicity_from=max(case.opened_on, today),
            )
        elif stage == Stage.PUBLICISING:
            later = case.publicity_to + datetime.timedelta(days=1)
            if monkeypatch is not None:
                freeze(monkeypatch, later)
            services.end_publicity(by=cadre, case=case, version=case.version, on=later)
        elif stage == Stage.PUBLICISED:
            services.township_check(by=township, case=case, version=case.version, approve=True)
        elif stage == Stage.CHECKED:
            services.county_decide(
                by=county, case=case, version=case.version, include=True, type=ObjectType.MARGINAL
            )
        else:  # pragma: no cover - a closed case goes nowhere
            raise AssertionError(f"cannot walk a case at {stage}")
        fresh(case)
    return case
