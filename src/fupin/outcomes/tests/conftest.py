import pytest

from fupin.outcomes.tests.fixtures import make_records


@pytest.fixture
def records(cast):
    """大唐's purchases, sale, placement and pledge in 兴海县, and 泾川县's purchase (fixtures.make_records)."""
    return make_records(cast)
