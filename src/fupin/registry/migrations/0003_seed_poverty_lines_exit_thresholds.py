"""Seed the national poverty lines and the exit thresholds (data, editable in the admin afterwards).

Re-runnable: rows that exist are left as they are (an edited amount is never overwritten).
Also recomputes net and per-capita income of any existing income rows (0002 made them stored columns).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations

POVERTY_LINES = [
    (2010, "2300", "2010年不变价"),
    (2014, "2736", "现价"),
    (2015, "2800", "现价"),
    (2016, "2855", "现价"),
    (2017, "3026", "现价"),
    (2018, "3535", "约,现价估算"),
    (2019, "3747", "约,现价估算"),
    (2020, "4000", "约,现价估算"),
]

# 2016 exit standard: incidence below 2%, below 3% in the western provinces.
WESTERN = [
    ("15", "内蒙古"),
    ("45", "广西"),
    ("50", "重庆"),
    ("51", "四川"),
    ("52", "贵州"),
    ("53", "云南"),
    ("54", "西藏"),
    ("61", "陕西"),
    ("62", "甘肃"),
    ("63", "青海"),
    ("64", "宁夏"),
    ("65", "新疆"),
]


def seed(apps, schema_editor):
    PovertyLine = apps.get_model("registry", "PovertyLine")
    ExitThreshold = apps.get_model("registry", "ExitThreshold")
    YearlyIncome = apps.get_model("registry", "YearlyIncome")
    for year, amount, note in POVERTY_LINES:
        PovertyLine.objects.get_or_create(year=year, defaults={"amount": Decimal(amount), "note": note})
    for code, name in WESTERN:
        ExitThreshold.objects.get_or_create(
            province_code=code, defaults={"threshold": Decimal("0.03"), "note": f"西部地区({name})"}
        )
    for income in YearlyIncome.objects.all().iterator():
        net = income.wages + income.business + income.transfers + income.property - income.production_costs
        income.net_income = net
        income.per_capita = (net / income.people).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        income.save(update_fields=["net_income", "per_capita"])


def unseed(apps, schema_editor):
    apps.get_model("registry", "PovertyLine").objects.filter(year__in=[y for y, _a, _n in POVERTY_LINES]).delete()
    apps.get_model("registry", "ExitThreshold").objects.filter(province_code__in=[c for c, _n in WESTERN]).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_exit_review_duplicates_thresholds_stored_income")]

    operations = [migrations.RunPython(seed, unseed)]
