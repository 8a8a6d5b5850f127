"""The rollup of the whole demo (`fupin demo` ends with a full refresh) equals a recount from the
records, for every declared indicator, period and category: at every division code the rollup
holds a figure for (each village, township, county, city and province with records), and over the
whole and each province of the country (where a missing row would show as a difference).
"""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from fupin.core import indicators as declared
from fupin.core.indicators import RATIO, recount
from fupin.reports import selectors
from fupin.reports.models import LEVEL_COLUMNS, Rollup
from fupin.testing import make_user


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
    ):
        with transaction.atomic():
            call_command("regions", "load", verbosity=0, stdout=io.StringIO())
            call_command("demo", stdout=io.StringIO())
            yield
            transaction.set_rollback(True)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return round(a, 6) == round(b, 6)


def test_the_demo_rollup_equals_a_recount_everywhere(demo, db):
    from fupin.accounts.roles import Role
    from fupin.regions.models import Region

    provinces = list(Region.objects.filter(level=Region.Level.PROVINCE).values_list("code", flat=True))
    nation = make_user("nation", roles=[Role.VIEWER], scopes=provinces)
    assert Rollup.objects.exists()
    wrong, checked = [], 0
    for ind in declared.catalogue().values():
        stored = ind.parts[0] if ind.kind == RATIO else ind.code
        combos = Rollup.objects.filter(indicator=stored).values_list("period", "category").distinct()
        for period, category in {("", ""), *combos}:
            codes = {""} | set(provinces)
            for column, _length in LEVEL_COLUMNS:
                codes |= set(
                    Rollup.objects.filter(indicator=stored, period=period, category=category)
                    .exclude(**{column: ""})
                    .values_list(column, flat=True)
                    .distinct()
                )
            for code in sorted(codes):
                expected = recount(ind, prefix=code, period=period, category=category)
                got = selectors.figure(
                    nation, ind.code, division=code or None, period=period, category=category
                )
                checked += 1
                if not _same(expected, got):
                    wrong.append((ind.code, code, period, category, expected, got))
    assert not wrong, wrong[:20]
    assert checked > 1000
