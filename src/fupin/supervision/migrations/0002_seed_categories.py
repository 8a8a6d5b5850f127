"""The kinds of problem an inspection records (作风、政策落实、资金、帮扶、党建、档案), each warned three days
ahead of its deadline; counties add their own in the back office."""

from django.db import migrations

CATEGORIES = [
    ("干部作风", 3),
    ("政策落实", 3),
    ("资金项目", 3),
    ("帮扶工作", 3),
    ("基层党建", 3),
    ("档案资料", 3),
    ("其他", 3),
]


def seed(apps, schema_editor):
    Category = apps.get_model("supervision", "Category")
    for order, (name, days) in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"soon_days": days, "order": order})


class Migration(migrations.Migration):
    dependencies = [("supervision", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
