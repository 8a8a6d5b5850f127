"""A return from the national system read against our records: a difference report, nothing overwritten.

The file (households and members in the national layout, exchange.layout.MEMBERS: the national
system's 户编号/人编号 and codes) is opened by the registry import's readers (every file-level check:
size, zip bombs, formulas, encodings) and read streaming, a chunk at a time. Each row is keyed by
its ID number's keyed index (core.crypto.blind_index("id", …): the clear number is never stored nor
looked up) and matched in one query per chunk (registry.selectors.members_by_id_index); a person
registered outside the run's county, or outside the uploader's scope, is reported exactly as one
unknown to us (本县无此人), never matched. The matched person's stored values
(registry.selectors.exchange_member_rows) are compared with the row field by field:

- a value that differs: `changed` (row, column, ours, theirs; personal values masked; a masked cell
  of the return, holding `*`, is not compared);
- the national 户编号/人编号 that differ from ours: `code` (national codes we do not hold yet);
- a person of the return unknown to us: `theirs_unknown`; one of ours absent from the return:
  `ours_unknown`;
- a cell that cannot be read (an invalid ID number, a value not in the code table, a repeated ID
  number): `error`, with its row and column, in Chinese.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from fupin.core import crypto
from fupin.exchange import layout
from fupin.exchange.layout import LANGUAGE, Row
from fupin.exchange.models import Difference, ReturnRun
from fupin.registry import selectors as registry
from fupin.registry.idnumbers import parse_id_number
from fupin.registry.importing.readers import FileRejected, cell_text, open_table

CHUNK = 1000
ID = layout.FIELDS["id_number"]


def _positions(header: list) -> dict[str, int]:
    """The return's columns we know → their index; a file without 证件号码 is refused."""
    known = layout.by_header()
    positions = {}
    for index, raw in enumerate(header):
        found = known.get(cell_text(raw).replace(" ", ""))
        if found is not None and found.key not in positions:
            positions[found.key] = index
    if ID.key not in positions:
        with translation.override(LANGUAGE):
            raise FileRejected(_("表头中没有“%(col)s”列,无法与本系统比对。") % {"col": ID.header})
    return positions


def _same(field, ours, theirs) -> bool:
    if ours in (None, "") and theirs in (None, ""):
        return True
    if isinstance(ours, str) and isinstance(theirs, str):
        return ours.strip() == theirs.strip()
    return ours == theirs


class Comparison:
    def __init__(self, run: ReturnRun, user):
        self.run = run
        self.user = user
        self.county = run.county_id
        self.households = registry.households_visible_to(user).filter(village__code__startswith=self.county)
        self.seen_bidx: set[str] = set()
        self.seen_members: set[int] = set()
        self.found: list[Difference] = []
        self.counts = dict.fromkeys(("rows", "matched", *Difference.Kind.values), 0)

    def add(self, kind, **fields):
        self.counts[kind] += 1
        self.found.append(Difference(run=self.run, kind=kind, **fields))

    def flush(self):
        Difference.objects.bulk_create(self.found, batch_size=1000)
        self.found = []

    def read(self, positions: dict, line: int, cells: list):
        """One row of the return: (its key, its values) or None when it is reported as an error."""
        text = {key: cell_text(cells[i]) if i < len(cells) else "" for key, i in positions.items()}
        if not any(text.values()):
            return None
        self.counts["rows"] += 1
        raw = text[ID.key]
        name, household = text.get("name", "")[:50], text.get("household_number", "")[:40]
        try:
            number = parse_id_number(raw).value
        except ValidationError as exc:
            self.add(
                Difference.Kind.ERROR,
                row=line,
                column=str(ID.header),
                name=name,
                household_number=household,
                id_number_enc=crypto.encrypt(raw[:40]),
                message=exc.messages[0][:300],
            )
            return None
        bidx = crypto.blind_index("id", number)
        if bidx in self.seen_bidx:
            self.add(
                Difference.Kind.ERROR,
                row=line,
                column=str(ID.header),
                name=name,
                household_number=household,
                id_number_enc=crypto.encrypt(number),
                message=_("证件号码与前面的行重复"),
            )
            return None
        self.seen_bidx.add(bidx)
        values = {}
        for key, value in text.items():
            field = layout.FIELDS[key]
            if key == ID.key or not (field.compare or field.national_code):
                continue
            if field.personal and "*" in value:
                continue  # masked in their file: not compared
            if value == "":
                values[key] = None
                continue
            try:
                values[key] = field.parse(value)
            except ValueError as exc:
                self.add(
                    Difference.Kind.ERROR,
                    row=line,
                    column=str(field.header),
                    name=name,
                    household_number=household,
                    id_number_enc=crypto.encrypt(number),
                    theirs=(field.personal(value) if field.personal else value)[:200],
                    message=str(exc)[:300],
                )
        return {
            "line": line,
            "bidx": bidx,
            "number": number,
            "name": name,
            "household": household,
            "values": values,
        }

    def compare(self, chunk: list[dict]):
        found = registry.members_by_id_index([r["bidx"] for r in chunk])
        ours = {}
        households = {hid for _mid, hid, village in found.values() if village.startswith(self.county)}
        if households:
            for m in registry.exchange_member_rows(self.households.filter(pk__in=households)):
                ours[m["id"]] = m
        for r in chunk:
            match = found.get(r["bidx"])
            m = ours.get(match[0]) if match else None
            if m is None:
                self.add(
                    Difference.Kind.THEIRS_UNKNOWN,
                    row=r["line"],
                    name=r["name"],
                    household_number=r["household"],
                    id_number_enc=crypto.encrypt(r["number"]),
                    message=_("本县登记中没有此证件号码的人员"),
                )
                continue
            self.counts["matched"] += 1
            self.seen_members.add(m["id"])
            row = Row(m)
            for key, theirs in r["values"].items():
                field = layout.FIELDS[key]
                mine = field.read(row)
                if _same(field, mine, theirs):
                    continue
                self.add(
                    Difference.Kind.CODE if field.national_code else Difference.Kind.CHANGED,
                    row=r["line"],
                    column=str(field.header),
                    name=m["name"],
                    household_number=m["household_number"],
                    id_number_enc=crypto.encrypt(r["number"]),
                    ours=field.shown(mine)[:200],
                    theirs=field.shown(theirs)[:200],
                )

    def missing(self):
        """Our people of the county the return does not hold."""
        ids = registry.member_ids_in(self.households) - self.seen_members
        if not ids:
            return
        for m in registry.exchange_member_rows(self.households).iterator(chunk_size=2000):
            if m["id"] in ids:
                self.add(
                    Difference.Kind.OURS_UNKNOWN,
                    name=m["name"],
                    household_number=m["household_number"],
                    id_number_enc=m["id_number_enc"],
                    message=_("国家系统回传中没有此人"),
                )
                if len(self.found) >= 1000:
                    self.flush()


def compare_return(run: ReturnRun, user, path, name: str = "", progress=None) -> dict:
    """Read the return at `path` against the county of `run` as `user` sees it; write the run's
    differences and counts. FileRejected (Chinese) when the whole file is refused."""
    table = open_table(path, name)
    positions = _positions(table.header)
    work = Comparison(run, user)
    with translation.override(LANGUAGE), transaction.atomic():
        chunk = []
        for line, cells in table.rows:
            parsed = work.read(positions, line, cells)
            if parsed is not None:
                chunk.append(parsed)
            if len(chunk) >= CHUNK:
                work.compare(chunk)
                work.flush()
                chunk = []
                if progress:
                    progress(work.counts["rows"])
        if chunk:
            work.compare(chunk)
        work.missing()
        work.flush()
        c = work.counts
        ReturnRun.objects.filter(pk=run.pk).update(
            state=ReturnRun.State.DONE,
            rows=c["rows"],
            matched=c["matched"],
            changed=c[Difference.Kind.CHANGED],
            codes=c[Difference.Kind.CODE],
            theirs_unknown=c[Difference.Kind.THEIRS_UNKNOWN],
            ours_unknown=c[Difference.Kind.OURS_UNKNOWN],
            errors=c[Difference.Kind.ERROR],
        )
    return dict(c)
