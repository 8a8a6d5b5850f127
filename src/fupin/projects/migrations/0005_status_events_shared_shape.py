# The status-event tables on core.models.StatusEvent: the actor is protected (the history keeps
# who acted); the rest is labels only, no column changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0004_county_publicity'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='projectevent',
            name='actor',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='操作人'),
        ),
        migrations.AlterField(
            model_name='projectevent',
            name='project',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='events', to='projects.project', verbose_name='项目'),
        ),
        migrations.AlterField(
            model_name='projectevent',
            name='reason',
            field=models.TextField(blank=True, verbose_name='说明'),
        ),
    ]
