"""The default reference data: a standardisation checklist modelled on Gansu's rural party branch
standardisation handbook (seed 001: 7 categories, 42 standards, 100 points) and a monthly cadre
evaluation indicator set modelled on 徽县's 绩效月考评. Loaded by `fupin party_defaults` (and the
demo); an existing checklist or set of the same name is left as its users edited it."""

from decimal import Decimal

from django.db import transaction

from fupin.party.models import Checklist, ChecklistCategory, ChecklistItem, Indicator, IndicatorSet

GANSU_CHECKLIST = "甘肃省农村党支部建设标准化(7类42项)"
GANSU_ISSUED_BY = "中共甘肃省委组织部"

# category: [(standard, points)]
GANSU_STANDARDS = [
    (
        "组织设置标准化",
        [
            ("按党员人数规范设置党组织(3人以上设支部,50人以上设党委)", 2),
            ("党小组设置合理,每个党小组有组长", 2),
            ("在合作社、产业链、龙头企业建立党组织", 2),
            ("村村、村企联合党组织设置规范", 2),
            ("按期换届,选举程序规范", 3),
            ("第一书记、驻村工作队纳入支部管理", 3),
        ],
    ),
    (
        "班子建设标准化",
        [
            ("书记政治过硬、带富能力强", 3),
            ("村两委班子结构合理、分工明确", 3),
            ("书记岗位不空缺(空缺不超过3个月)", 3),
            ("建立村干部后备队伍库", 3),
            ("班子成员年度述职评议", 2),
            ("落实村干部绩效月考评", 2),
        ],
    ),
    (
        "党员队伍标准化",
        [
            ("年度发展党员计划落实,两年内有发展", 2),
            ("发展党员程序规范、档案完整", 2),
            ("党员每年集中学习培训不少于32学时", 3),
            ("流动党员纳入管理、联系不断线", 3),
            ("党员设岗定责、积分管理", 2),
            ("党费按时足额收缴", 2),
        ],
    ),
    (
        "组织生活标准化",
        [
            ("支部党员大会每季度至少召开一次", 2),
            ("支部委员会每月至少召开一次", 2),
            ("党小组会每月召开,党课每季度一次", 2),
            ("每月开展主题党日", 2),
            ("每年召开组织生活会、开展民主评议党员", 2),
            ("会议记录完整规范", 2),
        ],
    ),
    (
        "阵地建设标准化",
        [
            ("村级组织活动场所面积达标", 3),
            ("党旗、党徽、入党誓词等标识规范", 3),
            ("远程教育站点正常使用", 2),
            ("党务村务财务公开栏按期更新", 2),
            ("党员活动室设施齐全、学习资料充足", 2),
            ("便民服务站点运行正常", 2),
        ],
    ),
    (
        "制度落实标准化",
        [
            ("落实四议两公开", 2),
            ("村务监督委员会正常履职", 2),
            ("村规民约健全", 2),
            ("落实党建工作责任制", 2),
            ("村级财务管理规范", 2),
            ("党建档案管理规范", 2),
        ],
    ),
    (
        "作用发挥标准化",
        [
            ("带领群众脱贫攻坚成效明显", 3),
            ("村集体经济有稳定收入", 3),
            ("主导产业带动贫困户增收", 3),
            ("培养党员致富带头人", 3),
            ("为民服务全程代办", 3),
            ("群众满意度达到80%以上", 3),
        ],
    ),
]

HUIXIAN_SET = "村干部绩效月考评指标(徽县)"
HUIXIAN_ISSUED_BY = "中共徽县县委组织部"
HUIXIAN_INDICATORS = [
    ("出勤在岗", 20),
    ("重点工作落实", 30),
    ("为民服务", 20),
    ("党建工作", 15),
    ("廉洁自律", 15),
]


@transaction.atomic
def load_defaults() -> int:
    """Create the default checklist and indicator set when missing; returns how many were made."""
    made = 0
    checklist, created = Checklist.objects.get_or_create(
        name=GANSU_CHECKLIST, defaults={"issued_by": GANSU_ISSUED_BY}
    )
    if created:
        made += 1
        for order, (name, standards) in enumerate(GANSU_STANDARDS, start=1):
            category = ChecklistCategory.objects.create(checklist=checklist, name=name, order=order)
            ChecklistItem.objects.bulk_create(
                ChecklistItem(category=category, name=name, max_points=Decimal(points), order=i)
                for i, (name, points) in enumerate(standards, start=1)
            )
    indicator_set, created = IndicatorSet.objects.get_or_create(
        name=HUIXIAN_SET, defaults={"issued_by": HUIXIAN_ISSUED_BY}
    )
    if created:
        made += 1
        Indicator.objects.bulk_create(
            Indicator(indicator_set=indicator_set, name=name, max_points=Decimal(points), order=i)
            for i, (name, points) in enumerate(HUIXIAN_INDICATORS, start=1)
        )
    return made
