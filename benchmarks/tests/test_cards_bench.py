"""bench_cards on a small village: both sides print one page per household, and prepare() is idempotent."""

from benchmarks import cards as bench
from fupin.registry import selectors as registry


def test_both_sides_print_a_card_a_page(cast):
    assert bench.prepare(bench.VILLAGE, 3) == 3
    assert bench.prepare(bench.VILLAGE, 2) == 3  # enough already: nothing added
    said = []
    result = bench.run(bench.VILLAGE, size="A5", rounds=1, say=said.append)
    assert result["households"] == 3
    assert result["pages"] == {"ours": 3, "limit": 3}
    assert result["ours"] > 0 and result["limit"] > 0 and result["ratio"] > 0
    assert len(said) == 2
    # The officer the cards are printed as sees the village through the scoping choke point.
    assert registry.village_households(bench.officer("632524"), bench.VILLAGE).count() == 3
