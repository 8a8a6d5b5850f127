"""Export of the registry in the import template's columns (one row per member).

What is exported is what the list shows: the households of `selectors.household_list` for the
same filters (through the scoping choke point), their members by `selectors.members_of`, read with
`.iterator()` so memory stays flat. Every export is masked: ID numbers, phones and bank accounts
are the stored masked copies, health and disability "***". A clear export is a separate, stated
action (the 明文导出 form, `fupin export households --clear --purpose …`): it needs
`registry.reveal_household` and a purpose, and its audit row carries the row count and the purpose.
Every cell goes through escape_cell.
"""

from django.utils import translation
from django.utils.translation import gettext as _

from fupin.audit.models import AuditEvent
from fupin.audit.services import audit_record
from fupin.core import crypto
from fupin.core.exports import escape_cell
from fupin.core.masking import mask_text
from fupin.registry.importing.template import COLUMNS, HEADERS, labels_of

HIDDEN = "***"
EXPORT_PERM = "registry.view_member"
REVEAL_PERM = "registry.reveal_household"
_YES_NO = ("是", "否")


def may_export_clear(user) -> bool:
    return user.has_perm(EXPORT_PERM) and user.has_perm(REVEAL_PERM)


def filters_summary(filters: dict) -> dict:
    """The filters as recorded in the audit row: codes and values, the search text masked."""
    summary = {}
    for name, value in (filters or {}).items():
        if value in (None, ""):
            continue
        value = getattr(value, "code", value)
        summary[name] = mask_text(str(value))
    return summary


def audit_export(*, count: int, reveal: bool, purpose: str = "", filters=None, fmt: str, **where):
    """The export's audit row: how many member rows, clear or masked, why, and for which filters.
    `where`: request= (pages) or actor= and region_code= (the command line)."""
    changes = {"count": count, "revealed": reveal, "format": fmt, "filters": filters_summary(filters)}
    if reveal:
        changes["purpose"] = mask_text(purpose)
    detail = _("明文导出 %(count)d 名成员,用途:%(purpose)s") if reveal else _("导出 %(count)d 名成员(脱敏)")
    return audit_record(
        action=AuditEvent.Action.EXPORT,
        object_type="registry.member",
        object_repr=_("贫困户家庭成员"),
        changes=changes,
        detail=detail % {"count": count, "purpose": purpose},
        **where,
    )


def export_rows(members, *, reveal: bool = False):
    """Rows in HEADERS order, formula-escaped; lazy (a generator)."""
    with translation.override("zh-hans"):
        labels = {
            c.key: dict(zip(c.choices.values, labels_of(c.choices), strict=True))
            for c in COLUMNS
            if c.choices
        }
    for m in members.iterator(chunk_size=2000):
        h = m.household
        if reveal:
            phone, account = crypto.decrypt(h.phone_enc), crypto.decrypt(h.bank_account_enc)
            id_number, health = crypto.decrypt(m.id_number_enc), crypto.decrypt(m.health_enc)
            disability = crypto.decrypt(m.disability_enc)
            birth = m.birth_date.isoformat()
        else:
            birth = m.birth_date_masked
            phone, account, id_number = h.phone_masked, h.bank_account_masked, m.id_number_masked
            health = HIDDEN if m.health_enc else ""
            disability = HIDDEN if m.disability_enc else ""
        values = {
            "number": h.number,
            "village": h.village_id,
            "group_name": h.group_name,
            "head_name": h.head_name,
            "phone": phone,
            "bank_name": h.bank_name,
            "bank_account": account,
            "attribute": h.attribute,
            "main_cause": h.main_cause,
            "cause2": h.cause2,
            "cause3": h.cause3,
            "housing_area": "" if h.housing_area is None else str(h.housing_area),
            "housing_structure": h.housing_structure,
            "housing_year": h.housing_year,
            "relocated": h.relocated,
            "safe_water": h.safe_water,
            "electricity": h.electricity,
            "name": m.name,
            "sex": m.sex,
            "birth_date": birth,
            "id_number": id_number,
            "relation": m.relation,
            "ethnicity": m.ethnicity,
            "education": m.education,
            "school_status": m.school_status,
            "health": health,
            "disability": disability,
            "labour": m.labour,
            "work_status": m.work_status,
            "months_worked": m.months_worked,
            "dibao": m.dibao,
            "medical_insurance": m.medical_insurance,
            "pension_insurance": m.pension_insurance,
        }
        row = []
        for column in COLUMNS:
            value = values[column.key]
            if column.kind == "choice" and column.key in labels and value in labels[column.key]:
                value = labels[column.key][value]
            elif column.kind == "bool":
                value = _YES_NO[0] if value else _YES_NO[1]
            elif value is None:
                value = ""
            row.append(escape_cell(value))
        yield row


def write_xlsx(target, rows) -> int:
    """Write rows to a path or a binary file object with constant memory; returns the row count."""
    import xlsxwriter

    book = xlsxwriter.Workbook(target, {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("家庭成员")
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    for col, header in enumerate(HEADERS):
        sheet.write_string(0, col, header, bold)
        sheet.set_column(col, col, max(10, len(header) * 2 + 2))
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            if isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(count, col, value)
            else:
                sheet.write_string(count, col, str(value))
    book.close()
    return count


def write_csv(fh, rows) -> int:
    """UTF-8 with BOM (Excel on Chinese Windows); returns the row count."""
    import csv

    writer = csv.writer(fh)
    fh.write("\ufeff")
    writer.writerow(HEADERS)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
