"""农户自主申报: the public page, its receipt and progress pages, the intake service behind them.

The registry holds real personal data (扎西's ID number, phone and serious illness, fupin.testing);
applicants type theirs. Every public page is scanned as the 公示 pages are (projects/tests/test_public.py):
no ID number, mobile, health word or name may come back. A registered and an unregistered applicant
must see the same pages; repeats are limited (429) without a captcha; the ID number is stored only
encrypted with its keyed index.
"""

import logging
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fupin import testing
from fupin.audit.models import AuditEvent
from fupin.core import crypto
from fupin.monitoring import deadlines, intake, services
from fupin.monitoring.choices import Channel, Stage
from fupin.monitoring.models import Lead, LeadEvent, SubmissionMark
from fupin.projects.tests.test_public import HEALTH_TERMS, leaks
from fupin.testing import HEAD_ID, MINZU_VILLAGE, NINGQU_VILLAGE, PHONE, person_id

WORLD_LAYERS = ("households",)

APPLICANT = "格桑达娃"
APPLICANT_ID = person_id(61)
APPLICANT_PHONE = "13912345678"
HARDSHIP = "丈夫患有大病住院,花费八万元,今年收入大减"
REPORT = reverse("monitoring:report")
PROGRESS = reverse("monitoring:report_progress")


def form(**changes) -> dict:
    data = {
        "name": APPLICANT,
        "phone": APPLICANT_PHONE,
        "id_number": APPLICANT_ID,
        "village": MINZU_VILLAGE,
        "risks": ["illness", "accident"],
        "hardship": HARDSHIP,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def private_leaks(html: str, *secrets: str) -> list[str]:
    """The 公示 scan plus this page's own secrets (the applicant's name, ID number, phone, hardship)."""
    found = leaks(html)
    found += [
        s for s in (APPLICANT, APPLICANT_ID, APPLICANT_PHONE, HARDSHIP, "民族村", *secrets) if s in html
    ]
    return found


def submit(client, **changes):
    return client.post(REPORT, form(**changes))


def number_of(answer) -> str:
    assert answer.status_code == 302, answer.content.decode()[:2000]
    return re.search(r"number=([A-Z0-9]+)", answer["Location"]).group(1)


# ---------------------------------------------------------------- the page and its answer


def test_an_anonymous_first_time_visitor_reports_and_gets_a_receipt(world):
    """A real first visit: no session, CSRF enforced; only the CSRF cookie is set; nothing is kept."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(REPORT)
    assert page.status_code == 200
    html = page.content.decode()
    assert "农户自主申报" in html and "风险类型" in html and "因病" in html
    assert set(page.cookies) == {"csrftoken"}, page.cookies
    assert "no-store" in page["Cache-Control"] and "private" in page["Cache-Control"]
    assert "script-src 'self'" in page["Content-Security-Policy"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    assert browser.post(REPORT, form()).status_code == 403, "no token, no report"
    answer = browser.post(REPORT, {**form(), "csrfmiddlewaretoken": token})
    number = number_of(answer)
    assert set(answer.cookies) <= {"csrftoken"}
    assert "sessionid" not in browser.cookies

    lead = Lead.objects.get(number=number)
    assert lead.channel == Channel.SELF_REPORT and lead.stage == Stage.SUBMITTED
    assert lead.reported_by is None and lead.household is None
    assert lead.village_id == MINZU_VILLAGE and lead.applicant_name == APPLICANT
    assert lead.risks == ["illness", "accident"] and lead.hardship == HARDSHIP
    assert lead.step_due == deadlines.add_days(lead.opened_on, 2, working=True), "2 working days"
    assert lead.decision_due is not None
    assert lead.id_number_bidx == crypto.blind_index("id", APPLICANT_ID), "the registry's keyed index"
    assert crypto.decrypt(lead.id_number_enc) == APPLICANT_ID
    assert crypto.decrypt(lead.phone_enc) == APPLICANT_PHONE and lead.phone_masked == "139****5678"
    assert [e.to_status for e in lead.events.all()] == [Stage.SUBMITTED]

    done = browser.get(answer["Location"])
    assert done.status_code == 200
    html = done.content.decode()
    assert number in html and "唐乃亥乡" in html and "待受理" in html
    assert lead.step_due.isoformat() in html
    assert private_leaks(html) == [], private_leaks(html)
    assert not done.cookies and "no-store" in done["Cache-Control"]


def test_the_id_number_and_phone_are_not_in_clear_in_the_database(client, world):
    number = number_of(submit(client))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM monitoring_lead WHERE number = %s", [number])
        row = " ".join(str(value) for value in cursor.fetchone())
        cursor.execute("SELECT kind, key FROM monitoring_submissionmark")
        marks = cursor.fetchall()
    assert APPLICANT_ID not in row and APPLICANT_ID[-8:] not in row and APPLICANT_PHONE not in row
    assert sorted(kind for kind, _key in marks) == ["id", "ip"]
    for _kind, key in marks:
        assert key not in (crypto.blind_index("id", APPLICANT_ID), "127.0.0.1", APPLICANT_ID)
        assert re.fullmatch(r"[0-9a-f]{32}", key), "a keyed hash, never the address or number"


def test_an_id_number_or_phone_typed_into_the_story_is_kept_masked(client, world):
    story = f"我的身份证{APPLICANT_ID},电话{APPLICANT_PHONE},家里有人住院"
    lead = Lead.objects.get(number=number_of(submit(client, hardship=story)))
    assert APPLICANT_ID not in lead.hardship and APPLICANT_PHONE not in lead.hardship
    assert "家里有人住院" in lead.hardship and "139****5678" in lead.hardship


def test_a_registered_applicant_is_linked_to_the_household_of_the_chosen_village(client, world):
    matched = Lead.objects.get(number=number_of(submit(client, id_number=HEAD_ID, name="扎西")))
    assert matched.household_id == world["zhaxi"].pk
    elsewhere = Lead.objects.get(
        number=number_of(submit(client, id_number=HEAD_ID, name="扎西", village=NINGQU_VILLAGE))
    )
    assert elsewhere.household_id is None, "a member of another village's household: no link"


def test_a_matched_and_an_unmatched_applicant_see_the_same_pages(client, world):
    """Whether the ID number is registered is never told: the answers differ only in the receipt number."""
    seen = []
    for id_number in (HEAD_ID, APPLICANT_ID):
        answer = submit(client, id_number=id_number)
        number = number_of(answer)
        done = client.get(answer["Location"])
        progress = client.get(PROGRESS, {"number": number})
        seen.append(
            [
                answer.status_code,
                answer["Location"].replace(number, "N"),
                done.status_code,
                done.content.decode().replace(number, "N"),
                progress.status_code,
                progress.content.decode().replace(number, "N"),
            ]
        )
    assert Lead.objects.filter(household=world["zhaxi"]).count() == 1, "one of them did match"
    assert seen[0] == seen[1]


# ---------------------------------------------------------------- progress by receipt number


def test_progress_shows_the_stage_dates_and_deadline_and_nothing_personal(client, world):
    number = number_of(submit(client, id_number=HEAD_ID, name="扎西"))
    lead = Lead.objects.get(number=number)
    # The township accepts it; the event's reason is a cadre's free text naming the man and his illness.
    LeadEvent.objects.create(
        lead=lead, from_status=Stage.SUBMITTED, to_status=Stage.ACCEPTED, reason="扎西患有大病,电话" + PHONE
    )
    Lead.objects.filter(pk=lead.pk).update(stage=Stage.ACCEPTED)
    answer = client.get(PROGRESS, {"number": number.lower()})  # typed in lower case: still found
    assert answer.status_code == 200
    html = answer.content.decode()
    assert number in html and "兴海县 唐乃亥乡" in html
    assert "待入户核实" in html and "提交申报" in html, "the stage and each step"
    assert lead.opened_on.isoformat() in html and lead.decision_due.isoformat() in html
    assert private_leaks(html, HEAD_ID, "扎西") == [], private_leaks(html, HEAD_ID, "扎西")
    for term in HEALTH_TERMS:
        assert term not in html
    assert not answer.cookies and "no-store" in answer["Cache-Control"]


@pytest.mark.parametrize("number", ["JC20990101000000", "abc", "'; DROP TABLE x; --", "J" * 200])
def test_an_unknown_receipt_gets_the_same_neutral_answer(client, world, number):
    answer = client.get(PROGRESS, {"number": number})
    assert answer.status_code == 404
    assert "未找到该受理编号的申报" in answer.content.decode()
    assert client.get(reverse("monitoring:report_done"), {"number": number}).status_code == 404


def test_another_channels_lead_is_not_shown_by_its_number(client, world):
    """A cadre's or a rule's lead has a number too, but nobody outside was given it: 未找到."""
    lead = services.open_lead(
        by=None, channel=Channel.CADRE, village=world["zhaxi"].village, risks=["illness"]
    )
    answer = client.get(PROGRESS, {"number": lead.number})
    assert answer.status_code == 404 and "未找到该受理编号的申报" in answer.content.decode()


def test_the_progress_form_opens_empty(client, world):
    answer = client.get(PROGRESS)
    assert answer.status_code == 200 and "受理编号" in answer.content.decode()
    assert not answer.cookies


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "", "请填写户主姓名"),
        ("name", "名" * 51, "最多50个字"),
        ("phone", "", "请填写手机号码"),
        ("phone", "12345", "手机号码"),
        ("phone", "01088886666", "请填写手机号码(11位)"),
        ("id_number", "", "请填写身份证号"),
        ("id_number", APPLICANT_ID[:-1] + ("0" if APPLICANT_ID[-1] != "0" else "1"), "身份证号校验码不正确"),
        ("id_number", "63252419750301", "身份证号应为18位"),
        ("village", "", "请选择所在的行政村"),
        ("village", "632524203", "请选择到行政村(社区)一级"),
        ("village", "632524203999", "所选行政村不存在"),
        ("risks", [], "请至少选择一项风险类型"),
        ("risks", ["illness", "disaster", "disability", "no_labour", "accident", "water"], "最多选择5项"),
        ("risks", ["flu"], "风险类型无效"),
        ("hardship", "", "请简要说明家庭困难情况"),
        ("hardship", "难" * 1001, "最多1000个字"),
    ],
)
def test_each_field_is_refused_with_a_chinese_message_under_it(client, world, field, value, message):
    answer = submit(client, **{field: value})
    assert answer.status_code == 200
    html = answer.content.decode()
    rows = [chunk for chunk in html.split('<div class="form-row') if f'id="row-{field}"' in chunk]
    assert rows and "has-error" in rows[0].split(">", 1)[0], f"no error under {field}"
    assert message in rows[0].split('class="errorlist', 1)[-1], rows[0]
    assert not Lead.objects.exists() and not SubmissionMark.objects.exists()


def test_every_problem_is_said_at_once(world):
    with pytest.raises(Exception) as refused:
        intake.submit_self_report(
            name="", phone="1", id_number="x", village_code="63", risks=[], hardship="", client_ip="1.2.3.4"
        )
    assert set(refused.value.message_dict) == {"name", "phone", "id_number", "village", "risks", "hardship"}


def test_a_filled_honeypot_writes_nothing(client, world):
    answer = client.post(REPORT, {**form(), "website": "http://spam.example"})
    assert answer.status_code == 400 and "提交未成功" in answer.content.decode()
    assert not Lead.objects.exists()


# ---------------------------------------------------------------- repeats


def test_an_id_number_may_report_three_times_a_day(client, world):
    for n in range(3):
        number_of(client.post(REPORT, form(), REMOTE_ADDR=f"10.0.0.{n}"))
    answer = client.post(REPORT, form(), REMOTE_ADDR="10.0.0.9")
    assert answer.status_code == 429 and answer["Retry-After"] == "86400"
    assert "该身份证号今天已提交3次申报" in answer.content.decode()
    assert Lead.objects.count() == 3
    # A day later the marks are old: they count for nothing and the next report prunes them.
    SubmissionMark.objects.update(at=timezone.now() - timedelta(days=1, minutes=1))
    number_of(client.post(REPORT, form(), REMOTE_ADDR="10.0.0.9"))
    assert SubmissionMark.objects.count() == 2, "the old marks were pruned"


def test_an_address_may_report_ten_times_an_hour(client, world):
    for n in range(10):
        number_of(client.post(REPORT, form(id_number=person_id(100 + n)), REMOTE_ADDR="10.1.1.1"))
    answer = client.post(REPORT, form(id_number=person_id(120)), REMOTE_ADDR="10.1.1.1")
    assert answer.status_code == 429 and answer["Retry-After"] == "3600"
    assert "当前网络提交的申报过多" in answer.content.decode()
    assert APPLICANT in answer.content.decode(), "what was typed is kept for a later try"
    number_of(client.post(REPORT, form(id_number=person_id(120)), REMOTE_ADDR="10.1.1.2"))


def test_the_limits_are_settings(client, world, settings):
    settings.FUPIN_SELF_REPORT_PER_ID_PER_DAY = 1
    number_of(submit(client))
    assert submit(client).status_code == 429
    settings.FUPIN_SELF_REPORT_PER_ID_PER_DAY = 5
    settings.FUPIN_SELF_REPORT_PER_IP_PER_HOUR = 2
    number_of(submit(client))
    assert submit(client).status_code == 429


def test_behind_a_proxy_the_address_is_the_proxys_last_entry(client, world, settings):
    settings.FUPIN_SELF_REPORT_PER_IP_PER_HOUR = 1
    settings.FUPIN_CLIENT_IP_HEADER = "X-Forwarded-For"
    number_of(client.post(REPORT, form(), HTTP_X_FORWARDED_FOR="1.1.1.1, 100.64.0.1"))
    # The client invents the first entry; the proxy's own (the last) is what counts.
    answer = client.post(REPORT, form(id_number=person_id(70)), HTTP_X_FORWARDED_FOR="9.9.9.9, 100.64.0.1")
    assert answer.status_code == 429
    number_of(client.post(REPORT, form(id_number=person_id(71)), HTTP_X_FORWARDED_FOR="100.64.0.2"))


# ---------------------------------------------------------------- the picker without a script


def test_without_a_script_the_picker_goes_level_by_level(client, world):
    answer = client.post(REPORT, {**form(village=""), "village_1": "63", "pick": "1"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert '<option value="6325"' in html, "the next level's choices"
    assert "has-error" not in html and APPLICANT in html, "no errors yet, what was typed kept"
    assert not Lead.objects.exists()
    chain = {"village_1": "63", "village_2": "6325", "village_3": "632524", "village_4": "632524203"}
    html = client.post(REPORT, {**form(village=""), **chain, "pick": "1"}).content.decode()
    assert '<option value="632524203207"' in html
    number_of(client.post(REPORT, {**form(village=""), **chain, "village_5": MINZU_VILLAGE}))
    # A province changed after the city was chosen: the city's choice no longer counts.
    stale = {**chain, "village_1": "62", "village_5": MINZU_VILLAGE}
    answer = client.post(REPORT, {**form(village=""), **stale})
    assert "请选择到行政村(社区)一级" in answer.content.decode()


def test_the_report_page_opens_at_a_place_given_in_its_link(client, world):
    html = client.get(REPORT, {"place": "632524203"}).content.decode()
    assert '<option value="632524203" selected>' in html and '<option value="632524203207"' in html


def test_the_public_division_names_are_codes_and_names_only(client, world):
    answer = client.get(reverse("monitoring:report_places", args=["632524203"]))
    assert answer.status_code == 200
    assert answer.json() == [{"code": MINZU_VILLAGE, "short_name": "民族村"}]
    assert "private" in answer["Cache-Control"] and not answer.cookies
    for code in ("999999", "abc", MINZU_VILLAGE):
        assert client.get(reverse("monitoring:report_places", args=[code])).status_code == 404


# ---------------------------------------------------------------- logs and the audit trail


def test_nothing_personal_reaches_the_logs_or_the_audit_trail(client, world, caplog):
    caplog.set_level(logging.DEBUG)
    number = number_of(submit(client, id_number=HEAD_ID, name="扎西"))
    submit(client, phone="bad")  # a refusal logs nothing personal either
    for _n in range(3):
        submit(client, id_number=HEAD_ID, name="扎西")
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in (HEAD_ID, APPLICANT_PHONE, "扎西", HARDSHIP, "大病"):
        assert secret not in logged
    events = AuditEvent.objects.filter(object_repr__contains=number)
    assert events.count() == 1
    event = events.get()
    text = f"{event.changes} {event.detail} {event.path} {event.object_repr}"
    for secret in (HEAD_ID, APPLICANT_PHONE, "扎西", HARDSHIP, "127.0.0.1"):
        assert secret not in text
    assert event.ip == "" and event.region_code == MINZU_VILLAGE


def test_the_public_pages_need_no_login_and_survive_a_signed_in_visitor(client, world):
    """A cadre opening the page on their own phone gets the same page; their session stays theirs."""
    client.force_login(world["cadre"])
    assert client.get(REPORT).status_code == 200
    lead = Lead.objects.get(number=number_of(submit(client)))
    assert lead.reported_by is None, "a public report is nobody's, whoever is signed in"
    assert testing.MINZU_VILLAGE == lead.village_id
