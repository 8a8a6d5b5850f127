"""Load the national division tree from a directory of CSV files: validate everything, then write once.

Every row is checked (header, code shape, ancestor columns, parent exists, duplicates, empty names,
UTF-8). Any error means nothing is written and every error is reported (the first `MAX_ERRORS`, plus
a count). A clean load is one transaction: rows stream into a staging table as they are parsed (so
memory holds codes, not rows) and are merged set-wise (see staging.py). Loading the same files
again changes nothing and says so.
"""

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from fupin.regions import staging
from fupin.regions.files import ANCESTOR_LENGTHS, HEADERS, level_files, open_binary
from fupin.regions.models import CODE_LENGTHS, Region
from fupin.regions.names import initials_of, short_name_of

MAX_ERRORS = 100
BATCH = 20_000
NAME_MAX = Region._meta.get_field("name").max_length


@dataclass(frozen=True)
class RowError:
    """One problem in one file; line 0 means the file as a whole."""

    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        if not self.line:
            return _("%(file)s:%(reason)s") % {"file": self.file, "reason": self.reason}
        return _("%(file)s 第 %(line)d 行:%(reason)s") % {
            "file": self.file,
            "line": self.line,
            "reason": self.reason,
        }


class LoadFailed(Exception):
    """The files have errors; nothing was written."""

    def __init__(self, errors: list[RowError], total: int):
        self.errors, self.total = errors, total
        super().__init__(_("区划文件有 %(n)d 处错误,未写入任何数据。") % {"n": total})


@dataclass
class LevelCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadResult:
    counts: dict[int, LevelCounts] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return any(c.inserted or c.updated for c in self.counts.values())


class _Errors:
    def __init__(self):
        self.kept: list[RowError] = []
        self.total = 0

    def add(self, file: str, line: int, reason: str) -> None:
        self.total += 1
        if len(self.kept) < MAX_ERRORS:
            self.kept.append(RowError(file, line, reason))


def _decoded_lines(raw_lines, file: str, errors: _Errors) -> Iterator[str]:
    """Decode line by line so a bad byte is reported with its line; a BOM on line 1 is accepted."""
    for number, raw in enumerate(raw_lines, 1):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            errors.add(
                file,
                number,
                _("不是有效的 UTF-8 编码(第 %(pos)d 个字节),请将文件另存为 UTF-8") % {"pos": exc.start + 1},
            )
            text = "\n"  # keep the csv reader's line count right; the empty row is skipped
        if number == 1:
            text = text.removeprefix("\ufeff")
        yield text


def _existing_codes(level: int) -> set[int]:
    return {int(c) for c in Region.objects.filter(level=level).values_list("code", flat=True)}


def _read_level(path: Path, level: int, parents: set[int] | None, errors: _Errors, sink) -> set[int]:
    """Validate one file, passing clean rows to `sink` in batches; returns the codes seen."""
    file = path.name
    length = CODE_LENGTHS[level]
    parent_length = CODE_LENGTHS.get(level - 1)
    header = HEADERS[level]
    seen: dict[int, int] = {}
    batch: list[tuple] = []
    with open_binary(path) as fh:
        reader = csv.reader(_decoded_lines(fh, file, errors))
        first = next(reader, None)
        if first is None or tuple(c.strip() for c in first) != header:
            errors.add(file, 1, _("表头应为 %(expected)s") % {"expected": ",".join(header)})
            return set()
        checks = [(i, ANCESTOR_LENGTHS[col], col) for i, col in enumerate(header) if col in ANCESTOR_LENGTHS]
        for row in reader:
            if not row:
                continue
            line = reader.line_num
            if len(row) != len(header):
                errors.add(file, line, _("应有 %(n)d 列,实有 %(m)d 列") % {"n": len(header), "m": len(row)})
                continue
            code, name = row[0].strip(), row[1].strip()
            if len(code) != length or not (code.isascii() and code.isdigit()):
                errors.add(
                    file, line, _("区划代码 “%(code)s” 应为 %(n)d 位数字") % {"code": code, "n": length}
                )
                continue
            key = int(code)
            if key in seen:
                errors.add(
                    file,
                    line,
                    _("区划代码 %(code)s 重复(首次出现在第 %(first)d 行)")
                    % {"code": code, "first": seen[key]},
                )
                continue
            seen[key] = line
            ok = True
            for i, n, col in checks:
                if row[i].strip() != code[:n]:
                    errors.add(
                        file,
                        line,
                        _("%(col)s 列为 “%(value)s”,与区划代码 %(code)s 的前 %(n)d 位不一致")
                        % {"col": col, "value": row[i].strip(), "code": code, "n": n},
                    )
                    ok = False
            if not name:
                errors.add(file, line, _("区划代码 %(code)s 的名称为空") % {"code": code})
                ok = False
            elif len(name) > NAME_MAX:
                errors.add(file, line, _("名称超过 %(n)d 个字") % {"n": NAME_MAX})
                ok = False
            parent = code[:parent_length] if parent_length else None
            if parents is not None and int(parent) not in parents:
                errors.add(
                    file,
                    line,
                    _("区划代码 %(code)s 的上级 %(parent)s 不存在") % {"code": code, "parent": parent},
                )
                ok = False
            if ok and not errors.total:
                short = short_name_of(name)
                batch.append((code, name, short, level, parent, initials_of(short)))
                if len(batch) >= BATCH:
                    sink(batch)
                    batch = []
    if batch and not errors.total:
        sink(batch)
    return set(seen)


def load_divisions(directory: Path, *, progress: Callable[[str], None] | None = None) -> LoadResult:
    """Validate and load every level file in `directory`; raises LoadFailed (writing nothing) on errors."""
    say = progress or (lambda message: None)
    directory = Path(directory)
    errors = _Errors()
    files = level_files(directory)
    if not files:
        raise LoadFailed(
            [
                RowError(
                    str(directory), 0, _("没有找到区划文件(provinces/cities/areas/streets/villages.csv[.gz])")
                )
            ],
            1,
        )
    for paths in files.values():
        if len(paths) > 1:
            errors.add(paths[0].name, 0, _("同一级别有两个文件,请只保留 .csv 或 .csv.gz 之一"))
    with transaction.atomic(), connection.cursor() as cursor:
        staging.create(cursor)
        previous: set[int] | None = None  # codes of the level above, from its file
        for level in range(1, 6):
            if level not in files:
                previous = None
                continue
            path = files[level][0]
            parents = None
            if level > 1:
                # A parent may come from the file above or already be in the database.
                parents = _existing_codes(level - 1) | (previous or set())
            say(_("正在校验 %(file)s …") % {"file": path.name})
            previous = _read_level(path, level, parents, errors, lambda rows: staging.write(cursor, rows))
        if errors.total:
            # Raising inside atomic() rolls the staging table back with everything else.
            raise LoadFailed(errors.kept, errors.total)
        say(_("校验通过,正在写入数据库 …"))
        counts = staging.merge(cursor)
    return LoadResult(counts={level: LevelCounts(*c) for level, c in counts.items()})
