"""The layers of 分层分类帮扶 and the risk rules every county starts with (data: editable afterwards)."""

from django.db import migrations

LAYERS = [
    ("key_relief", "重点救助", 1, "整户无劳动能力、收入低于低保标准或遭遇重大变故,需兜底和临时救助"),
    ("dibao_relief", "低保救助", 2, "收入低于低保标准、纳入或应纳入低保、特困供养"),
    ("latent_risk", "潜在风险", 3, "收入低于监测标准或刚性支出较大,存在返贫致贫风险"),
    ("development", "发展支持", 4, "有劳动能力和发展意愿,以产业、就业帮扶增收"),
]

# (code, name, kind, risk, params)
RULES = [
    ("income-below-line", "人均纯收入(扣除合规自付支出)低于监测标准", "income_below_line", "other", {}),
    ("income-drop", "人均纯收入较上年下降超过30%", "income_drop", "job_instability", {"percent": 30}),
    ("medical-costs", "合规自付支出超过限额(低收入人口1万元、其他2.6万元)", "costs_above", "illness",
     {"low_income": 10000, "other": 26000}),
    ("costs-share", "合规自付支出超过家庭纯收入的50%", "costs_share", "illness", {"percent": 50}),
    ("living-check", "三保障或饮水安全未达标", "living_check", "other", {}),
    ("dept-medical", "医保:个人自付医疗费用超过限额", "department_hit", "illness",
     {"source": "medical", "low_income": 10000, "other": 26000}),
    ("dept-civil", "民政:新纳入低保、特困或临时救助", "department_hit", "other", {"source": "civil"}),
    ("dept-education", "教育:辍学", "department_hit", "schooling", {"source": "education"}),
    ("dept-housing", "住建:住房安全隐患", "department_hit", "other", {"source": "housing"}),
    ("dept-labour", "人社:失业或连续三个月无务工", "department_hit", "job_instability", {"source": "labour"}),
    ("dept-emergency", "应急:受灾", "department_hit", "disaster", {"source": "emergency"}),
    ("dept-disability", "残联:新增残疾", "department_hit", "disability", {"source": "disability"}),
    ("no-work", "以工资性收入为主但连续三个月无务工", "no_work", "job_instability", {"months": 3}),
]


def seed(apps, schema_editor):
    Layer = apps.get_model("monitoring", "Layer")
    RiskRule = apps.get_model("monitoring", "RiskRule")
    for code, name, order, description in LAYERS:
        Layer.objects.update_or_create(code=code, defaults={"name": name, "order": order, "description": description})
    for code, name, kind, risk, params in RULES:
        RiskRule.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "risk": risk, "params": params}
        )


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
