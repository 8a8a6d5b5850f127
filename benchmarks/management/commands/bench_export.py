"""`fupin bench_export [--county CODE] [--rounds N] [--row-path]`: the registry's CSV export
against `psql \\copy` of the same columns (benchmarks/export.py)."""

import os

from django.core.management.base import BaseCommand

from benchmarks import export as bench


class Command(BaseCommand):
    help = "Time the registry's CSV export of a county against COPY of the same columns (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--county", default="520524", help="division code prefix of the scope ('' = all)")
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--row-path", action="store_true", help="also time the .xlsx's row path as CSV")

    def handle(self, *args, county, rounds, row_path, **options):
        self.stdout.write(f"scope {county or 'all'}; load at start: {_load()}")
        result = bench.run(prefix=county, rounds=rounds, with_row_path=row_path, say=self.stdout.write)
        self.stdout.write(f"load at end: {_load()}")
        rows, seconds = result["rows"], result["seconds"]
        for side, value in seconds.items():
            self.stdout.write(
                f"{side:<5} {value:7.2f} s (median)  {rows / value:10,.0f} rows/s  "
                f"{result['bytes'][side] / 2**20:7.1f} MB"
            )
        self.stdout.write(f"ours / COPY rate: {result['ratio']:.2f} (target ≥ 0.33)")


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
