"""fupin's benchmark harnesses: the `fupin bench_…` commands and what they measure against.

They live beside the package, not in it: an installed fupin carries no benchmark code (no index
dropping, no bulk fillers, no bare WSGI app). In a checkout, `fupin.settings` adds this folder as
the Django app `benchmarks` (outside production), so the commands run as before; see
docs/benchmarks.md for each command and its results.
"""
