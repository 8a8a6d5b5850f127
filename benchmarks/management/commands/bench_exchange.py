"""`fupin bench_exchange [--county CODE] [--rounds N]`: a county's file in the national layout
against a hand-written COPY of the same columns (benchmarks/exchange.py)."""

import os

from django.core.management.base import BaseCommand

from benchmarks import exchange as bench


class Command(BaseCommand):
    help = "Time a county's national-layout CSV (exchange) against COPY of the same columns (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--county", default="632524", help="division code prefix of the area")
        parser.add_argument("--rounds", type=int, default=3)

    def handle(self, *args, county, rounds, **options):
        self.stdout.write(f"area {county}; load at start: {_load()}")
        result = bench.run(prefix=county, rounds=rounds, say=self.stdout.write)
        self.stdout.write(f"load at end: {_load()}")
        rows, seconds = result["rows"], result["seconds"]
        for side, value in seconds.items():
            self.stdout.write(
                f"{side:<5} {value:7.2f} s (median)  {rows / value:10,.0f} rows/s  "
                f"{result['bytes'][side] / 2**20:7.1f} MB"
            )
        self.stdout.write(f"ours / COPY rate: {result['ratio']:.2f}")


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
