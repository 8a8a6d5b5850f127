"""A minimal reader for our gettext catalogues, used by scripts/i18n and the i18n tests.

It reads what `makemessages` writes (no polib here) and checks three things: every entry has a
translation, none is fuzzy, and the compiled .mo holds exactly the .po's translations.

    python -m fupin.core.pofile src/fupin/locale/en/LC_MESSAGES/django.po --mo .../django.mo
"""

import argparse
import ast
import gettext
import sys
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Entry:
    """One message of a .po file."""

    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values())


def _unquote(text: str) -> str:
    # A .po string is a C string literal; Python's literal syntax reads the escapes we use.
    return ast.literal_eval(text)


def parse(path: Path) -> list[Entry]:
    """The entries of a .po file, obsolete (#~) ones left out."""
    return parse_text(Path(path).read_text(encoding="utf-8"), str(path))


def parse_text(text: str, path: str = "<po>") -> list[Entry]:
    entries: list[Entry] = []
    entry = Entry()
    key: tuple[str, int] | None = None
    seen_text = False

    def finish():
        nonlocal entry, key, seen_text
        if seen_text:
            entries.append(entry)
        entry, key, seen_text = Entry(), None, False

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#,"):
            if seen_text:
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            if seen_text:
                finish()
            continue
        if line.startswith('"'):
            if key is None:
                raise ValueError(f"{path}:{number}: a string outside an entry")
            name, index = key
            text = _unquote(line)
            if name == "msgstr":
                entry.msgstr[index] += text
            else:
                setattr(entry, name, (getattr(entry, name) or "") + text)
            continue
        word, _space, rest = line.partition(" ")
        if word == "msgctxt" and seen_text:
            finish()
        if word == "msgid" and seen_text and entry.msgctxt is None:
            finish()
        if not entry.line:
            entry.line = number
        seen_text = True
        if word.startswith("msgstr[") and word.endswith("]"):
            key = ("msgstr", int(word[7:-1]))
            entry.msgstr[key[1]] = _unquote(rest)
        elif word == "msgstr":
            key = ("msgstr", 0)
            entry.msgstr[0] = _unquote(rest)
        elif word in ("msgid", "msgid_plural", "msgctxt"):
            key = (word, 0)
            setattr(entry, word, _unquote(rest))
        else:
            raise ValueError(f"{path}:{number}: cannot read {line!r}")
    finish()
    return entries


def expected_catalog(entries: list[Entry]) -> dict:
    """What msgfmt puts in the .mo, keyed as gettext.GNUTranslations keys it (header left out)."""
    catalog: dict = {}
    for entry in entries:
        if entry.is_header or entry.fuzzy or not entry.translated:
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            catalog[msgid] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                catalog[(msgid, index)] = text
    return catalog


def compiled_catalog(mo_path: Path) -> dict:
    """The translations inside a .mo file (header left out)."""
    with open(mo_path, "rb") as handle:
        translations = gettext.GNUTranslations(handle)
    # _catalog is the parsed table; the public API only looks up one message at a time.
    catalog = dict(translations._catalog)
    catalog.pop("", None)
    return catalog


def problems(po_path: Path, mo_path: Path | None = None) -> list[str]:
    """Every reason the catalogue is not ready to ship, one line each; empty when it is."""
    found = []
    for entry in parse(po_path):
        if entry.is_header:
            continue
        label = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt} | {entry.msgid}"
        if entry.fuzzy:
            found.append(f"{po_path}:{entry.line}: fuzzy: {label!r}")
        elif not entry.translated:
            found.append(f"{po_path}:{entry.line}: untranslated: {label!r}")
    if mo_path is not None:
        if not Path(mo_path).exists():
            found.append(f"{mo_path}: missing; run scripts/i18n --compile")
        elif expected_catalog(parse(po_path)) != compiled_catalog(mo_path):
            found.append(f"{mo_path}: does not match {po_path}; run scripts/i18n --compile")
    return found


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


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
    """Fill untranslated or fuzzy singular entries from `translations`; returns how many changed."""
    blocks = Path(po_path).read_text(encoding="utf-8").split("\n\n")
    changed = 0
    for i, block in enumerate(blocks):
        entries = parse_text(block)
        if len(entries) != 1:
            continue
        entry = entries[0]
        if entry.is_header or entry.msgid_plural is not None or entry.msgid not in translations:
            continue
        if entry.translated and not entry.fuzzy:
            continue
        kept = []
        for line in block.splitlines():
            if line.startswith("msgstr"):
                break  # the translation comes last in an entry: replaced below
            if line.startswith("#|"):
                continue  # the previous msgid of a fuzzy match
            if line.startswith("#,"):
                flags = [f.strip() for f in line[2:].split(",") if f.strip() != "fuzzy"]
                if flags:
                    kept.append("#, " + ", ".join(flags))
                continue
            kept.append(line)
        kept.append("msgstr " + _quote(translations[entry.msgid]))
        blocks[i] = "\n".join(kept)
        changed += 1
    Path(po_path).write_text("\n\n".join(blocks), encoding="utf-8")
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
    total = sum(1 for e in parse(args.po) if not e.is_header)
    print(f"{args.po}: {total} entries, {len(found)} problem(s)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
