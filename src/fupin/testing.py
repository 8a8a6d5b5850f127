"""The one test world, shared by every app's tests.

The cast (`make_cast`):

- 兴海县 632524 (青海 海南州): county officer `county`, village cadre of 民族村 `cadre`
- 泾川县 620821 (甘肃 平凉): the outsider `outsider`, a county officer who should see nothing of 632524
- 大唐青海能源开发有限公司 assists 兴海县; its officer `unitofficer`
- the three administrators: `sysadmin`, `secadmin`, `auditadmin`

and the parts a test module may add to it (`make_world`, `WORLD_PARTS`): the registry's households
(`households`: 扎西 and 王芳 of 兴海县, 李强 of 泾川县) and each later app's records of 兴海县's world
(`party`, `assistance`, `projects`, `outcomes`, `monitoring`: the same records the scope matrix checks).

The root conftest builds a module's world once (the cast plus the module's `WORLD_LAYERS`), in a
transaction rolled back after the module's last test; each test runs in its own savepoint and gets
its own copies of the objects (`cast`, `world`, `households` fixtures).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from fupin.accounts.roles import Role
from fupin.regions.models import Region

PASSWORD = "Fupin-test-2024!"

# code, name, level, parent
CAST_REGIONS = [
    ("63", "青海省", 1, None),
    ("6325", "海南藏族自治州", 2, "63"),
    ("632524", "兴海县", 3, "6325"),
    ("632524203", "唐乃亥乡", 4, "632524"),
    ("632524203207", "民族村村民委员会", 5, "632524203"),
    ("632524101", "河卡镇", 4, "632524"),
    ("632524101206", "宁曲村民委员会", 5, "632524101"),
    ("62", "甘肃省", 1, None),
    ("6208", "平凉市", 2, "62"),
    ("620821", "泾川县", 3, "6208"),
    ("620821100", "城关镇", 4, "620821"),
    ("620821100206", "凤凰村村民委员会", 5, "620821100"),
]

XINGHAI = "632524"
MINZU_VILLAGE = "632524203207"
JINGCHUAN = "620821"


def make_regions():
    from fupin.regions.names import initials_of, short_name_of

    for code, name, level, parent in CAST_REGIONS:
        short = short_name_of(name)
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short,
                "level": level,
                "parent_id": parent,
                "initials": initials_of(short),
            },
        )


def make_user(username: str, *, roles=(), scopes=(), unit=None, full_name: str = ""):
    from fupin.accounts.models import DataScope, User, UserRole

    user = User.objects.create_user(
        username=username, password=PASSWORD, full_name=full_name or username, unit=unit
    )
    for role in roles:
        UserRole.objects.create(user=user, role=role)
    for code in scopes:
        DataScope.objects.create(user=user, region_id=code)
    return user


def seed_reference_data() -> None:
    """The data migrations seed (monitoring's layers and risk rules, supervision's problem
    categories), again when missing: a browser test's transactional database is flushed after it,
    seeded rows included, and a later test that builds a cast would otherwise find none to choose."""
    import importlib

    from django.apps import apps

    from fupin.monitoring.models import Layer
    from fupin.supervision.models import Category

    if not Layer.objects.exists():
        importlib.import_module("fupin.monitoring.migrations.0002_seed_layers_rules").seed(apps, None)
    if not Category.objects.exists():
        importlib.import_module("fupin.supervision.migrations.0002_seed_categories").seed(apps, None)


def make_cast():
    """Build the cast; returns a dict of name -> object."""
    from fupin.orgs.models import AssistedPlace, Unit

    make_regions()
    seed_reference_data()
    datang = Unit.objects.create(
        name="大唐青海能源开发有限公司", kind=Unit.Kind.CENTRAL_ENTERPRISE, region_id="63"
    )
    AssistedPlace.objects.create(unit=datang, region_id=XINGHAI)
    pingliang_unit = Unit.objects.create(name="泾川县人民政府", kind=Unit.Kind.AGENCY, region_id=JINGCHUAN)
    return {
        "datang": datang,
        "jingchuan_unit": pingliang_unit,
        "county": make_user("county", roles=[Role.COUNTY_OFFICER], scopes=[XINGHAI], full_name="县级干部"),
        "cadre": make_user("cadre", roles=[Role.VILLAGE_CADRE], scopes=[MINZU_VILLAGE], full_name="村干部"),
        "outsider": make_user(
            "outsider", roles=[Role.COUNTY_OFFICER], scopes=[JINGCHUAN], full_name="外县干部"
        ),
        "unitofficer": make_user("unitofficer", roles=[Role.UNIT_OFFICER], unit=datang, full_name="大唐干部"),
        "sysadmin": make_user("sysadmin", roles=[Role.SYSTEM_ADMIN]),
        "secadmin": make_user("secadmin", roles=[Role.SECURITY_ADMIN]),
        "auditadmin": make_user("auditadmin", roles=[Role.AUDIT_ADMIN]),
    }


TANGNAIHAI = "632524203"  # 唐乃亥乡, the township of 民族村


def make_township_officer(username: str = "township"):
    """The township officer of 唐乃亥乡 (reviews 民族村's projects, checks its exits): not in the cast
    itself, since several tests make their own; this one is for the journeys that need one."""
    from fupin.accounts.models import User

    found = User.objects.filter(username=username).first()
    return found or make_user(
        username, roles=[Role.TOWNSHIP_OFFICER], scopes=[TANGNAIHAI], full_name="乡镇干部"
    )


def person_id(n: int, *, male: bool = True, area: str = XINGHAI, year: int = 1975) -> str:
    """A valid ID number, different for every n."""
    from fupin.registry.idnumbers import make_id_number

    return make_id_number(
        area_code=area, birth_date=datetime.date(year, 3, 1 + n % 28), sequence=n, male=male
    )


def make_household(*, village=MINZU_VILLAGE, head="才让东智", head_id=None, spouse_id=None, by=None):
    """A household of `village` with its head (and a spouse when `spouse_id` is given)."""
    from fupin.registry import services

    household = services.household_create(
        by=by, village_code=village, attribute="ordinary", main_cause="illness", phone="13800138000"
    )
    services.member_add(
        by=by, household=household, name=head, id_number=head_id or person_id(1), relation="head"
    )
    if spouse_id:
        services.member_add(by=by, household=household, name="拉毛措", id_number=spouse_id, relation="spouse")
    household.refresh_from_db()
    return household


def _id(area: str, born: datetime.date, sequence: int, male: bool) -> str:
    from fupin.registry.idnumbers import make_id_number

    return make_id_number(area_code=area, birth_date=born, sequence=sequence, male=male)


# The ID numbers and phone of the households of `make_households`, for tests that look them up.
HEAD_ID = _id(XINGHAI, datetime.date(1970, 3, 5), 12, True)
WIFE_ID = _id(XINGHAI, datetime.date(1972, 8, 9), 40, False)
OTHER_ID = _id(JINGCHUAN, datetime.date(1980, 1, 2), 7, True)
PHONE = "13897654321"
NINGQU_VILLAGE = "632524101206"
FENGHUANG_VILLAGE = JINGCHUAN_VILLAGE = "620821100206"


def make_households() -> dict:
    """扎西 of 民族村 (two members, incomes 2018-2019, checks), 王芳 of 宁曲村, 李强 of 泾川县凤凰村,
    made through the registry's services."""
    from fupin.registry import services

    zhaxi = services.household_create(
        by=None,
        village_code=MINZU_VILLAGE,
        attribute="dibao",
        main_cause="illness",
        cause2="no_skills",
        phone=PHONE,
        housing_area=Decimal("80.5"),
        housing_structure="brick",
    )
    services.member_add(
        by=None, household=zhaxi, name="扎西", id_number=HEAD_ID, relation="head", health="serious"
    )
    services.member_add(by=None, household=zhaxi, name="卓玛", id_number=WIFE_ID, relation="spouse")
    services.income_record(by=None, household=zhaxi, year=2018, wages=4000, business=1000)
    services.income_record(by=None, household=zhaxi, year=2019, wages=9000, business=2000)
    services.check_record(
        by=None,
        household=zhaxi,
        year=2019,
        results={
            "food": True,
            "clothing": True,
            "education": True,
            "medical": True,
            "housing": False,
            "water": True,
        },
        reasons={"housing": "危房未改造"},
    )
    wang = services.household_create(
        by=None, village_code=NINGQU_VILLAGE, attribute="ordinary", main_cause="no_funds"
    )
    services.member_add(
        by=None,
        household=wang,
        name="王芳",
        id_number=_id(XINGHAI, datetime.date(1985, 5, 5), 3, False),
        relation="head",
    )
    li = services.household_create(
        by=None, village_code=FENGHUANG_VILLAGE, attribute="ordinary", main_cause="illness"
    )
    services.member_add(by=None, household=li, name="李强", id_number=OTHER_ID, relation="head")
    for household in (zhaxi, wang, li):
        household.refresh_from_db()
    return {"zhaxi": zhaxi, "wang": wang, "li": li}


def make_minzu() -> list:
    """Two households in 民族村 (registry core tests): one of two people, one of one."""
    return [
        make_household(head_id=person_id(1), spouse_id=person_id(2, male=False)),
        make_household(head="多杰", head_id=person_id(3)),
    ]


def make_outcome_records(cast) -> dict:
    """The outcomes tests' records: 大唐 bought yak meat from 民族村 (2019, 2020) and sold on behalf
    (2020); a placement and a pledge; 泾川县人民政府 (assisting 泾川县) bought from 凤凰村."""
    from fupin.orgs.models import AssistedPlace
    from fupin.outcomes import services
    from fupin.outcomes.models import Channel, PlacementKind, PurchaseKind, WageBand

    datang, jingchuan = cast["datang"], cast["jingchuan_unit"]
    AssistedPlace.objects.get_or_create(unit=jingchuan, region_id="620821")

    def buy(unit, region, amount, date, kind=PurchaseKind.BOUGHT, supplier="民族村牦牛合作社"):
        return services.purchase_create(
            by=None, unit=unit.pk, kind=kind, region=region, supplier=supplier, product="牦牛肉",
            amount=amount, date=date, channel=Channel.CANTEEN,
        )  # fmt: skip

    return {
        "p2019": buy(datang, "632524203207", "300000.00", datetime.date(2019, 9, 1)),
        "p2020": buy(datang, "632524", "1200000.50", datetime.date(2020, 1, 15)),
        "s2020": buy(datang, "632524101206", "80000.00", datetime.date(2020, 9, 30), PurchaseKind.SOLD),
        "other": buy(jingchuan, "620821100206", "50000.00", datetime.date(2020, 3, 1), supplier="凤凰村果园"),
        "placement": services.placement_create(
            by=None,
            unit=datang.pk,
            name="才让",
            region="632524203207",
            employer="兴海光伏电站",
            kind=PlacementKind.GRADUATE,
            date=datetime.date(2020, 7, 1),
            wage_band=WageBand.ABOVE_5000,
        ),  # fmt: skip
        "target": services.target_set(by=None, unit=datang.pk, year=2020, bought="1000000", sold="100000"),
    }


def _app_records(app: str) -> Callable[[dict], dict]:
    def build(made: dict) -> dict:
        # The records live beside the app's tests (tests/matrix.py), which declare the pages they check.
        import importlib

        return importlib.import_module(f"fupin.{app}.tests.matrix").objects(made)

    return build


# The named parts of the world, in the order they are built; the later ones use the households.
WORLD_PARTS: dict[str, Callable[[dict], dict]] = {
    "households": lambda made: make_households(),
    "minzu": lambda made: {"minzu": make_minzu()},
    "party": _app_records("party"),
    "assistance": _app_records("assistance"),
    "projects": _app_records("projects"),
    "outcomes": _app_records("outcomes"),
    "monitoring": _app_records("monitoring"),
    "supervision": _app_records("supervision"),
    "reports": _app_records("reports"),
    "documents": _app_records("documents"),
    "exchange": _app_records("exchange"),
    # The outcomes tests' own records (their counts are by hand): under one key, apart from the matrix's.
    "outcome_records": lambda made: {"records": make_outcome_records(made)},
}
NEEDS_HOUSEHOLDS = {
    "assistance",
    "projects",
    "outcomes",
    "monitoring",
    "supervision",
    "reports",
    "documents",
    "exchange",
}


def make_world(layers=()) -> dict:
    """The cast plus `layers`: names of WORLD_PARTS (built in WORLD_PARTS' order, the households first
    when a later part needs them), then a module's own builders (callables taking the world made so far
    and returning the records to add), in the order given."""
    layers = list(layers)
    unknown = [layer for layer in layers if isinstance(layer, str) and layer not in WORLD_PARTS]
    assert not unknown, f"unknown world parts {unknown}; known: {list(WORLD_PARTS)}"
    names = {layer for layer in layers if isinstance(layer, str)}
    if names & NEEDS_HOUSEHOLDS:
        names.add("households")
    made = make_cast()
    for name, build in WORLD_PARTS.items():
        if name in names:
            made.update(build(made))
    for build in layers:
        if not isinstance(build, str):
            made.update(build(made) or {})
    # The later parts change the households (identification, pairings): hand them out as they are now.
    for key in ("zhaxi", "wang", "li"):
        if key in made:
            made[key].refresh_from_db()
    return made


def world_layers_of(module, default=None) -> tuple | None:
    """A test module's WORLD_LAYERS, else `default` (an app's conftest may make () its default);
    None: the module has no shared world, each test that asks for the cast builds its own."""
    layers = getattr(module, "WORLD_LAYERS", default)
    return None if layers is None else tuple(layers)


# The scope matrix (src/fupin/tests/test_scope_matrix.py, plus each app's tests/matrix.py).
MARKER = "大唐青海能源开发有限公司"  # a record of 兴海县's world: the unit assisting the county
HOUSEHOLD = "扎西"  # the head of a household of 民族村 632524203207 (registry fixtures)


@dataclass(frozen=True)
class Page:
    """How to check one named URL. `url` builds the address from the matrix's objects.

    kind: "list" — both get 200, only the county officer sees `marker`; "list-no-marker" — both 200,
    the outsider does not see `marker`; "export" — an .xlsx, as "list"; "detail" — outsider 404;
    "post" — a POST-only action on a 兴海县 record, outsider 404; "forbidden" — neither business role
    may open it; "reference" — public or reference data, both 200.
    """

    url: Callable[[dict], str]
    kind: str
    marker: str = MARKER
    data: Callable[[dict], dict] | None = None  # the POST body for kind "post"


def plain_url(name: str) -> Callable[[dict], str]:
    from django.urls import reverse

    return lambda objs: reverse(name)


def object_url(name: str, key: str) -> Callable[[dict], str]:
    """The URL of `name` for the matrix object `objs[key]` (by primary key)."""
    from django.urls import reverse

    return lambda objs: reverse(name, args=[objs[key].pk])


def response_bytes(response) -> bytes:
    """A response's bytes, streamed (an export: FileResponse) or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_rows(response) -> list[list]:
    """The rows of an .xlsx answer (an export streams: FileResponse), header first."""
    import io

    import openpyxl

    data = b"".join(response.streaming_content) if response.streaming else response.content
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]
