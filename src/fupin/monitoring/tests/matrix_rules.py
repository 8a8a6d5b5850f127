"""The rules' part of the scope matrix (src/fupin/tests/test_scope_matrix.py), for monitoring's
tests/matrix.py to merge: the rules page, a run's page, the API's run and quality operations, and a
rule run of 兴海县 for them.

    from fupin.monitoring.tests import matrix_rules
    PAGES = {..., **matrix_rules.PAGES}
    NOT_RECORDS = {..., *matrix_rules.NOT_RECORDS}
    API = {..., **matrix_rules.API}
    def objects(objs): return {..., **matrix_rules.objects(objs)}
"""

from django.urls import reverse

from fupin.testing import Page, plain_url

MARKER = "兴海县"  # the run's area on the rules page

PAGES = {
    "monitoring:rules": Page(plain_url("monitoring:rules"), "list", MARKER),
    "monitoring:rule_run": Page(lambda o: reverse("monitoring:rule_run", args=[o["rule_run"].pk]), "detail"),
}
# POSTs that start a job over an area the user picks (no record of anyone's): an area outside the
# user's scope is refused on the form, and the job is its starter's own (jobs:status);
# monitoring/tests/test_rules_pages.py checks both.
NOT_RECORDS = {"monitoring:rule_start", "monitoring:rule_quality"}
API = {
    "/api/monitoring/rules/runs": (
        lambda o: "/api/monitoring/rules/runs",
        ("POST", lambda o: {"area": "632524", "kinds": ["living_check"]}),
    ),
    "/api/monitoring/rules/runs/{run_id}": (
        lambda o: f"/api/monitoring/rules/runs/{o['rule_run'].pk}",
        "detail",
    ),
    "/api/monitoring/quality/checks": (
        lambda o: "/api/monitoring/quality/checks",
        ("POST", lambda o: {"county": "632524"}),
    ),
}


def objects(objs: dict) -> dict:
    """A finished rule run over 兴海县."""
    from django.utils import timezone

    from fupin.monitoring.models import RuleRun

    run = RuleRun.objects.create(
        area_id="632524",
        period="2026-11",
        counts={"living-check": {"fired": 1, "new": 1}},
        finished_at=timezone.now(),
    )
    return {"rule_run": run}
