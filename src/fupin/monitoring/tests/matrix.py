"""Monitoring's part of the scope matrix (src/fupin/tests/test_scope_matrix.py).

The pieces are declared beside the code they check (workflow_matrix: the review chain's pages and
API; matrix_rules: rule runs; matrix_screening: department lists; matrix_screens: the lists, the
overview and the back office) and merged here, with one world for all of them: 扎西's lead at
待信息比对, 王芳 a monitoring object with a 风险消除 under way, an overdue lead of 扎西 (the overdue
list's row), a data-quality finding, a rule run and a 医保 list of 兴海县. The public self-report pages
hold no record of anyone's (reference).
"""

import datetime

from django.urls import reverse

from fupin.monitoring.tests import matrix_rules, matrix_screening, matrix_screens, workflow_matrix
from fupin.testing import HOUSEHOLD, Page, plain_url

OBJECT_HOLDER = "王芳"  # workflow_matrix's monitoring object (and its elimination)

_screens = dict(matrix_screens.PAGES)
for _name in ("object", "elimination"):
    for _suffix in ("list", "export"):
        _page = _screens[f"monitoring:{_name}_{_suffix}"]
        _screens[f"monitoring:{_name}_{_suffix}"] = Page(_page.url, _page.kind, OBJECT_HOLDER)

PAGES: dict = {
    **_screens,
    **workflow_matrix.PAGES,
    **matrix_rules.PAGES,
    **matrix_screening.PAGES,
    # 监测对象 in the national collection's layout (monitoring.exchange), and its 明文导出 form.
    "monitoring:object_national_export": Page(
        plain_url("monitoring:object_national_export"), "export", OBJECT_HOLDER
    ),
    "monitoring:object_national_export_clear": Page(
        plain_url("monitoring:object_national_export_clear"), "list-no-marker", HOUSEHOLD
    ),
    "monitoring:report": Page(plain_url("monitoring:report"), "reference"),
    "monitoring:report_progress": Page(plain_url("monitoring:report_progress"), "reference"),
    "monitoring:report_places": Page(
        lambda o: reverse("monitoring:report_places", args=["632524"]), "reference"
    ),
}
# The receipt page answers only with a real self-report's number and shows its stage alone (no
# person, no village): public by design (monitoring/tests/test_public_self_report.py).
NOT_RECORDS = {"monitoring:report_done", *matrix_rules.NOT_RECORDS, *matrix_screening.NOT_RECORDS}
API = {**workflow_matrix.API, **matrix_rules.API, **matrix_screening.API}
ADMIN_OBJECTS = matrix_screens.ADMIN_OBJECTS


def objects(objs: dict) -> dict:
    from fupin.monitoring import services
    from fupin.monitoring.choices import Channel
    from fupin.monitoring.models import DibaoStandard, MonitoringLine, QualityFinding
    from fupin.regions.models import Region

    made = workflow_matrix.objects(objs)
    # Past its decision limit: the overdue list counts it under 唐乃亥乡.
    services.open_lead(
        by=None,
        channel=Channel.CADRE,
        village=Region.objects.get(code=objs["zhaxi"].village_id),
        opened_on=datetime.date(2026, 1, 5),
        household=objs["zhaxi"],
        risks=["illness"],
    )
    QualityFinding.objects.create(
        rule="no_measure",
        county_id="632524",
        household=objs["zhaxi"],
        object=made["monitoring_object"],
        detail="识别一个月后无帮扶措施",
        found_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
    )
    made["monitoring_line"] = MonitoringLine.objects.get(year=2025, region_id="632524")
    made["dibao_standard"] = DibaoStandard.objects.get(year=2025, region_id="632524")
    made.update(matrix_rules.objects({**objs, **made}))
    made.update(matrix_screening.objects({**objs, **made}))
    return made


assert HOUSEHOLD == "扎西"  # the markers above lean on the world's households
