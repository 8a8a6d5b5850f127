"""The seeds' organisations and the places they assist, on real division codes.

Sources: seed 000 (大唐青海 and 兴海县's three villages), 001 (甘肃省委组织部), 002 (国家能源集团's nine
counties), 003 (中国黄金 in 新蔡县 and 贞丰县), 004 (the 省直中直 work teams in 茂名).
"""

from fupin.orgs.models import Unit

K = Unit.Kind

# name, short name, kind, parent name, based in (code), assisted places (codes)
UNITS = [
    ("中国大唐集团有限公司", "中国大唐", K.CENTRAL_ENTERPRISE, None, "11", []),
    (
        "大唐青海能源开发有限公司",
        "大唐青海公司",
        K.STATE_ENTERPRISE,
        "中国大唐集团有限公司",
        "6301",
        ["632524203207", "632524101206", "632524100202"],
    ),
    (
        "国家能源投资集团有限责任公司",
        "国家能源集团",
        K.CENTRAL_ENTERPRISE,
        None,
        "11",
        ["540623", "632726", "632224", "513428", "513429", "140623", "150429", "610827", "610829"],
    ),
    ("中国黄金集团有限公司", "中国黄金", K.CENTRAL_ENTERPRISE, None, "11", ["411729", "522325"]),
    ("中共甘肃省委组织部", "甘肃省委组织部", K.AGENCY, None, "62", []),
    ("广东省高级人民法院", "省法院", K.AGENCY, None, "4401", ["440981101207"]),
    ("广州航海学院", "省航海学院", K.INSTITUTION, None, "4401", ["440904119209"]),
    ("广东省航运集团有限公司", "省航运集团", K.STATE_ENTERPRISE, None, "4401", ["440902108204"]),
    ("广东体育职业技术学院", "省体院", K.INSTITUTION, None, "4401", []),
    ("交通银行广东省分行", "省交通银行", K.STATE_ENTERPRISE, None, "4401", []),
    ("中华人民共和国广州海关", "广州海关", K.AGENCY, None, "4401", []),
    ("国家税务总局广东省税务局", "省国税", K.AGENCY, None, "4401", []),
    ("工业和信息化部电子第五研究所", "工信部电子五所", K.INSTITUTION, None, "4401", []),
    ("广东工贸职业技术学院", "工贸职业学院", K.INSTITUTION, None, "4401", []),
    ("中国科学院广州分院", "中科院广州分院", K.INSTITUTION, None, "4401", []),
    ("中华人民共和国广东海事局", "广东海事局", K.AGENCY, None, "4401", []),
]
