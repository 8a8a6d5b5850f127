# The status-event table on core.models.StatusEvent: the actor is protected (the history keeps
# who acted), the reason a text column (widening a varchar(500) keeps every value).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assistance', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='measureevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='measureevent',
            name='reason',
            field=models.TextField(blank=True, verbose_name='说明'),
        ),
        migrations.AlterField(
            model_name='teamevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='teamevent',
            name='from_status',
            field=models.CharField(blank=True, choices=[('forming', '组建中'), ('active', '在岗'), ('ended', '已期满')], max_length=16, verbose_name='原状态'),
        ),
        migrations.AlterField(
            model_name='teamevent',
            name='reason',
            field=models.TextField(blank=True, verbose_name='说明'),
        ),
    ]
