# Attendance comes from the members ticked (and named guests), no longer from typed numbers.

from django.db import migrations, models


def derive_attendance(apps, schema_editor):
    """Re-derive each meeting's figures from its ticked members; a typed figure that disagrees is
    kept, word for word, in the minutes (nothing recorded is lost, no figure exceeds its list)."""
    Meeting = apps.get_model("party", "Meeting")
    PartyMember = apps.get_model("party", "PartyMember")
    PartyOrg = apps.get_model("party", "PartyOrg")
    for meeting in Meeting.objects.all().iterator():
        attended = set(meeting.attendees.values_list("pk", flat=True))
        orgs = [meeting.org_id, *PartyOrg.objects.filter(parent_id=meeting.org_id).values_list("pk", flat=True)]
        roster = set(PartyMember.objects.filter(org_id__in=orgs, status="active").values_list("pk", flat=True))
        present, absent = len(attended), len(roster - attended)
        if (meeting.attendee_count, meeting.absent_count) == (present, absent):
            continue
        note = f"(原登记:实到 {meeting.attendee_count} 人,缺席 {meeting.absent_count} 人)"
        minutes = f"{meeting.minutes}\n{note}" if meeting.minutes else note
        Meeting.objects.filter(pk=meeting.pk).update(
            attendee_count=present, absent_count=absent, minutes=minutes
        )


class Migration(migrations.Migration):
    dependencies = [
        ("party", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="guests",
            field=models.JSONField(blank=True, default=list, verbose_name="列席人员"),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="absent_count",
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name="缺席党员"),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="attendee_count",
            field=models.PositiveSmallIntegerField(default=0, editable=False, verbose_name="实到党员"),
        ),
        migrations.RunPython(derive_attendance, migrations.RunPython.noop),
    ]
