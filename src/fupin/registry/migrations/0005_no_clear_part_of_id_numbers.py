"""No clear part of an ID number stays in the database.

The last four digits (sequence and check digit), the birth date and the village's county code
together rebuild most local ID numbers, so: the last four become a keyed index, the birth date
becomes the birth year (the full date is read from the decrypted number when shown), the masked
copies go (masks are computed at display time), and a duplicate report keeps the number encrypted.
"""

from django.db import migrations, models


def forwards(apps, schema_editor):
    from fupin.core import crypto

    Member = apps.get_model("registry", "Member")
    batch = []
    for member in Member.objects.only("pk", "birth_date", "id_last4").iterator(chunk_size=5000):
        member.birth_year = member.birth_date.year
        member.id_last4_bidx = crypto.blind_index("id4", member.id_last4.upper())
        batch.append(member)
        if len(batch) == 5000:
            Member.objects.bulk_update(batch, ["birth_year", "id_last4_bidx"])
            batch = []
    Member.objects.bulk_update(batch, ["birth_year", "id_last4_bidx"])

    DuplicateReport = apps.get_model("registry", "DuplicateReport")
    for report in DuplicateReport.objects.all():
        enc = (
            Member.objects.filter(id_number_bidx=report.id_number_bidx)
            .values_list("id_number_enc", flat=True)
            .first()
        )
        # The person may be gone since: then only the masked copy is known; keep it, encrypted.
        report.id_number_enc = enc or crypto.encrypt(report.id_number_masked)
        report.save(update_fields=["id_number_enc"])


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0004_member_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="birth_year",
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="出生年份"),
        ),
        migrations.AddField(
            model_name="member",
            name="id_last4_bidx",
            field=models.CharField(default="", editable=False, max_length=32),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="duplicatereport",
            name="id_number_enc",
            field=models.TextField(default="", editable=False),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="member",
            name="birth_year",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="出生年份"),
        ),
        migrations.RemoveIndex(model_name="member", name="registry_member_last4_hh"),
        migrations.RemoveField(model_name="member", name="birth_date"),
        migrations.RemoveField(model_name="member", name="id_last4"),
        migrations.RemoveField(model_name="member", name="id_number_masked"),
        migrations.RemoveField(model_name="duplicatereport", name="id_number_masked"),
        migrations.AddIndex(
            model_name="member",
            index=models.Index(fields=["id_last4_bidx", "household"], name="registry_member_last4_hh"),
        ),
    ]
