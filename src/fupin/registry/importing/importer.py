"""`run_import`: check a file, stage its clean rows, apply the cross-row rules, merge or roll back.

A real import first tries the fast path (importing/direct.py: new households, clean
rows, written straight into the registry while the next rows are checked); at the first sign that
the file needs more, that attempt is rolled back and the file is read again by the staging path.

Memory is one batch of rows (BATCH) plus the village look-up cache, whatever the file's size: rows
are read lazily, checked, encrypted and staged batch by batch; every rule that needs the whole file
is a query over the staging tables. All-or-nothing by default: any error rolls everything back
(the staging tables too). `partial=True` leaves out the households that have a bad row and imports
the rest. A dry run does all the work, counts what would change, and rolls back.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from django.db import connection, transaction
from django.utils.translation import gettext as _

from fupin.audit.services import audit_record
from fupin.core import crypto
from fupin.core.audit_actions import AuditAction
from fupin.core.masking import mask_id_number
from fupin.core.scoping import scope_of
from fupin.regions.models import Region
from fupin.registry.importing.columns import household_columns, member_columns, reset_caches, staged_income
from fupin.registry.importing.direct import Fallback, import_direct
from fupin.registry.importing.readers import FileRejected, open_source
from fupin.registry.importing.report import ErrorSink
from fupin.registry.importing.rows import RowChecker, RowError, household_fingerprint
from fupin.registry.importing.template import BY_KEY
from fupin.registry.importing.writer import Counts, Staging
from fupin.registry.models import DuplicateReport, Household, Member

BATCH = 5_000
logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    """What happened: counts (of a dry run: what would happen), errors, whether anything was written."""

    rows: int = 0
    counts: Counts = field(default_factory=Counts)
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)  # the first ErrorSink.KEEP
    bad_households: int = 0
    written: bool = False
    dry_run: bool = False
    encoding: str = ""
    kind: str = ""
    path: str = "staging"  # or "direct" (importing/direct.py)
    fallback: str = ""  # why the direct path gave way to the staging path, if it did

    def summary(self) -> str:
        c = self.counts
        text = _("户:新增 %(hc)d,更新 %(hu)d,未变 %(hn)d;成员:新增 %(mc)d,更新 %(mu)d,未变 %(mn)d") % {
            "hc": c.households_created,
            "hu": c.households_updated,
            "hn": c.households_unchanged,
            "mc": c.members_created,
            "mu": c.members_updated,
            "mn": c.members_unchanged,
        }
        if c.incomes_created or c.incomes_updated:
            text += _(";年度收入:新增 %(ic)d,更新 %(iu)d") % {
                "ic": c.incomes_created,
                "iu": c.incomes_updated,
            }
        if self.written and not c.changed:
            text += _("。数据与文件一致,没有任何变化")
        return text


class _Rollback(Exception):
    pass


def run_import(
    path: Path,
    *,
    user=None,
    filename: str = "",
    dry_run: bool = False,
    partial: bool = False,
    report_path: Path | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH,
    audit: bool = True,
) -> ImportResult:
    """Import `path` for `user` (their scope limits the villages; None: any village, for the CLI).

    Raises FileRejected (nothing read) for a file refused as a whole."""
    source = open_source(Path(path), filename)
    reset_caches()
    scope = scope_of(user) if user is not None else None
    checker = RowChecker(source.positions, scope)
    sink = ErrorSink(report_path)
    result = ImportResult(dry_run=dry_run, encoding=source.encoding, kind=source.kind)
    duplicates: list[DuplicateReport] = []
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor in ("postgresql", "sqlite") and not (dry_run or partial):
                try:
                    with transaction.atomic():
                        result.rows, result.counts = import_direct(
                            _non_blank(source, checker), checker, batch_size=batch_size, progress=progress
                        )
                        result.written, result.path = True, "direct"
                        if audit:
                            _audit(user, filename or Path(path).name, result, 0)
                    return result
                except Fallback as exc:
                    result.fallback = exc.reason
                    logger.info("import of %s: staging path (%s)", filename or Path(path).name, exc.reason)
                    source.rows.close()  # a reading process stops now
                    source = open_source(Path(path), filename)
                    checker = RowChecker(source.positions, scope)
                    result.rows = 0
            staging = Staging(cursor)
            staging.create()
            rows = _non_blank(source, checker)
            while batch := list(islice(rows, batch_size)):
                _stage_batch(batch, checker, staging, sink, duplicates, user)
                result.rows += len(batch)
                if progress:
                    progress(result.rows)
            staging.prepare()
            _cross_row_checks(staging, sink)
            result.bad_households = len(sink.bad_numbers)
            if sink.total and not partial:
                raise _Rollback
            if partial:
                staging.drop_bad()
            result.counts = staging.count()
            if dry_run:
                raise _Rollback
            staging.merge(result.counts)
            staging.drop()
            result.written = True
            if audit:
                _audit(user, filename or Path(path).name, result, sink.total)
    except _Rollback:
        pass
    finally:
        result.error_count, result.errors = sink.total, sink.kept
        sink.close()
    if not dry_run and duplicates:
        _record_duplicates(duplicates, user)
    return result


def _non_blank(source, checker: RowChecker):
    return ((line, cells) for line, cells in source.rows if not checker.is_blank(cells))


def _stage_batch(batch, checker: RowChecker, staging: Staging, sink, duplicates, user) -> None:
    """Check the rows of one batch, look their keys up in the database once, encrypt, stage."""
    checked = []
    for line, cells in batch:
        household, member, errors = checker.check(line, cells)
        number = household["number"]
        for error in errors:
            sink.add(error, number)
        checked.append((line, household, member, not errors))
    numbers = {h["number"] for _line, h, _m, _ok in checked if h["number"]}
    existing_hh = {
        row[0]: row[1:]
        for row in Household._base_manager.filter(number__in=numbers).values_list(
            "number", "village_id", "phone_bidx", "phone_enc", "bank_account_enc"
        )
    }
    for _line, _h, member, ok in checked:
        if ok:
            member["bidx"] = crypto.blind_index("id", member["id_number"].value)
    bidxs = {m["bidx"] for _l, _h, m, ok in checked if ok}
    existing_members = {
        row[0]: row[1:]
        for row in Member._base_manager.filter(id_number_bidx__in=bidxs).values_list(
            "id_number_bidx",
            "household__number",
            "household__village_id",
            "id_number_enc",
            "health_bidx",
            "health_enc",
            "disability_enc",
        )
    }
    hh_rows, member_rows = [], []
    previous = None
    fp_of, fp = None, ""
    for line, household, member, ok in checked:
        number = household["number"]
        if not ok:
            continue
        old_hh = existing_hh.get(number)
        if old_hh is not None and checker.scope is not None and not checker.scope.covers_code(old_hh[0]):
            sink.add(RowError(line, BY_KEY["number"].header, number, _("户编号已被其他地区的户使用")), number)
            continue
        id_value = member["id_number"].value
        bidx = member["bidx"]
        old_member = existing_members.get(bidx)
        if old_member is not None and old_member[0] != number:
            county = old_member[1][:6]
            name = Region.objects.filter(code=county).values_list("name", flat=True).first() or county
            sink.add(
                RowError(
                    line,
                    BY_KEY["id_number"].header,
                    mask_id_number(id_value),
                    _("该身份证号已在%(county)s登记,同一人只能登记一次") % {"county": name},
                ),
                number,
            )
            if county != household["village"][:6]:
                duplicates.append(
                    DuplicateReport(
                        existing_county=county,
                        attempted_county=household["village"][:6],
                        id_number_bidx=bidx,
                        id_number_enc=crypto.encrypt(id_value),
                        by=user if getattr(user, "pk", None) else None,
                    )
                )
            continue
        if household is not fp_of:  # the checker shares one dict among a household's rows
            fp_of, fp = household, household_fingerprint(household)
        if number != previous:
            hh_rows.append((line, fp, *household_columns(household, old_hh), *staged_income(household)))
            previous = number
        masked = mask_id_number(member["id_number"].value)
        member_rows.append((line, number, fp, masked, *member_columns(member, bidx, old_member)))
    staging.households(hh_rows)
    staging.members(member_rows)
    staging.mark_bad(sink.take_new_bad())


def _cross_row_checks(staging: Staging, sink) -> None:
    number_header, id_header = BY_KEY["number"].header, BY_KEY["id_number"].header
    for line, masked, number, first in staging.duplicate_ids():
        sink.add(
            RowError(line, id_header, masked, _("身份证号与第 %(first)d 行重复") % {"first": first}), number
        )
    for line, number, first in staging.inconsistent_households():
        sink.add(
            RowError(
                line,
                number_header,
                number,
                _("同一户编号的户信息与第 %(first)d 行不一致(户信息各行须相同)") % {"first": first},
            ),
            number,
        )
    for line, number, heads in staging.head_problems():
        sink.add(
            RowError(
                line,
                BY_KEY["relation"].header,
                number,
                _("户 %(number)s 应有且只有一名户主,现有 %(n)d 名") % {"number": number, "n": heads},
            ),
            number,
        )
    staging.mark_bad(sink.take_new_bad())


def _audit(user, filename: str, result: ImportResult, errors: int) -> None:
    c = result.counts
    audit_record(
        action=AuditAction.CREATE if c.changed else AuditAction.OTHER,
        actor=user if getattr(user, "pk", None) else None,
        object_type="registry.household",
        object_repr=_("导入贫困户信息"),
        changes={
            "rows": result.rows,
            "households_created": c.households_created,
            "households_updated": c.households_updated,
            "households_unchanged": c.households_unchanged,
            "members_created": c.members_created,
            "members_updated": c.members_updated,
            "members_unchanged": c.members_unchanged,
            "incomes_created": c.incomes_created,
            "incomes_updated": c.incomes_updated,
            "rows_skipped_with_errors": errors,
        },
        detail=_("导入文件 %(file)s:%(summary)s") % {"file": filename[:100], "summary": result.summary()},
    )


def _record_duplicates(reports: list[DuplicateReport], user) -> None:
    """Duplicates across counties are reported to both, even when the import itself rolled back."""
    with transaction.atomic():
        for report in reports[:1000]:
            report.save()
            audit_record(
                action=AuditAction.CREATE,
                actor=report.by,
                obj=report,
                region_code=report.attempted_county,
                detail=_("重复登记:已在%(county)s登记") % {"county": report.existing_county},
            )


__all__ = ["BATCH", "FileRejected", "ImportResult", "run_import"]
