"""The party pages: recording a meeting with photos, field messages, the calendar, exports,
workflow buttons and permissions."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fupin.audit.models import AuditEvent
from fupin.party.models import BranchScore, Meeting, PartyMember
from fupin.party.tests import matrix
from fupin.testing import xlsx_rows


def test_it_records_a_meeting_with_a_photo_and_shows_it_done_on_the_calendar(client, world):
    client.force_login(world["cadre"])
    org = world["party_branch"]
    today = timezone.localdate()
    answer = client.post(
        reverse("party:meeting_create", args=[org.pk]),
        {
            "kind": "committee",
            "held_on": today.isoformat(),
            "topic": "研究本月工作",
            "attendees": [world["party_member"].pk],
            "minutes": "议定三件事",
            "photos": [SimpleUploadedFile("p.png", matrix.PNG, content_type="image/png")],
        },
    )
    assert answer.status_code == 302 and answer.url == reverse("party:calendar", args=[org.pk])
    meeting = Meeting.objects.get(topic="研究本月工作")
    assert list(meeting.attendees.all()) == [world["party_member"]] and meeting.recorded_by == world["cadre"]
    calendar = client.get(answer.url).content.decode()
    assert 'data-state="done"' in calendar and "研究本月工作" in calendar
    photo = meeting.photos.get()
    served = client.get(reverse("party:photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/png" and b"".join(served.streaming_content) == matrix.PNG


def test_it_shows_field_messages_in_chinese_and_keeps_the_input(client, world):
    client.force_login(world["cadre"])
    org = world["party_branch"]
    tomorrow = timezone.localdate().toordinal() + 1
    answer = client.post(
        reverse("party:meeting_create", args=[org.pk]),
        {
            "kind": "lesson",
            "held_on": timezone.localdate().fromordinal(tomorrow).isoformat(),
            "topic": "",
            "minutes": "写了很多记录",
        },
    )
    page = answer.content.decode()
    assert answer.status_code == 200
    assert "日期不能晚于今天" in page and "这个字段是必填项" in page
    assert "写了很多记录" in page  # nothing typed is lost


def test_it_refuses_a_photo_that_is_not_an_image_on_the_page(client, world):
    client.force_login(world["cadre"])
    answer = client.post(
        reverse("party:meeting_create", args=[world["party_branch"].pk]),
        {
            "kind": "lesson",
            "held_on": timezone.localdate().isoformat(),
            "topic": "党课",
            "photos": [SimpleUploadedFile("x.jpg", b"MZ\x90\x00not an image", content_type="image/jpeg")],
        },
    )
    assert answer.status_code == 200 and "不是 JPEG、PNG 或 WebP 图片" in answer.content.decode()
    assert not Meeting.objects.filter(topic="党课").exists()


def test_it_exports_the_org_list_and_audits_the_export(client, world):
    client.force_login(world["county"])
    answer = client.get(reverse("party:org_export"), {"kind": "village"})
    cells = [c for row in xlsx_rows(answer) for c in row]
    assert matrix.BRANCH in cells and "大唐青海公司机关第一党支部" not in cells  # the filter applies
    assert AuditEvent.objects.filter(action="export", object_type="party.partyorg").exists()


def test_it_keeps_weak_branch_identification_to_the_county(client, world):
    client.force_login(world["cadre"])
    assert client.get(reverse("party:weak_create", args=[world["party_branch"].pk])).status_code == 403
    client.force_login(world["county"])
    page = client.get(reverse("party:weak_create", args=[world["party_branch"].pk])).content.decode()
    assert "连续2年未发展党员" in page  # computed from the records, shown as evidence


def test_it_moves_a_recruit_on_from_the_member_page(client, world):
    client.force_login(world["cadre"])
    org = world["party_branch"]
    today = timezone.localdate()
    client.post(
        reverse("party:member_add", args=[org.pk]),
        {"name": "卓玛", "post": "member", "stage": "applicant", "applied_on": "2024-01-02"},
    )
    recruit = PartyMember.objects.get(name="卓玛")
    answer = client.post(
        reverse("party:member_step", args=[recruit.pk]),
        {"action": "advance", "on": today.isoformat(), "version": recruit.version},
    )
    assert answer.status_code == 302
    recruit.refresh_from_db()
    assert recruit.stage == "activist" and recruit.activist_on == today
    stale = client.post(
        reverse("party:member_step", args=[recruit.pk]),
        {"action": "advance", "on": today.isoformat(), "version": 1},
    )
    assert "已被他人修改" in client.get(stale.url).content.decode()


def test_it_scores_a_branch_with_the_checklist_form(client, world):
    client.force_login(world["county"])
    org = world["party_branch"]
    score = world["party_score"]
    form = client.get(reverse("party:score_record", args=[org.pk]) + f"?year={score.year}")
    assert "组织生活标准化" in form.content.decode()
    data = {"year": score.year, "version": score.version, "satisfaction": "58"}
    data.update({f"item_{i.item_id}": "1" for i in score.items.all()})
    assert client.post(reverse("party:score_record", args=[org.pk]), data).status_code == 302
    score = BranchScore.objects.get(pk=score.pk)
    assert score.total == 42 and score.star == 1 and score.satisfaction == 58


def test_it_shows_the_overdue_list_by_township(client, world):
    client.force_login(world["county"])
    year = timezone.localdate().year - 1
    page = client.get(reverse("party:overdue_list"), {"year": year, "division": "632524203"}).content.decode()
    assert matrix.BRANCH in page and "支部委员会" in page
    other = client.get(reverse("party:overdue_list"), {"year": year, "division": "620821"}).content.decode()
    assert "所选区划不在" in other or matrix.BRANCH not in other


def test_it_fits_the_meeting_form_for_a_phone(client, world):
    """The secretary's form is one task per screen: the fields in one column, a big save button."""
    client.force_login(world["cadre"])
    page = client.get(reverse("party:meeting_create", args=[world["party_branch"].pk])).content.decode()
    assert (
        'id="meeting-form"' in page
        and 'type="date"' in page
        and 'accept="image/jpeg,image/png,image/webp"' in page
    )
