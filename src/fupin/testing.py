"""The fixed test cast, shared by every app's tests (in the manner of a project-wide test helper).

- 兴海县 632524 (青海 海南州): county officer `county`, village cadre of 民族村 `cadre`
- 泾川县 620821 (甘肃 平凉): the outsider `outsider`, a county officer who should see nothing of 632524
- 大唐青海能源开发有限公司 assists 兴海县; its officer `unitofficer`
- the three administrators: `sysadmin`, `secadmin`, `auditadmin`
"""

from collections.abc import Callable
from dataclasses import dataclass

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
    ("632524101", "子科滩镇", 4, "632524"),
    ("632524101206", "宁曲村村民委员会", 5, "632524101"),
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


def make_cast():
    """Build the cast; returns a dict of name -> object."""
    from fupin.orgs.models import AssistedPlace, Unit

    make_regions()
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
