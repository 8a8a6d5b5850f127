"""The checklist and the indicator set on one rubric shape: a checklist standard's `text` and
`weight` become `name` and `max_points`, as an indicator's already are (renamed in place: the data
stays); the points checks are renamed after their tables."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("party", "0002_meeting_attendance_from_members"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="checklistitem", name="party_item_weight_positive"),
        migrations.RemoveConstraint(model_name="indicator", name="party_indicator_max_positive"),
        migrations.RenameField(model_name="checklistitem", old_name="text", new_name="name"),
        migrations.RenameField(model_name="checklistitem", old_name="weight", new_name="max_points"),
        migrations.AlterField(
            model_name="checklistitem",
            name="name",
            field=models.CharField(max_length=200, verbose_name="名称"),
        ),
        migrations.AlterField(
            model_name="checklistitem",
            name="max_points",
            field=models.DecimalField(decimal_places=2, max_digits=6, verbose_name="满分"),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="name",
            field=models.CharField(max_length=200, verbose_name="名称"),
        ),
        migrations.AlterField(
            model_name="indicatorset",
            name="issued_by",
            field=models.CharField(blank=True, max_length=100, verbose_name="发布机关"),
        ),
        migrations.AddConstraint(
            model_name="checklistitem",
            constraint=models.CheckConstraint(
                condition=models.Q(("max_points__gt", 0)), name="party_checklistitem_max_points_positive"
            ),
        ),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(("max_points__gt", 0)), name="party_indicator_max_points_positive"
            ),
        ),
    ]
