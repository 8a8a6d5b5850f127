"""The scope matrix: the outsider gets nothing of another county, anywhere.

The cast (fupin.testing): `county` is the county officer of 兴海县 632524; `outsider` is the county officer
of 泾川县 620821 and holds the same role, so any difference comes from scope alone. For every page,
export, admin screen and API operation of the project, the county officer sees 兴海县's records and the
outsider does not.

The first tests walk the URL configuration and the OpenAPI document: a new page or endpoint that is not
declared below fails the suite until it joins the matrix.
"""

import importlib

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from fupin.accounts.tokens import token_issue
from fupin.api import api
from fupin.testing import HOUSEHOLD, MARKER, Page, plain_url, xlsx_rows


def _plain(name: str):
    return plain_url(name)


def _hh(name: str):
    return lambda objs: reverse(name, args=[objs["zhaxi"].pk])


PAGES: dict[str, Page] = {
    "core:home": Page(_plain("core:home"), "list-no-marker"),
    "orgs:unit_list": Page(_plain("orgs:unit_list"), "list"),
    "orgs:unit_export": Page(_plain("orgs:unit_export"), "export"),
    "orgs:unit_detail": Page(lambda o: reverse("orgs:unit_detail", args=[o["datang"].pk]), "detail"),
    "regions:browse": Page(_plain("regions:browse"), "reference"),
    "audit:event_list": Page(_plain("audit:event_list"), "forbidden"),
    "audit:event_export": Page(_plain("audit:event_export"), "forbidden"),
    "registry:household_list": Page(_plain("registry:household_list"), "list", HOUSEHOLD),
    "registry:household_create": Page(_plain("registry:household_create"), "list-no-marker"),
    "registry:household_detail": Page(_hh("registry:household_detail"), "detail"),
    "registry:household_edit": Page(_hh("registry:household_edit"), "detail"),
    "registry:member_add": Page(_hh("registry:member_add"), "detail"),
    "registry:income_record": Page(_hh("registry:income_record"), "detail"),
    "registry:check_record": Page(_hh("registry:check_record"), "detail"),
    "registry:member_edit": Page(
        lambda o: reverse("registry:member_edit", args=[o["zhaxi"].members.first().pk]), "detail"
    ),
    "registry:household_transition": Page(
        _hh("registry:household_transition"), "post", data=lambda o: {"action": "identify", "reason": "核实"}
    ),
    "registry:reveal": Page(
        _plain("registry:reveal"),
        "post",
        data=lambda o: {"type": "member", "id": o["zhaxi"].members.first().pk, "field": "id_number"},
    ),
    "registry:import_upload": Page(_plain("registry:import_upload"), "list-no-marker"),
    "registry:import_template": Page(_plain("registry:import_template"), "reference"),  # a blank form
    "registry:household_export": Page(_plain("registry:household_export"), "export", HOUSEHOLD),
    # The 明文导出 form (its POST: registry/tests/test_export_list.py proves the outsider's file is empty).
    "registry:household_export_clear": Page(
        _plain("registry:household_export_clear"), "list-no-marker", HOUSEHOLD
    ),
}

# Pages that show no records: signing in and out, two-factor, language, liveness, the user's own account.
NOT_RECORDS = {
    "accounts:login",
    "accounts:logout",
    "set_language",
    "core:healthz",
    # The offline outbox: a page drawn in the browser from the phone's own storage, a CSRF token, the
    # service worker's script; the server sends nothing of anyone's records with them.
    "core:outbox",
    "core:outbox_token",
    "core:service_worker",
    # A job (an import …) is its starter's own: jobs/tests/test_jobs.py and
    # registry/tests/test_import_views.py prove another user gets 404; jobs/tests/test_files.py the
    # same for its generated file.
    "jobs:status",
    "jobs:download",
    "registry:import_report",
}
# The signed-in user's own account pages (profile, password, 2FA, tokens): each reads only
# request.user's rows; test_it_keeps_each_users_tokens_their_own checks the one that takes an id.
NOT_RECORDS_PREFIXES = ("accounts:",)


# API operations: path template -> (builder of a concrete path, kind) as for pages.
def _member(o) -> int:
    return o["zhaxi"].members.first().pk


def _county_job(o) -> str:
    """A job the county officer started (the outsider must get 404 for it)."""
    from fupin.jobs.models import Job

    return str(Job.objects.create(kind="matrix", owner=o["county"]).pk)


API = {
    "/api/jobs/{job_id}": (lambda o: f"/api/jobs/{_county_job(o)}", "detail"),
    "/api/orgs/units": (lambda o: "/api/orgs/units", "list"),
    "/api/orgs/units/{unit_id}": (lambda o: f"/api/orgs/units/{o['datang'].pk}", "detail"),
    "/api/accounts/me": (lambda o: "/api/accounts/me", "self"),
    "/api/registry/households": (lambda o: "/api/registry/households", "list"),
    "/api/registry/households/{household_id}": (
        lambda o: f"/api/registry/households/{o['zhaxi'].pk}",
        "detail",
    ),
    "/api/registry/households/{household_id}/members": (
        lambda o: f"/api/registry/households/{o['zhaxi'].pk}/members",
        "detail",
    ),
    "/api/registry/households/{household_id}/events": (
        lambda o: f"/api/registry/households/{o['zhaxi'].pk}/events",
        "detail",
    ),
    "/api/registry/households/{household_id}/incomes/{year}": (
        lambda o: f"/api/registry/households/{o['zhaxi'].pk}/incomes/2019",
        "detail",
    ),
    "/api/registry/households/{household_id}/checks/{year}": (
        lambda o: f"/api/registry/households/{o['zhaxi'].pk}/checks/2019",
        "detail",
    ),
    "/api/registry/incidence": (lambda o: "/api/registry/incidence?code=632524", "detail"),
    "/api/registry/eligibility": (lambda o: "/api/registry/eligibility?code=632524203207", "detail"),
    "/api/registry/members/{member_id}": (
        lambda o: f"/api/registry/members/{_member(o)}",
        ("PATCH", lambda o: {"version": 1, "name": "改名"}),
    ),
    "/api/registry/households/{household_id}/transitions": (
        lambda o: f"/api/registry/households/{o['zhaxi'].pk}/transitions",
        ("POST", lambda o: {"action": "identify", "reason": "核实"}),
    ),
    "/api/registry/reveal": (
        lambda o: "/api/registry/reveal",
        ("POST", lambda o: {"type": "member", "id": _member(o), "field": "id_number"}),
    ),
}
API_REFERENCE_PREFIX = "/api/regions"  # division codes are public reference data

# Admin: which cast object of 兴海县's world stands for each registered model (None: not scoped data,
# closed to business roles by permission).
ADMIN_OBJECTS = {
    "orgs.unit": lambda o: o["datang"],
    "regions.region": None,
    "registry.household": lambda o: o["zhaxi"],
    "registry.duplicatereport": lambda o: o["duplicate"],
    "registry.povertyline": None,
    "registry.exitthreshold": None,
    # 农村户籍人口: set through registry.services (registry.approve_exit); no role holds its admin perms.
    "registry.villagepopulation": None,
}


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_patterns(pattern, ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed {pattern.pattern}>"


def test_it_declares_every_page_of_the_project():
    """A page missing from the matrix fails here: add it to PAGES (or NOT_RECORDS, with a reason)."""
    missing = []
    for name in _named_patterns():
        if name.startswith(("admin:", "api:")):
            continue  # covered by the admin and API matrices below
        if name in PAGES or name in NOT_RECORDS or name.startswith(NOT_RECORDS_PREFIXES):
            continue
        missing.append(name)
    assert missing == []


def test_it_declares_every_api_operation():
    paths = api.get_openapi_schema()["paths"]
    missing = [p for p in paths if p not in API and not p.startswith(API_REFERENCE_PREFIX)]
    assert missing == []


def test_it_declares_every_admin_screen():
    """Every registered admin model is either scoped data (ADMIN_OBJECTS) or a system screen."""
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert registered == set(ADMIN_OBJECTS) | ADMIN_NOT_SCOPED


# Admin screens of the system itself (accounts, roles, audit, lockouts): business roles have no
# permission to open them at all; checked below for both cast members.
ADMIN_NOT_SCOPED = {
    "accounts.user",
    "accounts.userrole",
    "accounts.datascope",
    "accounts.apitoken",
    "audit.auditevent",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "otp_totp.totpdevice",
}


# Each later app declares its own part in fupin/<app>/tests/matrix.py (PAGES, NOT_RECORDS, API,
# ADMIN_OBJECTS and objects(objs), which makes its records of 兴海县's world).
APP_MATRICES = [
    importlib.import_module(f"fupin.{app}.tests.matrix")
    for app in (
        "party",
        "assistance",
        "projects",
        "outcomes",
        "monitoring",
        "supervision",
        "reports",
        "documents",
        "exchange",
    )
]
for _matrix in APP_MATRICES:
    assert not set(_matrix.PAGES) & set(PAGES), "a page declared twice"
    PAGES.update(_matrix.PAGES)
    NOT_RECORDS |= _matrix.NOT_RECORDS
    API.update(_matrix.API)
    ADMIN_OBJECTS.update(_matrix.ADMIN_OBJECTS)


def _duplicate(made: dict) -> dict:
    """A duplicate between 兴海县 and a third county (not the outsider's): both counties see it."""
    from fupin.registry.models import DuplicateReport

    duplicate = DuplicateReport.objects.create(
        existing_county="632524",
        attempted_county="130530",
        id_number_bidx="x" * 32,
        id_number_enc="",
    )
    return {"duplicate": duplicate}


# The whole of 兴海县's world, built once for the module: every app's matrix records (tests/matrix.py).
WORLD_LAYERS = ("households", *(m.__name__.split(".")[1] for m in APP_MATRICES), _duplicate)


@pytest.fixture
def objs(world):
    return world


@pytest.mark.parametrize("name", sorted(PAGES))
def test_it_shows_the_outsider_nothing_on_each_page(client, objs, name):
    page = PAGES[name]
    url = page.url(objs)
    if page.kind == "post":
        client.force_login(objs["outsider"])
        assert client.post(url, page.data(objs)).status_code == 404
        client.force_login(objs["county"])
        assert client.post(url, page.data(objs)).status_code != 404
        return
    client.force_login(objs["outsider"])
    outsider = client.get(url)
    client.force_login(objs["county"])
    county = client.get(url)
    if page.kind in ("list", "list-no-marker"):
        assert outsider.status_code == county.status_code == 200
        assert page.marker not in outsider.content.decode()
        if page.kind == "list":
            assert page.marker in county.content.decode()
    elif page.kind == "export":
        assert outsider.status_code == county.status_code == 200
        assert _xlsx_text(county).count(page.marker) >= 1
        assert page.marker not in _xlsx_text(outsider)
    elif page.kind == "detail":
        assert county.status_code == 200
        assert outsider.status_code == 404
    elif page.kind == "forbidden":
        assert outsider.status_code == county.status_code == 403
    elif page.kind == "reference":
        assert outsider.status_code == county.status_code == 200
    else:  # pragma: no cover - a typo in the matrix
        pytest.fail(f"unknown kind {page.kind}")


@pytest.mark.parametrize("path", sorted(API))
def test_it_shows_the_outsider_nothing_in_each_api_operation(client, objs, path):
    build, kind, *marker = API[path]  # an optional third item: the marker the county must see
    url = build(objs)
    marker = marker[0] if marker else HOUSEHOLD if path.startswith("/api/registry") else MARKER
    answers = {}
    for who in ("outsider", "county"):
        _token, key = token_issue(user=objs[who], name="matrix")
        auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if isinstance(kind, tuple):
            method, body = kind
            send = getattr(client, method.lower())
            answers[who] = send(url, data=body(objs), content_type="application/json", **auth)
        else:
            answers[who] = client.get(url, **auth)
    if isinstance(kind, tuple):
        assert answers["outsider"].status_code == 404
        assert answers["county"].status_code != 404
    elif kind == "list":
        assert answers["outsider"].status_code == answers["county"].status_code == 200
        assert marker not in answers["outsider"].content.decode()
        assert marker in answers["county"].content.decode()
    elif kind == "detail":
        assert answers["county"].status_code == 200
        assert answers["outsider"].status_code == 404
    elif kind == "self":
        assert "632524" not in answers["outsider"].content.decode()
        assert "632524" in answers["county"].content.decode()


@pytest.mark.parametrize("label", sorted(ADMIN_OBJECTS))
def test_it_shows_the_outsider_nothing_in_each_admin_screen(client, objs, label):
    app_label, model_name = label.split(".")
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    build = ADMIN_OBJECTS[label]
    client.force_login(objs["outsider"])
    if build is None:
        return  # reference data (regions): readable by every role with access
    obj = build(objs)
    change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    # Each changelist row links to its change page: the link is the row's fingerprint.
    assert change not in client.get(changelist).content.decode()
    answer = client.get(change)
    assert answer.status_code in (302, 404)  # the admin redirects "does not exist" to its index
    client.force_login(objs["county"])
    assert change in client.get(changelist).content.decode()
    assert client.get(change).status_code == 200


@pytest.mark.parametrize("label", sorted(ADMIN_NOT_SCOPED))
def test_it_closes_system_admin_screens_to_business_roles(client, objs, label):
    app_label, model_name = label.split(".")
    changelist = reverse(f"admin:{app_label}_{model_name}_changelist")
    for who in ("outsider", "county"):
        client.force_login(objs[who])
        assert client.get(changelist).status_code == 403


def _xlsx_text(response) -> str:
    return "\n".join(str(c) for row in xlsx_rows(response) for c in row)


def test_it_keeps_each_users_tokens_their_own(client, objs):
    """The only account page that takes an id: another user's token cannot be revoked (404)."""
    token, _key = token_issue(user=objs["county"], name="mine")
    client.force_login(objs["outsider"])
    answer = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert answer.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
