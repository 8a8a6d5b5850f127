"""The 驾驶舱's boundaries (static/reports/maps): keyed by division code, a file per province."""

import json

from django.contrib.staticfiles import finders


def test_it_ships_the_boundaries_keyed_by_division_code():
    geo = json.loads(open(finders.find("reports/maps/63.json"), encoding="utf-8").read())
    codes = {f["properties"]["code"] for f in geo["features"]}
    assert {"6325", "632524"} <= codes
    china = json.loads(open(finders.find("reports/maps/china.json"), encoding="utf-8").read())
    assert len({f["properties"]["code"] for f in china["features"]}) >= 31
