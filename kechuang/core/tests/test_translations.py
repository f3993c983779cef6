"""The catalogues in locale/ are complete (issue 27): every string marked for translation in the code and the
templates has an English translation in the compiled catalogue (real English: no Chinese left in it, not the
msgid copied), and every string written in English in the code, or completed from Django's and libraries'
English in the zh_Hans catalogue, reads Chinese in zh-hans. The strings are extracted afresh with Django's
makemessages (GNU gettext's xgettext) into a temporary folder, so a new `{% trans %}` without an English
translation, or a catalogue edited but not compiled, fails here."""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE = Path(settings.BASE_DIR) / "locale"
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
SOURCES = ("kechuang", "templates", "config")


def _po_entries(path: Path) -> list[dict]:
    """The entries of a .po file (msgid, msgid_plural, msgstr[s], flags), the header and obsolete ones left out."""
    entries, current, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip() or line.startswith("#~"):
            if current and current.get("msgid"):
                entries.append(current)
            current, key = None if not line.strip() else current, None
            continue
        current = current if current is not None else {"flags": set(), "msgstr": {}}
        if line.startswith("#,"):
            current["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, tuple):
                current["msgstr"][key[1]] += value
            else:
                current[key] += value
        else:
            word, _, rest = line.partition(" ")
            value = ast.literal_eval(rest)
            if word.startswith("msgstr"):
                index = int(word[7:-1]) if "[" in word else 0
                key = ("msgstr", index)
                current["msgstr"][index] = value
            else:
                key = word
                current[word] = value
    return entries


def _catalogue(language: str) -> dict:
    with open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb") as mo:
        return gettext.GNUTranslations(mo)._catalog


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> list[dict]:
    """The strings marked in the code now: makemessages run over a copy of the sources in a temporary folder
    (its own locale/ is the only one makemessages sees, so the committed catalogues are not touched; a copy,
    not links, because makemessages writes a work file beside each template it reads, which other tests
    walking the source tree at the same time would trip over)."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        pytest.fail(
            "GNU gettext (xgettext, msgmerge) is needed to extract the strings: apt-get install gettext"
        )
    root = tmp_path_factory.mktemp("extract")
    for name in SOURCES:
        shutil.copytree(
            Path(settings.BASE_DIR) / name,
            root / name,
            ignore=shutil.ignore_patterns("__pycache__", "tests", "migrations", "static"),
        )
    (root / "locale").mkdir()
    cwd = Path.cwd()
    try:
        os.chdir(root)
        with override_settings(LOCALE_PATHS=[]):
            call_command(
                "makemessages",
                locale=["en"],
                ignore_patterns=["*/tests/*", "*/migrations/*"],
                no_obsolete=True,
                verbosity=0,
            )
    finally:
        os.chdir(cwd)
    entries = _po_entries(root / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 50, "makemessages found too few strings: the extraction is broken"
    return entries


def test_every_marked_string_has_real_english(extracted):
    catalogue = _catalogue("en")
    problems = []
    for entry in extracted:
        msgid = entry["msgid"]
        if not CJK.search(msgid + entry.get("msgid_plural", "")):
            continue  # written in English: English already
        if "msgid_plural" in entry:
            forms = [catalogue.get((msgid, n)) for n in (0, 1)]
        else:
            forms = [catalogue.get(msgid)]
        for form in forms:
            if not form:
                problems.append(f"没有英文译文：{msgid!r}")
            elif form == msgid or CJK.search(form):
                problems.append(f"英文译文仍含中文：{msgid!r} → {form!r}")
    assert not problems, "locale/en 缺译文（makemessages -l en 后翻译并编译 .mo）：\n" + "\n".join(
        sorted(set(problems))
    )


def test_english_catalogue_is_compiled_and_translated_whole():
    """What the .po says is what the .mo serves, and nothing in the .po is left fuzzy or empty."""
    catalogue = _catalogue("en")
    for entry in _po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po"):
        assert "fuzzy" not in entry["flags"], f"fuzzy: {entry['msgid']!r}"
        assert entry["msgstr"].get(0), f"empty: {entry['msgid']!r}"
        if "msgid_plural" not in entry:
            assert catalogue.get(entry["msgid"]) == entry["msgstr"][0], f".mo is stale: {entry['msgid']!r}"


def test_english_strings_read_chinese_in_zh_hans(extracted):
    """Strings written in English in the code, and the English of Django and libraries that the zh_Hans
    catalogue completes, are served in Chinese from the compiled zh_Hans catalogue."""
    catalogue = _catalogue("zh_Hans")
    own = [e for e in extracted if not CJK.search(e["msgid"]) and re.search("[A-Za-z]{2}", e["msgid"])]
    listed = _po_entries(LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert listed, "the zh_Hans catalogue lists nothing (makemessages -l zh_Hans emptied it?)"
    problems = []
    for entry in [*own, *listed]:
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {entry['msgid']!r}")
        served = catalogue.get(entry["msgid"])
        if not served or not CJK.search(served):
            problems.append(f"没有中文译文：{entry['msgid']!r}")
    assert not problems, "locale/zh_Hans 缺译文：\n" + "\n".join(problems)
