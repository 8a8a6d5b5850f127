import pytest

from fupin import testing


@pytest.fixture(scope="module")
def world_layers(request):
    """Each module shares one world: the cast and the outcomes records (fupin.testing,
    make_outcome_records); a module may declare other WORLD_LAYERS."""
    return testing.world_layers_of(request.module, default=("outcome_records",))


@pytest.fixture
def records(world):
    """大唐's purchases, sale, placement and pledge in 兴海县, and 泾川县's purchase (the world's, or made
    for the test when the module's WORLD_LAYERS leave them out)."""
    return world["records"] if "records" in world else testing.make_outcome_records(world)
