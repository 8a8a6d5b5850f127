"""`fupin results_report --unit <id or name> --years 2018-2020 --out report.docx`.

The assisting unit's results report (documents.results), rendered in this process (a few seconds:
no job needed) as the system, into `--out`; one audit row in the export shape, as every file that
leaves the system. Prints the headline figures.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from fupin.core.lists import audit_export
from fupin.documents import results
from fupin.orgs import selectors as orgs


def find_unit(text: str):
    """A unit by its id, full name or short name (the system's look-up: any unit)."""
    text = str(text).strip()
    if text.isdigit():
        unit = orgs.unit_for(None, int(text))
        if unit is not None:
            return unit
    found = list(orgs.units_named(text)[:2]) if text else []
    return found[0] if len(found) == 1 else None


class Command(BaseCommand):
    help = _("生成帮扶单位的帮扶成效报告(Word 文档)。")

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help=_("帮扶单位:编号、全称或简称"))
        parser.add_argument("--years", required=True, help=_("年度:2020 或 2018-2020"))
        parser.add_argument("--out", help=_("输出文件(默认:单位简称_帮扶成效报告_年度.docx)"))

    def handle(self, *args, unit, years, out=None, **options):
        found = find_unit(unit)
        if found is None:
            raise CommandError(_("没有这个单位:%(u)s") % {"u": unit})
        try:
            first, last = results.parse_years(years)
        except ValueError as error:
            raise CommandError(str(error)) from error
        report = results.gather(found, first, last)
        path = Path(out) if out else Path(results.filename(report))
        if path.suffix.lower() != ".docx":
            raise CommandError(_("输出文件应以 .docx 结尾。"))
        results.render(report, path)
        audit_export(
            name="documents.results",
            title=_("帮扶成效报告"),
            filters={"unit": found.pk, "unit_name": found.name, "years": f"{first}-{last}", "out": path.name},
            count=len(report["sources"]),
            masked=True,
            fmt="docx",
        )
        f = report["funds"]
        self.stdout.write(
            _("%(u)s %(s)s:直接投入 %(d)s,引进 %(b)s,职工捐款 %(g)s;购买农产品 %(p)s;帮助就业 %(e)s。")
            % {
                "u": found.name,
                "s": report["span"],
                "d": f["direct"],
                "b": f["brought_in"],
                "g": f["donations"],
                "p": report["consumption"]["bought"],
                "e": report["employment"]["placed"],
            }
        )
        self.stdout.write(_("已写入 %(path)s") % {"path": path})
