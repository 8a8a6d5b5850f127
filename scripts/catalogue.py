"""Checks and fills our gettext catalogues; used by scripts/i18n and the i18n tests.

polib reads and writes the .po (a development dependency: the runtime only loads the compiled .mo).
Three checks: every entry has a translation, none is fuzzy, and the compiled .mo holds exactly the
.po's translations.

    python scripts/catalogue.py src/fupin/locale/en/LC_MESSAGES/django.po --mo .../django.mo
    python scripts/catalogue.py src/fupin/locale/en/LC_MESSAGES/django.po --fill en.tsv
"""

import argparse
import gettext
import sys
from pathlib import Path

import polib


def read(po_path: Path) -> polib.POFile:
    """The catalogue; its header is `metadata`, obsolete (#~) entries are flagged `obsolete`."""
    return polib.pofile(str(po_path))


def live(catalogue: polib.POFile) -> list[polib.POEntry]:
    """The entries makemessages still finds in the code (obsolete ones left out)."""
    return [entry for entry in catalogue if not entry.obsolete]


def expected_catalog(catalogue: polib.POFile) -> dict:
    """What msgfmt puts in the .mo, keyed as gettext.GNUTranslations keys it (header left out)."""
    found: dict = {}
    for entry in live(catalogue):
        if not entry.translated():
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                found[(msgid, int(index))] = text
        else:
            found[msgid] = entry.msgstr
    return found


def compiled_catalog(mo_path: Path) -> dict:
    """The translations inside a .mo file (header left out), read the way Django's runtime reads it."""
    with open(mo_path, "rb") as handle:
        translations = gettext.GNUTranslations(handle)
    # _catalog is the parsed table; the public API only looks up one message at a time.
    found = dict(translations._catalog)
    found.pop("", None)
    return found


def problems(po_path: Path, mo_path: Path | None = None) -> list[str]:
    """Every reason the catalogue is not ready to ship, one line each; empty when it is."""
    catalogue = read(po_path)
    found = []
    if catalogue.metadata_is_fuzzy:
        # Python's gettext skips a fuzzy header, and with it the charset and the plural rule.
        found.append(f"{po_path}: the header is fuzzy")
    for entry in live(catalogue):
        label = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt} | {entry.msgid}"
        if entry.fuzzy:
            found.append(f"{po_path}:{entry.linenum}: fuzzy: {label!r}")
        elif not entry.translated():
            found.append(f"{po_path}:{entry.linenum}: untranslated: {label!r}")
    if mo_path is not None:
        if not Path(mo_path).exists():
            found.append(f"{mo_path}: missing; run scripts/i18n --compile")
        elif expected_catalog(catalogue) != compiled_catalog(mo_path):
            found.append(f"{mo_path}: does not match {po_path}; run scripts/i18n --compile")
    return found


def read_tsv(path: Path) -> dict[str, str]:
    """msgid TAB translation per line; \\n and \\t inside either stand for a newline and a tab."""
    found = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if "\t" not in line or line.startswith("#"):
            continue
        msgid, _tab, text = line.partition("\t")

        def unescape(value):
            return value.replace("\\n", "\n").replace("\\t", "\t")

        found[unescape(msgid)] = unescape(text.strip())
    return found


def fill(po_path: Path, translations: dict[str, str]) -> int:
    """Fill untranslated or fuzzy singular entries from `translations`; returns how many changed.

    polib wraps lines its own way: scripts/i18n runs makemessages again afterwards, so the file ends
    up wrapped exactly as makemessages writes it (--check compares the two)."""
    catalogue = read(po_path)
    changed = 0
    for entry in live(catalogue):
        if entry.msgid_plural or entry.msgid not in translations:
            continue
        if entry.translated():
            continue
        entry.msgstr = translations[entry.msgid]
        if entry.fuzzy:
            entry.flags.remove("fuzzy")
        # The previous msgid (#|) of a fuzzy match means nothing once the entry is translated.
        entry.previous_msgctxt = entry.previous_msgid = entry.previous_msgid_plural = None
        changed += 1
    if changed:
        catalogue.save()
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("po", type=Path)
    parser.add_argument("--mo", type=Path)
    parser.add_argument("--fill", type=Path, action="append", help="a TSV of msgid and translation")
    args = parser.parse_args(argv)
    for tsv in args.fill or ():
        print(f"{tsv}: {fill(args.po, read_tsv(tsv))} entries filled", file=sys.stderr)
    found = problems(args.po, args.mo)
    for line in found:
        print(line)
    print(f"{args.po}: {len(live(read(args.po)))} entries, {len(found)} problem(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
