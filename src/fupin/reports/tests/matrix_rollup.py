"""The rollup's part of reports' scope matrix (reports/tests/matrix.py merges it): the indicator
catalogue (page, export, API), a figure's API and the refresh, and the back office.

The catalogue is national reference (definitions, no place data): both county officers read it.
A figure answers per the caller's scope: the county officer's breakdown names 632524, the
outsider's never does (a division outside the scope is refused: reports/tests/test_catalogue.py).
A refresh over a division outside the caller's scope answers as a missing one (404).
"""

from fupin.testing import Page, plain_url

PAGES = {
    "reports:indicator_list": Page(plain_url("reports:indicator_list"), "reference"),
    "reports:indicator_export": Page(plain_url("reports:indicator_export"), "reference"),
}
# The 刷新 form: a choice of indicator, the time of the last refresh; its job is its starter's own
# (jobs:status). No record of anyone's.
NOT_RECORDS = {"reports:refresh_rollup"}


def _figure(objs) -> str:
    return f"/api/reports/figures/{objs['rollup_indicator']}"


API = {
    "/api/reports/indicators": (lambda o: "/api/reports/indicators", "reference"),
    "/api/reports/figures/{code}": (_figure, "self"),
    "/api/reports/refresh": (
        lambda o: "/api/reports/refresh",
        ("POST", lambda o: {"division": "632524", "indicator": o["rollup_indicator"]}),
    ),
}
# National reference and the system's own history: not place data (None: no scoped object).
ADMIN_OBJECTS = {"reports.indicator": None, "reports.refreshrun": None}


def objects(objs: dict) -> dict:
    """The rollup of the world so far, and a declared indicator for the figure's API."""
    from fupin.core.indicators import SUM
    from fupin.reports import services
    from fupin.reports.selectors import declaration, indicators

    services.refresh()
    code = next(row.code for row in indicators() if declaration(row.code).kind == SUM)
    return {"rollup_indicator": code}
