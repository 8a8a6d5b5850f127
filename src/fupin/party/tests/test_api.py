"""The party API: writes through the services, 409 for stale or refused steps, 422 in Chinese."""

from django.utils import timezone

from fupin.accounts.tokens import token_issue
from fupin.party.tests import matrix


def _auth(user) -> dict:
    _token, key = token_issue(user=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_it_records_a_meeting_and_reports_it_on_the_calendar(client, world):
    org = world["party_branch"]
    today = timezone.localdate()
    answer = client.post(
        f"/api/party/orgs/{org.pk}/meetings",
        {
            "kind": "theme_day",
            "held_on": today.isoformat(),
            "topic": "主题党日",
            "attendee_ids": [world["party_member"].pk],
        },
        content_type="application/json",
        **_auth(world["cadre"]),
    )
    assert answer.status_code == 201 and answer.json()["attendee_count"] == 1
    periods = client.get(f"/api/party/orgs/{org.pk}/calendar", **_auth(world["cadre"])).json()
    current = [p for p in periods if p["kind"] == "theme_day" and p["start"] <= today.isoformat() <= p["end"]]
    assert current[0]["state"] == "done" and current[0]["meeting_ids"] == [answer.json()["id"]]


def test_it_answers_bad_input_with_a_chinese_422(client, world):
    answer = client.post(
        f"/api/party/orgs/{world['party_branch'].pk}/meetings",
        {"kind": "party", "held_on": "2020-01-01", "topic": ""},
        content_type="application/json",
        **_auth(world["cadre"]),
    )
    assert answer.status_code == 422 and "请求参数有误" in answer.json()["detail"]
    future = client.post(
        f"/api/party/orgs/{world['party_branch'].pk}/meetings",
        {"kind": "lesson", "held_on": "2099-01-01", "topic": "党课"},
        content_type="application/json",
        **_auth(world["cadre"]),
    )
    assert future.status_code == 422 and "日期不能晚于今天" in future.json()["detail"]


def test_it_answers_a_stale_version_and_a_refused_step_with_409(client, world):
    member = world["party_member"]
    auth = _auth(world["county"])
    first = client.patch(
        f"/api/party/members/{member.pk}",
        {"version": 1, "name": "改名"},
        content_type="application/json",
        **auth,
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(
        f"/api/party/members/{member.pk}",
        {"version": 1, "name": "又改"},
        content_type="application/json",
        **auth,
    )
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    refused = client.post(
        f"/api/party/members/{member.pk}/transitions",
        {"action": "advance", "on": timezone.localdate().isoformat(), "version": 2},
        content_type="application/json",
        **auth,
    )
    assert refused.status_code == 409 and refused.json()["reasons"] == ["已是正式党员"]


def test_it_keeps_the_weak_case_workflow_to_those_who_may_run_it(client, world):
    case = world["party_case"]
    body = {"action": "revoke", "version": 1, "reason": "误判"}
    denied = client.post(
        f"/api/party/weak-cases/{case.pk}/transitions",
        body,
        content_type="application/json",
        **_auth(world["cadre"]),
    )
    assert denied.status_code == 403
    done = client.post(
        f"/api/party/weak-cases/{case.pk}/transitions",
        body,
        content_type="application/json",
        **_auth(world["county"]),
    )
    assert done.status_code == 200 and done.json()["status"] == "revoked"


def test_it_ranks_scores_and_lists_pairings_in_scope(client, world):
    year = world["party_score"].year
    answer = client.get(f"/api/party/scores?year={year}&division=632524", **_auth(world["county"])).json()
    scores = answer["items"]
    assert scores[0]["org_name"] == matrix.BRANCH and scores[0]["rank"] == 1 and scores[0]["star"] == 4
    assert answer["count"] == len(scores) and answer["capped"] is False
    pairings = client.get("/api/party/pairings", **_auth(world["unitofficer"])).json()["items"]
    assert pairings[0]["helper_unit"] == "大唐青海能源开发有限公司"
    assert client.get("/api/party/pairings", **_auth(world["outsider"])).json()["items"] == []
    # The page's form checks the query: a division outside the caller's scope is refused, named.
    refused = client.get("/api/party/scores?division=620821", **_auth(world["county"]))
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["query", "division"]


def test_it_pages_meetings_and_counts_missed_meetings_per_branch(client, world):
    auth = _auth(world["county"])
    meetings = client.get("/api/party/meetings?limit=1", **auth).json()
    assert meetings["count"] >= 1 and len(meetings["items"]) == 1
    assert meetings["items"][0]["photo_count"] == 1 and meetings["items"][0]["attendee_ids"]
    year = timezone.localdate().year - 1
    overdue = client.get(f"/api/party/meetings/overdue?year={year}", **auth).json()["items"]
    branch = next(o for o in overdue if o["org_name"] == matrix.BRANCH)
    assert branch["missed_members"] == 3 and branch["missed"] == sum(
        v for k, v in branch.items() if k.startswith("missed_")
    )


# --- the writes of organisations, pairings, scores, reserves and village cadres ------------------


def _send(client, method: str, url: str, body: dict, user):
    return getattr(client, method)(url, body, content_type="application/json", **_auth(user))


def test_it_creates_a_sub_organisation_and_edits_an_organisation(client, world):
    branch, county = world["party_branch"], world["county"]
    body = {"name": "第一党小组", "level": "group", "kind": "village"}
    made = _send(client, "post", f"/api/party/orgs/{branch.pk}/children", body, county)
    assert made.status_code == 201
    group = made.json()
    assert group["parent_id"] == branch.pk and group["region_code"] == "632524203207"
    assert group["version"] == 1 and group["level"] == "group"
    nowhere = _send(
        client, "post", f"/api/party/orgs/{branch.pk}/children", {**body, "region_code": "999999"}, county
    )
    assert nowhere.status_code == 422 and "区划代码不存在" in nowhere.json()["detail"]
    assert nowhere.json()["errors"][0]["loc"] == ["body", "region_code"]
    under_group = _send(client, "post", f"/api/party/orgs/{group['id']}/children", body, county)
    assert under_group.status_code == 422 and "党小组下不能再设党组织" in under_group.json()["detail"]
    denied = _send(client, "post", f"/api/party/orgs/{branch.pk}/children", body, world["cadre"])
    assert denied.status_code == 403

    url = f"/api/party/orgs/{branch.pk}"
    edited = _send(client, "patch", url, {"version": 1, "approved_by": "中共兴海县委组织部"}, county)
    assert edited.status_code == 200
    assert edited.json()["approved_by"] == "中共兴海县委组织部" and edited.json()["version"] == 2
    stale = _send(client, "patch", url, {"version": 1, "name": "改名"}, county)
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    loop = _send(client, "patch", url, {"version": 2, "parent_id": group["id"]}, county)
    assert loop.status_code == 422 and "上级组织不能是本组织的下级组织" in loop.json()["detail"]
    assert loop.json()["errors"][0]["loc"] == ["body", "parent_id"]
    assert _send(client, "patch", url, {"version": 2, "name": "改名"}, world["cadre"]).status_code == 403


def test_it_pairs_two_branches_and_ends_the_pairing(client, world):
    from fupin.party import services

    county, branch = world["county"], world["party_branch"]
    agency = services.org_create(
        by=None, name="兴海县委组织部机关党支部", level="branch", kind="agency", region_id="632524"
    )
    url = f"/api/party/orgs/{agency.pk}/pairings"
    made = _send(client, "post", url, {"partner_id": branch.pk, "started_on": "2024-03-01"}, county)
    assert made.status_code == 201
    pairing = made.json()
    assert pairing["helper_id"] == agency.pk and pairing["village_branch_id"] == branch.pk
    assert pairing["version"] == 1
    backwards = _send(
        client,
        "post",
        url,
        {"partner_id": branch.pk, "started_on": "2024-03-01", "ended_on": "2024-01-01"},
        county,
    )
    assert backwards.status_code == 422 and "结束日期不能早于开始日期" in backwards.json()["detail"]
    two_villages = _send(
        client,
        "post",
        f"/api/party/orgs/{branch.pk}/pairings",
        {"partner_id": branch.pk, "started_on": "2024-03-01"},
        county,
    )
    assert two_villages.status_code == 422 and "帮扶方不能是村党组织" in two_villages.json()["detail"]
    body = {"partner_id": agency.pk, "started_on": "2024-05-01"}
    branch_url = f"/api/party/orgs/{branch.pk}/pairings"
    assert _send(client, "post", branch_url, body, world["cadre"]).status_code == 403

    one = f"/api/party/pairings/{pairing['id']}"
    ended = _send(client, "patch", one, {"version": 1, "ended_on": "2025-12-31"}, county)
    assert ended.status_code == 200 and ended.json()["ended_on"] == "2025-12-31"
    stale = _send(client, "patch", one, {"version": 1, "note": "共建"}, county)
    assert stale.status_code == 409
    early = _send(client, "patch", one, {"version": 2, "started_on": "2026-01-01"}, county)
    assert early.status_code == 422 and "结束日期不能早于开始日期" in early.json()["detail"]
    assert _send(client, "patch", one, {"version": 2, "note": "x"}, world["cadre"]).status_code == 403


def test_it_keeps_the_reserve_pool_and_its_assessments(client, world):
    county, branch = world["county"], world["party_branch"]
    today = timezone.localdate()
    body = {
        "name": "卓玛",
        "sex": "F",
        "birth_year": today.year - 28,
        "education": "college",
        "is_party_member": True,
        "added_on": today.isoformat(),
    }
    url = f"/api/party/orgs/{branch.pk}/reserves"
    made = _send(client, "post", url, body, county)
    assert made.status_code == 201
    assert made.json()["age"] == 28 and made.json()["status"] == "in_pool" and made.json()["version"] == 1
    young = _send(client, "post", url, {**body, "birth_year": today.year - 10}, county)
    assert young.status_code == 422 and "出生年份应使年龄在18至70岁之间" in young.json()["detail"]
    assert _send(client, "post", url, body, world["cadre"]).status_code == 403

    one = f"/api/party/reserves/{made.json()['id']}"
    appointed = _send(client, "patch", one, {"version": 1, "status": "appointed"}, county)
    assert appointed.status_code == 200 and appointed.json()["status"] == "appointed"
    stale = _send(client, "patch", one, {"version": 1, "current_work": "会计"}, county)
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    assert _send(client, "patch", one, {"version": 2, "name": "x"}, world["cadre"]).status_code == 403

    reserve = world["party_reserve"]
    assess = f"/api/party/reserves/{reserve.pk}/assessments"
    year = reserve.added_on.year
    first = _send(client, "post", assess, {"year": year, "result": "competent"}, county)
    assert first.status_code == 201 and first.json()["result"] == "competent"
    again = _send(client, "post", assess, {"year": year, "result": "excellent", "note": "表现突出"}, county)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert reserve.assessments.get().result == "excellent"
    before = _send(client, "post", assess, {"year": year - 1, "result": "competent"}, county)
    assert before.status_code == 422 and "考核年度应在入库年度至今年之间" in before.json()["detail"]
    body = {"year": year, "result": "fail"}
    assert _send(client, "post", assess, body, world["cadre"]).status_code == 403


def test_it_adds_village_cadres_and_scores_their_month(client, world):
    from fupin.party.models import IndicatorSet

    county, branch = world["county"], world["party_branch"]
    url = f"/api/party/orgs/{branch.pk}/cadres"
    made = _send(client, "post", url, {"name": "卓玛", "post": "村妇联主席"}, county)
    assert made.status_code == 201 and made.json()["org_name"] == matrix.BRANCH
    twice = _send(client, "post", url, {"name": "卓玛", "post": "村妇联主席"}, county)
    assert twice.status_code == 422 and "该村已有同名同职务的村干部" in twice.json()["detail"]
    assert _send(client, "post", url, {"name": "拉毛", "post": "文书"}, world["cadre"]).status_code == 403

    indicators = list(IndicatorSet.objects.get().indicators.all())
    full = {str(i.pk): str(i.max_points) for i in indicators}
    month = timezone.localdate().strftime("%Y-%m")
    scores = f"/api/party/cadres/{made.json()['id']}/scores"
    first = _send(client, "post", scores, {"month": month, "points": full}, county)
    assert first.status_code == 201
    assert first.json()["total"] == str(sum(i.max_points for i in indicators))
    assert first.json()["version"] == 1 and first.json()["points"] == full
    over = {**full, str(indicators[0].pk): str(indicators[0].max_points + 1)}
    too_much = _send(client, "post", scores, {"month": month, "points": over}, county)
    assert too_much.status_code == 422 and "得分应在0至" in too_much.json()["detail"]
    assert too_much.json()["errors"][0]["loc"] == ["body", f"points.{indicators[0].pk}"]
    future = _send(client, "post", scores, {"month": "2099-01", "points": full}, county)
    assert future.status_code == 422 and "不能为将来的月份评分" in future.json()["detail"]
    again = _send(client, "post", scores, {"month": month, "points": {}, "version": 1}, county)
    assert again.status_code == 200 and again.json()["version"] == 2 and again.json()["total"] == "0.00"
    stale = _send(client, "post", scores, {"month": month, "points": full, "version": 1}, county)
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    body = {"month": month, "points": full}
    assert _send(client, "post", scores, body, world["cadre"]).status_code == 403


def test_it_records_a_yearly_standardisation_score(client, world):
    from fupin.party.models import ChecklistItem

    county, branch = world["county"], world["party_branch"]
    items = list(ChecklistItem.objects.all())
    full = {str(i.pk): str(i.max_points) for i in items}
    url = f"/api/party/orgs/{branch.pk}/scores"
    year = timezone.localdate().year
    made = _send(client, "post", url, {"year": year, "points": full, "satisfaction": "95.5"}, county)
    assert made.status_code == 201
    assert made.json()["star"] == 5 and made.json()["points"] == full and made.json()["version"] == 1
    over = {**full, str(items[0].pk): str(items[0].max_points + 1)}
    too_much = _send(client, "post", url, {"year": year, "points": over}, county)
    assert too_much.status_code == 422 and "得分应在0至" in too_much.json()["detail"]
    assert too_much.json()["errors"][0]["loc"] == ["body", f"points.{items[0].pk}"]
    stranger = _send(client, "post", url, {"year": year, "points": {"999999999": "1"}}, county)
    assert stranger.status_code == 422 and "考评标准不属于该考评表" in stranger.json()["detail"]
    future = _send(client, "post", url, {"year": year + 1, "points": {}}, county)
    assert future.status_code == 422 and "年份应在2000年至" in future.json()["detail"]
    last = world["party_score"]
    again = _send(client, "post", url, {"year": last.year, "points": {}, "version": 1}, county)
    assert again.status_code == 200 and again.json()["version"] == 2 and again.json()["star"] == 1
    stale = _send(client, "post", url, {"year": last.year, "points": full, "version": 1}, county)
    assert stale.status_code == 409 and "已被他人修改" in stale.json()["detail"]
    body = {"year": year, "points": full}
    assert _send(client, "post", url, body, world["cadre"]).status_code == 403
