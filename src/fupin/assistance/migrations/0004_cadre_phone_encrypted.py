# A cadre's phone is personal data like a household's: encrypted at rest, with a masked copy.

from django.db import migrations, models

from fupin.core import crypto
from fupin.core.masking import mask_phone

BATCH = 1000


def encrypt_phones(apps, schema_editor):
    """Seal every clear phone and fill its masked copy, as Cadre.set_phone does (the historical
    model has no methods). The numbers were validated when written, so they are taken as they are."""
    Cadre = apps.get_model("assistance", "Cadre")
    rows = []
    for cadre in Cadre.objects.exclude(phone="").only("pk", "phone").iterator(chunk_size=BATCH):
        cadre.phone_enc, cadre.phone_masked = crypto.encrypt(cadre.phone), mask_phone(cadre.phone)
        rows.append(cadre)
        if len(rows) == BATCH:
            Cadre.objects.bulk_update(rows, ["phone_enc", "phone_masked"])
            rows = []
    Cadre.objects.bulk_update(rows, ["phone_enc", "phone_masked"])


def decrypt_phones(apps, schema_editor):
    """Back to the clear column (needs the keys the phones were sealed with)."""
    Cadre = apps.get_model("assistance", "Cadre")
    rows = []
    for cadre in Cadre.objects.exclude(phone_enc="").only("pk", "phone_enc").iterator(chunk_size=BATCH):
        cadre.phone = crypto.decrypt(cadre.phone_enc)
        rows.append(cadre)
        if len(rows) == BATCH:
            Cadre.objects.bulk_update(rows, ["phone"])
            rows = []
    Cadre.objects.bulk_update(rows, ["phone"])


class Migration(migrations.Migration):
    dependencies = [
        ("assistance", "0003_cadre_phone"),
    ]

    operations = [
        migrations.AddField(
            model_name="cadre",
            name="phone_enc",
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.AddField(
            model_name="cadre",
            name="phone_masked",
            field=models.CharField(blank=True, editable=False, max_length=20, verbose_name="联系电话"),
        ),
        migrations.RunPython(encrypt_phones, decrypt_phones),
        migrations.RemoveField(
            model_name="cadre",
            name="phone",
        ),
    ]
