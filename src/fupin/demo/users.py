"""One demo account per role, on the seeds' places. The administrators enrol two-factor at first login."""

from fupin.accounts.roles import Role

DEMO_PASSWORD = "Fupin@2024demo"

# username, full name, role, data scope codes, unit name, title
USERS = [
    ("cadre_minzu", "才让东智", Role.VILLAGE_CADRE, ["632524203207"], None, "民族村党支部书记"),
    ("fs_changliu", "李晓奋", Role.VILLAGE_CADRE, ["440981101207"], "广东省高级人民法院", "驻长流村第一书记"),
    ("township_tangnaihai", "唐乃亥乡干部", Role.TOWNSHIP_OFFICER, ["632524203"], None, "乡村振兴办主任"),
    ("county_xinghai", "兴海县干部", Role.COUNTY_OFFICER, ["632524"], None, "县乡村振兴局副局长"),
    ("county_jingchuan", "泾川县干部", Role.COUNTY_OFFICER, ["620821"], None, "县乡村振兴局干部"),
    ("viewer_qinghai", "青海省查看", Role.VIEWER, ["63"], None, "省乡村振兴局"),
    ("viewer_gansu", "甘肃省委组织部干部", Role.VIEWER, ["62"], "中共甘肃省委组织部", "组织二处"),
    ("unit_datang", "大唐青海扶贫办", Role.UNIT_OFFICER, [], "大唐青海能源开发有限公司", "扶贫办干部"),
    (
        "unit_chnenergy",
        "国家能源集团扶贫办",
        Role.UNIT_OFFICER,
        [],
        "国家能源投资集团有限责任公司",
        "扶贫办干部",
    ),
    ("inspector_xinghai", "兴海县督查员", Role.INSPECTOR, ["632524"], None, "县委督查室"),
    ("sysadmin", "系统管理员", Role.SYSTEM_ADMIN, [], None, ""),
    ("secadmin", "安全管理员", Role.SECURITY_ADMIN, [], None, ""),
    ("auditadmin", "审计管理员", Role.AUDIT_ADMIN, [], None, ""),
]
