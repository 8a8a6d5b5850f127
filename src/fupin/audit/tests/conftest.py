import pytest

from fupin import testing


@pytest.fixture(scope="module")
def world_layers(request):
    """Each module shares one cast (fupin.testing), built once; a module may declare WORLD_LAYERS."""
    return testing.world_layers_of(request.module, default=())
