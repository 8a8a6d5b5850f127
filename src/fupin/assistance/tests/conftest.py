import datetime

import pytest

from fupin.assistance.tests import matrix
from fupin.registry.tests.fixtures_screens import make_households


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Visit photos go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world(cast):
    """The cast, the registry's households and this app's matrix records of 兴海县."""
    made = {**cast, **make_households()}
    made.update(matrix.objects(made))
    for key in ("zhaxi", "wang", "li"):
        made[key].refresh_from_db()
    return made


@pytest.fixture
def today():
    return datetime.date.today()
