"""Demo data of the outcomes app: seed 002 (国家能源集团's results in its nine assisted counties).

From the seed: produce bought 2.52亿元 in all (through its 慧采商城 e-shop and the whole system's
units and staff); 189 people placed in jobs, of whom 59 poor graduates recruited by 神东煤炭 in 米脂
and 吴堡, where it also placed 14 workers; the seven subsidiaries that did the work in each county
(神东煤炭, 青海公司, 大渡河, 四川能源, 龙源电力, 平庄煤业, 西藏公司); 右玉 grown into an e-commerce base
for produce, and two agricultural companies set up in 布拖 and 普格 to sell their produce.
Chosen here (the seed gives no figure): the split of the 2.52亿 over years and counties, the sales on
behalf (4,620万元, 2018–2020, through 右玉's e-commerce base and the two companies), the split of the
other 116 placements, and the yearly 责任书 targets (see TARGETS).

Amounts are spread with integer fen and largest remainders, so they add up exactly. Idempotent: a
record whose natural key (unit, kind, place, supplier, product, date; or unit, name, place, date)
exists is not made again. Written in bulk (the demo is a system bootstrap) with one audit row per run.
"""

import datetime
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone

from fupin.audit.services import audit_record
from fupin.orgs.models import Unit
from fupin.outcomes.models import (
    Channel,
    IndicatorTarget,
    Placement,
    PlacementKind,
    Purchase,
    PurchaseKind,
    WageBand,
)
from fupin.registry.choices import Relation
from fupin.registry.models import Member

UNIT = "国家能源投资集团有限责任公司"
BOUGHT_TOTAL = Decimal("252000000.00")  # seed 002: 累计购买各类农产品2.52亿元
SOLD_TOTAL = Decimal("46200000.00")  # chosen: the seed names the channels, not a figure

# Bought per year (万元), rising as 慧采商城 grew; they add up to 25,200万 = 2.52亿.
BOUGHT_BY_YEAR = {2016: 1800, 2017: 3200, 2018: 4600, 2019: 6800, 2020: 8800}
SOLD_BY_YEAR = {2018: 900, 2019: 1500, 2020: 2220}  # 4,620万

# county code -> (weight of the county in purchases, [(supplier, product, channel)])
SUPPLIERS = {
    "540623": (
        8,
        [
            ("聂荣县牧业发展合作社", "牦牛肉", Channel.OWN_SHOP),
            ("聂荣县曲拉加工厂", "酥油、曲拉", Channel.CANTEEN),
        ],
    ),
    "632726": (
        8,
        [
            ("曲麻莱县生态畜牧业合作社", "牦牛肉", Channel.OWN_SHOP),
            ("曲麻莱县藏羊养殖合作社", "藏羊肉", Channel.CANTEEN),
        ],
    ),
    "632224": (
        9,
        [
            ("刚察县青稞种植合作社", "青稞、青稞酒", Channel.UNION),
            ("刚察县油料加工厂", "菜籽油", Channel.CANTEEN),
        ],
    ),
    "513428": (
        12,
        [
            ("普格县城西村草莓种植合作社", "草莓", Channel.UNION),
            ("普格县柑橘专业合作社", "春见柑橘", Channel.OWN_SHOP),
        ],
    ),
    "513429": (
        11,
        [
            ("布拖县马铃薯专业合作社", "马铃薯", Channel.CANTEEN),
            ("布拖县苦荞种植合作社", "苦荞茶", Channel.PLATFORM_832),
        ],
    ),
    "140623": (
        16,
        [
            ("右玉县小杂粮电商服务中心", "小杂粮", Channel.OWN_SHOP),
            ("右玉县沙棘饮品有限公司", "沙棘汁", Channel.PLATFORM_832),
        ],
    ),
    "150429": (
        13,
        [
            ("宁城县果蔬大棚园区合作社", "设施蔬菜", Channel.CANTEEN),
            ("宁城县小米加工厂", "小米", Channel.UNION),
        ],
    ),
    "610827": (
        12,
        [
            ("米脂县小米产业合作社", "米脂小米", Channel.UNION),
            ("米脂县红枣专业合作社", "红枣", Channel.STAFF),
        ],
    ),
    "610829": (
        11,
        [
            ("吴堡县手工空心挂面合作社", "手工空心挂面", Channel.UNION),
            ("吴堡县红枣专业合作社", "红枣", Channel.STAFF),
        ],
    ),
}
# Sales on behalf: 右玉's e-commerce base and the two companies set up in 布拖 and 普格 (seed 002).
SALES = [
    ("140623", "右玉县农产品电商基地", "小杂粮、沙棘汁", 5),
    ("513428", "普格县农特产品销售公司", "春见柑橘、生态土鸡", 3),
    ("513429", "布拖县农特产品销售公司", "马铃薯、苦荞", 2),
]
# Two purchases a year per supplier, before the Spring Festival and the Mid-Autumn Festival.
BATCH_DATES = ((1, 15), (9, 10))

# The seven subsidiaries that did the work in each county (seed 002), as employers.
WORKS = {
    "540623": "国家能源集团西藏电力有限公司",
    "632726": "国家能源集团青海电力有限公司",
    "632224": "国家能源集团青海电力有限公司",
    "513428": "国能大渡河流域水电开发有限公司",
    "513429": "国家能源集团四川能源有限公司",
    "140623": "龙源电力集团股份有限公司",
    "150429": "国家能源集团平庄煤业有限责任公司",
    "610827": "国家能源集团神东煤炭集团有限责任公司",
    "610829": "国家能源集团神东煤炭集团有限责任公司",
}
# county -> (graduates, workers, public-welfare posts): 59 graduates and 14 workers in 米脂 and 吴堡
# (seed 002); the other 116 of the 189 chosen here.
PLACEMENTS = {
    "610827": (31, 8, 0),
    "610829": (28, 6, 0),
    "540623": (0, 4, 12),
    "632726": (0, 4, 12),
    "632224": (0, 6, 8),
    "513428": (0, 10, 10),
    "513429": (0, 10, 12),
    "140623": (0, 8, 6),
    "150429": (0, 8, 6),
}
# Names by the counties' peoples: Tibetan (那曲, 玉树, 海北), Yi (凉山), Han (the others).
TIBETAN = ("扎西", "次仁", "达瓦", "卓玛", "央金", "索朗", "格桑", "旦增", "拉姆", "尼玛", "平措", "德吉")
YI_FAMILY = ("阿说", "吉克", "沙马", "阿苏", "曲比", "海来", "吉伍", "俄木")
YI_GIVEN = ("拉哈", "石布", "阿呷", "尔古", "伍呷", "么作", "日体", "阿依")
HAN_FAMILY = ("李", "王", "张", "刘", "高", "杨", "郭", "马", "白", "贺", "薛", "艾")
HAN_GIVEN = (
    "建军",
    "晓燕",
    "志强",
    "丽娜",
    "海涛",
    "小龙",
    "雪梅",
    "鹏飞",
    "佳慧",
    "文博",
    "瑞",
    "宇航",
    "婷",
    "浩",
)
PEOPLE = {"540623": "tibetan", "632726": "tibetan", "632224": "tibetan", "513428": "yi", "513429": "yi"}

# 定点帮扶责任书 (signed yearly from 2018). The seed reports only what was achieved (2.52亿 bought,
# 4,198 cadres and 6,828 technicians trained, ~10.5亿 invested by category, 474万 brought in);
# these targets are chosen to be plausible against the yearly records (demo/projects.py for the
# money, demo/assistance.py for the classes): each is met.
TARGETS = {
    2018: {"direct_funds": "200000000", "brought_in_funds": "1000000", "cadres_trained": 800,
           "technicians_trained": 1200, "bought": "40000000", "sold": "8000000"},
    2019: {"direct_funds": "210000000", "brought_in_funds": "1200000", "cadres_trained": 900,
           "technicians_trained": 1400, "bought": "50000000", "sold": "10000000"},
    2020: {"direct_funds": "180000000", "brought_in_funds": "1500000", "cadres_trained": 1000,
           "technicians_trained": 1500, "bought": "60000000", "sold": "12000000"},
}  # fmt: skip

# Seed 000: 大唐青海 in 兴海县. The seed names its recruitment of poor graduates ("继续加大符合条件的
# 贫困大学生招聘力度"); the graduates here are members of the three villages' registered households.
# It names no purchase: the canteen's buying of the villages' produce is chosen, as are the pledges.
DATANG = "大唐青海能源开发有限公司"
XINGHAI_VILLAGES = ("632524203207", "632524101206", "632524100202")
DATANG_GRADUATES = (2018, 2019, 2020, 2020)
DATANG_SUPPLIERS = [
    ("632524203207", "民族村牦牛养殖专业合作社", "牦牛肉"),
    ("632524101206", "宁曲村生态畜牧业合作社", "藏羊肉、酥油"),
]
DATANG_TARGETS = {
    2020: {"direct_funds": "700000", "brought_in_funds": "0", "cadres_trained": 30, "technicians_trained": 40,
           "bought": "300000", "sold": "0"},
}  # fmt: skip


def split(total_fen: int, weights: list[int]) -> list[int]:
    """`total_fen` split by `weights` in whole fen (largest remainders), adding up exactly."""
    whole = sum(weights)
    shares = [Fraction(total_fen * w, whole) for w in weights]
    parts = [int(s) for s in shares]
    leftovers = sorted(range(len(shares)), key=lambda i: (-(shares[i] - parts[i]), i))
    for i in leftovers[: total_fen - sum(parts)]:
        parts[i] += 1
    return parts


def _fen(wan: int) -> int:
    return wan * 10_000 * 100


def purchase_plan() -> list[dict]:
    """Every planned purchase and sale on behalf, with amounts in Decimal yuan."""
    rows = []
    slots = [(code, s) for code, (_w, suppliers) in SUPPLIERS.items() for s in suppliers]
    weights = [SUPPLIERS[code][0] for code, _s in slots for _batch in BATCH_DATES]
    for year, wan in BOUGHT_BY_YEAR.items():
        amounts = iter(split(_fen(wan), weights))
        for code, (supplier, product, channel) in slots:
            for month, day in BATCH_DATES:
                rows.append(
                    dict(kind=PurchaseKind.BOUGHT, region_id=code, supplier=supplier, product=product,
                         channel=channel, date=datetime.date(year, month, day),
                         amount=Decimal(next(amounts)) / 100)
                )  # fmt: skip
    weights = [w for _c, _s, _p, w in SALES for _batch in BATCH_DATES]
    for year, wan in SOLD_BY_YEAR.items():
        amounts = iter(split(_fen(wan), weights))
        for code, supplier, product, _w in SALES:
            for month, day in BATCH_DATES:
                rows.append(
                    dict(kind=PurchaseKind.SOLD, region_id=code, supplier=supplier, product=product,
                         channel=Channel.OWN_SHOP, date=datetime.date(year, month, day) + datetime.timedelta(days=20),
                         amount=Decimal(next(amounts)) / 100)
                )  # fmt: skip
    return rows


def _name(code: str, i: int) -> str:
    people = PEOPLE.get(code, "han")
    if people == "tibetan":
        return TIBETAN[i % len(TIBETAN)] + TIBETAN[(i // len(TIBETAN) + i + 3) % len(TIBETAN)]
    if people == "yi":
        return YI_FAMILY[i % len(YI_FAMILY)] + YI_GIVEN[(i // len(YI_FAMILY) + i) % len(YI_GIVEN)]
    return HAN_FAMILY[i % len(HAN_FAMILY)] + HAN_GIVEN[(i // len(HAN_FAMILY) + i) % len(HAN_GIVEN)]


def placement_plan() -> list[dict]:
    """189 placements, 59 of them poor graduates; dates spread over 2016–2020."""
    rows = []
    for code, counts in PLACEMENTS.items():
        kinds = [PlacementKind.GRADUATE] * counts[0] + [PlacementKind.WORKER] * counts[1]
        kinds += [PlacementKind.WELFARE_POST] * counts[2]
        for i, kind in enumerate(kinds):
            year = 2016 + i % 5
            if kind == PlacementKind.GRADUATE:
                employer, band, date = WORKS[code], WageBand.ABOVE_5000, datetime.date(year, 7, 15)
            elif kind == PlacementKind.WORKER:
                employer, band, date = WORKS[code], WageBand.FROM_3000, datetime.date(year, 3, 1 + i % 28)
            else:
                employer, band = "生态护林员、村级保洁员等公益性岗位", WageBand.BELOW_2000
                date = datetime.date(year, 4, 1 + i % 28)
            rows.append(dict(name=_name(code, i), region_id=code, kind=kind, employer=employer,
                             wage_band=band, date=date))  # fmt: skip
    return rows


def datang_purchase_plan() -> list[dict]:
    """The canteen's purchases from 民族村 and 宁曲村: three batches a year since 2020 (chosen)."""
    today = timezone.localdate()
    rows = []
    for year in range(2020, today.year + 1):
        for month, day in ((1, 10), (6, 20), (9, 15)):
            date = datetime.date(year, month, day)
            if date > today:
                continue
            for i, (code, supplier, product) in enumerate(DATANG_SUPPLIERS):
                rows.append(dict(kind=PurchaseKind.BOUGHT, region_id=code, supplier=supplier, product=product,
                                 channel=Channel.CANTEEN, date=date,
                                 amount=Decimal(60000 - 15000 * i + 1000 * (year - 2020))))  # fmt: skip
    return rows


def _datang() -> int:
    unit = Unit.objects.filter(name=DATANG).first()
    if unit is None or Purchase.objects.filter(unit=unit).exists():
        return 0
    purchases = [Purchase(unit=unit, **row) for row in datang_purchase_plan()]
    Purchase.objects.bulk_create(purchases)
    graduates = list(
        Member.objects.filter(
            household__village_id__in=XINGHAI_VILLAGES,
            relation__in=[Relation.SON, Relation.DAUGHTER],
            birth_year__in=range(1995, 1999),
        ).order_by("household__number")[: len(DATANG_GRADUATES)]
    )
    Placement.objects.bulk_create(
        [
            Placement(unit=unit, name=m.name, member=m, region_id=m.household.village_id,
                      kind=PlacementKind.GRADUATE, employer=DATANG, wage_band=WageBand.ABOVE_5000,
                      date=datetime.date(year, 7, 20), note="建档立卡户大学毕业生招聘(人才帮扶)")
            for m, year in zip(graduates, DATANG_GRADUATES, strict=False)
        ]
    )  # fmt: skip
    made = len(purchases) + len(graduates)
    for year, values in DATANG_TARGETS.items():
        made += IndicatorTarget.objects.get_or_create(
            unit=unit, year=year, defaults={**values, "note": "定点帮扶责任书(演示数据)"}
        )[1]
    return made


def build_outcomes() -> int:
    """Seed 002's purchases, sales on behalf, placements and pledges, and 大唐青海's in 兴海县; returns
    the records made."""
    made_datang = _datang()
    unit = Unit.objects.get(name=UNIT)
    have = set(
        Purchase.objects.filter(unit=unit).values_list("kind", "region_id", "supplier", "product", "date")
    )
    purchases = [
        Purchase(unit=unit, **row)
        for row in purchase_plan()
        if (row["kind"], row["region_id"], row["supplier"], row["product"], row["date"]) not in have
    ]
    Purchase.objects.bulk_create(purchases)
    have = set(Placement.objects.filter(unit=unit).values_list("name", "region_id", "date"))
    placements = [
        Placement(unit=unit, **row)
        for row in placement_plan()
        if (row["name"], row["region_id"], row["date"]) not in have
    ]
    Placement.objects.bulk_create(placements)
    made = len(purchases) + len(placements) + made_datang
    for year, values in TARGETS.items():
        _target, created = IndicatorTarget.objects.get_or_create(
            unit=unit, year=year, defaults={**values, "note": "定点帮扶责任书(演示数据)"}
        )
        made += created
    if made:
        audit_record(
            action="create",
            object_type="outcomes.purchase",
            object_repr="演示数据:国家能源集团消费帮扶与就业帮扶",
            changes={"purchases": len(purchases), "placements": len(placements)},
        )
    return made
