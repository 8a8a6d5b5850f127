import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse


def _catalogue_module():
    # scripts/ is not a package: the checks scripts/i18n runs are loaded from their file.
    path = settings.PROJECT_DIR / "scripts" / "catalogue.py"
    spec = importlib.util.spec_from_file_location("fupin_scripts_catalogue", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


catalogue = _catalogue_module()
LOCALE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO, MO = LOCALE / "django.po", LOCALE / "django.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdif]")


def test_it_translates_every_entry_of_the_english_catalogue():
    """No English entry is empty or fuzzy (run scripts/i18n, translate, scripts/i18n --compile)."""
    found = catalogue.problems(PO)
    assert found == [], "\n".join(found)


def test_it_ships_a_compiled_catalogue_that_matches_the_po():
    """django.mo holds exactly the translations of django.po, so the runtime needs no gettext."""
    assert MO.exists(), "run scripts/i18n --compile"
    assert catalogue.compiled_catalog(MO) == catalogue.expected_catalog(catalogue.read(PO)), (
        "django.mo is older than or different from django.po: run scripts/i18n --compile"
    )


def test_it_reads_the_po_the_way_msgfmt_does(tmp_path):
    """What we expect in the .mo from polib's reading agrees with GNU msgfmt on the real catalogue."""
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("GNU gettext (msgfmt) is not installed; the .mo comparison above still ran")
    out = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(out), str(PO)], check=True)
    assert catalogue.compiled_catalog(out) == catalogue.expected_catalog(catalogue.read(PO))


def test_it_declares_utf8_and_english_plurals_in_the_header():
    """Python's gettext needs the charset and the plural rule from a non-fuzzy header."""
    po = catalogue.read(PO)
    assert not po.metadata_is_fuzzy
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"


def test_it_keeps_the_placeholders_of_each_message():
    """A translation uses the same %(name)s placeholders as its Chinese original."""
    wrong = []
    for entry in catalogue.live(catalogue.read(PO)):
        wanted = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]:
            if set(PLACEHOLDER.findall(text)) != wanted:
                wrong.append(f"{entry.msgid!r} -> {text!r}")
    assert wrong == []


def test_it_reads_plurals_contexts_continuations_and_obsolete_entries(tmp_path):
    """The checks handle what makemessages writes: plural forms, contexts, wrapped lines, #~ entries."""
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        '#: a.py\nmsgid "共 %(n)s 条"\nmsgid_plural "共 %(n)s 条"\nmsgstr[0] "%(n)s row"\nmsgstr[1] "%(n)s rows"\n\n'
        'msgctxt "月份"\nmsgid "五月"\nmsgstr "May"\n\n'
        '#, fuzzy, python-format\nmsgid ""\n"长的"\n"句子"\nmsgstr ""\n"A long "\n"\\"sentence\\""\n\n'
        'msgid "空"\nmsgstr ""\n\n'
        '#~ msgid "旧"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    read = catalogue.read(po)
    entries = catalogue.live(read)
    assert read.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert [e.msgid for e in entries] == ["共 %(n)s 条", "五月", "长的句子", "空"]
    assert entries[0].msgstr_plural == {0: "%(n)s row", 1: "%(n)s rows"}
    assert entries[1].msgctxt == "月份"
    assert entries[2].fuzzy and entries[2].msgstr == 'A long "sentence"'
    assert [line.split(": ", 1)[1] for line in catalogue.problems(po)] == [
        "fuzzy: '长的句子'",
        "untranslated: '空'",
    ]
    assert catalogue.expected_catalog(read) == {
        ("共 %(n)s 条", 0): "%(n)s row",
        ("共 %(n)s 条", 1): "%(n)s rows",
        "月份\x04五月": "May",
    }


def test_it_fills_untranslated_and_fuzzy_entries_from_a_tsv(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py\nmsgid "党建"\nmsgstr ""\n\n'
        '#: b.py\n#, fuzzy, python-format\n#| msgid "旧的 %(n)s"\nmsgid "共 %(n)s 个"\nmsgstr "old"\n\n'
        '#: c.py\nmsgid "已译"\nmsgstr "Done"\n',
        encoding="utf-8",
    )
    tsv = tmp_path / "en.tsv"
    tsv.write_text(
        '党建\tParty building\n共 %(n)s 个\t%(n)s in all, "quoted"\\nnext\n已译\tNot used\n', encoding="utf-8"
    )
    assert catalogue.fill(po, catalogue.read_tsv(tsv)) == 2
    entries = {e.msgid: e for e in catalogue.live(catalogue.read(po))}
    assert entries["党建"].msgstr == "Party building"
    assert entries["共 %(n)s 个"].msgstr == '%(n)s in all, "quoted"\nnext'
    assert not entries["共 %(n)s 个"].fuzzy and "python-format" in entries["共 %(n)s 个"].flags
    assert entries["共 %(n)s 个"].previous_msgid is None  # the #| line of the fuzzy match is gone
    assert entries["已译"].msgstr == "Done"  # a translated entry is left alone
    assert catalogue.problems(po) == []


def test_it_speaks_chinese_by_default(cast, sign_in):
    """Without a language preference the pages are in Chinese."""
    html = sign_in(cast["county"]).get(reverse("core:home")).content.decode()
    assert "我的数据范围" in html
    assert '<html lang="zh-hans">' in html


def test_it_speaks_chinese_to_a_browser_that_asks_for_english(cast, sign_in, client):
    """A Chinese government system opens in 简体中文 whatever the browser's Accept-Language says."""
    for response in (
        client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"),
        sign_in(cast["county"]).get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en"),
    ):
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html
        assert "党建引领帮扶管理平台" in html
        assert "Party-Building-Led Assistance Platform" not in html
        assert response["Content-Language"] == "zh-hans"
        assert "Accept-Language" not in response.get("Vary", "")


def test_it_remembers_the_english_switch_in_a_cookie(cast, sign_in):
    """After the switch the pages are English (Accept-Language or not), until switched back."""
    client = sign_in(cast["county"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="en">' in html and "My data scope" in html and "County officer" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert (
        '<html lang="zh-hans">'
        in client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_it_ignores_a_language_cookie_we_do_not_offer(client):
    """A forged or stale cookie falls back to Chinese rather than failing."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx-evil"
    assert '<html lang="zh-hans">' in client.get(reverse("accounts:login")).content.decode()


ZH_PO = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"
ZH_MO = ZH_PO.with_suffix(".mo")


def test_it_shows_the_back_office_in_chinese(cast, sign_in):
    """The admin theme (unfold) ships no Chinese: our zh_Hans catalogue translates its strings."""
    client = sign_in(cast["sysadmin"])
    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist")):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for english in ("Type to search", "Filters", "Search apps and models", "Return to site"):
            assert english not in html, f"{english!r} on {url}"
    assert "输入关键词搜索" in client.get(reverse("admin:accounts_user_changelist")).content.decode()


def test_it_keeps_the_back_office_catalogue_complete_and_compiled():
    """Every entry of the zh_Hans catalogue is translated and the .mo matches (scripts/i18n --compile)."""
    assert catalogue.problems(ZH_PO, ZH_MO) == []


def test_it_translates_every_string_of_the_admin_theme():
    """Each {% trans "…" %} of unfold's templates has Chinese (catches a theme upgrade adding strings)."""
    import unfold

    pattern = re.compile(r"""{%\s*(?:trans|translate)\s+(["'])(.+?)\1""")
    translated = {e.msgid for e in catalogue.live(catalogue.read(ZH_PO))}
    wanted = set()
    for template in (Path(unfold.__file__).parent / "templates").rglob("*.html"):
        wanted |= {m.group(2) for m in pattern.finditer(template.read_text(encoding="utf-8"))}
    assert sorted(wanted - translated) == []


def test_it_switches_to_english_with_the_language_form(cast, sign_in):
    """The top bar's language switch (set_language) turns the next pages English."""
    client = sign_in(cast["county"])
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("core:home")})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    html = client.get(reverse("core:home")).content.decode()
    assert "My data scope" in html
    assert "Sign out" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "我的数据范围" in client.get(reverse("core:home")).content.decode()


def test_it_labels_the_version_column_of_the_back_office_in_chinese(rf):
    """`version` has no verbose name in the models; the admin shows it as 版本, not "Version"."""
    from django.contrib import admin
    from django.contrib.admin.utils import label_for_field

    from fupin.party.models import PartyOrg
    from fupin.registry.models import Household

    for model in (PartyOrg, Household):
        model_admin = admin.site._registry[model]
        request = rf.get("/admin/")
        names = model_admin.get_readonly_fields(request)
        assert "version" not in names and "version_label" in names
        assert str(label_for_field("version_label", model, model_admin)) == "版本"
    # A declared `fields` list is relabelled too (the change form lays out readonly fields from it).
    fields = admin.site._registry[Household].get_fields(rf.get("/admin/"))
    assert "version" not in fields and "version_label" in fields
