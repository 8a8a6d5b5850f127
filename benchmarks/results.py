"""`fupin bench_results`: an assisting unit's results report (.docx) by our code path —
`documents.results.gather` (every figure through the apps' selectors and the indicator catalogue),
the two charts (matplotlib) and the docxtpl rendering — against the limit: the same rendering of
the context already gathered, charts included, no database at all. N samples each, alternating
which side goes first; p50/p95 and the ratio; both documents must carry the same text (issue 14:
"the results report under 10 s"). The difference of the two is what reading the records costs.
"""

import io
import statistics
import time

import docx

from fupin.documents import results


def _text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def ours(unit, first: int, last: int) -> bytes:
    out = io.BytesIO()
    results.generate(unit, first, last, out)
    return out.getvalue()


def limit(report: dict) -> bytes:
    out = io.BytesIO()
    results.render(report, out, images=results.charts(report))
    return out.getvalue()


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run(*, unit, first: int, last: int, n: int = 5) -> dict:
    report = results.gather(unit, first, last)
    results.charts(report)  # warm up: matplotlib's import and font cache, the template's first read
    times = {"ours": [], "limit": []}
    texts = {}
    for i in range(n):
        order = ("ours", "limit") if i % 2 == 0 else ("limit", "ours")
        for side in order:
            start = time.perf_counter()
            data = ours(unit, first, last) if side == "ours" else limit(report)
            times[side].append((time.perf_counter() - start) * 1000)
            texts[side] = _text(data)
    # The same report both ways (编制日期 is the day: both are made today).
    assert texts["ours"] == texts["limit"], "the two sides disagree"
    result = {"unit": unit.name, "span": report["span"], "n": n, "figures": len(report["sources"])}
    for side, values in times.items():
        result[f"{side}_p50"] = statistics.median(values)
        result[f"{side}_p95"] = _p95(values)
    result["ratio"] = result["ours_p50"] / result["limit_p50"]
    return result
