"""Regenerate the shipped division subset: every level in full except villages, which are limited to
the demo counties. Output is byte-for-byte reproducible (gzip without a timestamp or file name)."""

import gzip
from pathlib import Path

from fupin.regions.files import FILE_STEMS, level_files, open_binary


def extract_subset(src: Path, dest: Path, counties) -> dict[str, int]:
    """Write provinces..streets whole and the villages of `counties` to `dest`; returns data rows per file."""
    src, dest = Path(src), Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    files = level_files(src)
    wanted = tuple(sorted({c.encode("ascii") for c in counties}))
    written: dict[str, int] = {}
    for level, stem in FILE_STEMS.items():
        if level not in files:
            continue
        target = dest / f"{stem}.csv.gz"
        rows = 0
        with (
            open_binary(files[level][0]) as fin,
            target.open("wb") as raw,
            gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as fout,
        ):
            fout.write(next(fin, b""))  # header
            for line in fin:
                # A village code starts with its county code (the quoted name comes after it).
                if level < 5 or line.startswith(wanted):
                    fout.write(line)
                    rows += 1
        written[target.name] = rows
    return written
