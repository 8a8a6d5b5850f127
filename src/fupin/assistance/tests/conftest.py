import datetime

import pytest

from fupin import testing


@pytest.fixture(scope="module")
def world_layers(request):
    """Each module shares one world: the cast, the registry's households and this app's matrix
    records of 兴海县 (tests/matrix.py); a module may declare other WORLD_LAYERS."""
    return testing.world_layers_of(request.module, default=("assistance",))


@pytest.fixture
def today():
    return datetime.date.today()
