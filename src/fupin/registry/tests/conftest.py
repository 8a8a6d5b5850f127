import pytest

from fupin import testing


@pytest.fixture
def minzu(world):
    """Two households in 民族村: one of two people, one of one (the world's, when the module's
    WORLD_LAYERS holds "minzu"; else made for the test)."""
    return world["minzu"] if "minzu" in world else testing.make_minzu()


@pytest.fixture(scope="module")
def world_layers(request):
    """Each registry module shares one world (the cast at least; see fupin.testing.make_world)."""
    return testing.world_layers_of(request.module, default=())
