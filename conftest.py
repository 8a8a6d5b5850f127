import pytest

from fupin import testing


@pytest.fixture
def cast(db):
    """The fixed cast of fupin.testing: county officer, village cadre, outsider, unit officer, admins."""
    return testing.make_cast()
