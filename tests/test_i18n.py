"""Translations: the Dutch and English catalogues are complete, compiled and actually used.

French is the source language; ``src/jalon/locale/{nl,en}/LC_MESSAGES/django.po`` hold every
user-facing string and the committed ``django.mo`` files are what Django loads at runtime.
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGS = ["nl", "en"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|%%|\{\w+\}")


def parse_po(path: Path) -> list[dict]:
    """A small .po reader: entries with flags, msgctxt, msgid, msgid_plural and msgstr(s)."""
    entries: list[dict] = []
    cur: dict = {}
    field: tuple | None = None

    def flush():
        nonlocal cur
        if "msgid" in cur:
            entries.append(cur)
        cur = {}

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            flush()
            field = None
        elif line.startswith("#~"):  # obsolete entry: not loaded by gettext
            continue
        elif line.startswith("#"):
            if "msgid" in cur:
                flush()
            if line.startswith("#,"):
                cur.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith('"'):
            key, idx = field
            text = ast.literal_eval(line)
            if idx is None:
                cur[key] += text
            else:
                cur[key][idx] += text
        else:
            m = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
            assert m, f"{path}: cannot parse {line!r}"
            key, idx, text = m.group(1), m.group(2), ast.literal_eval(m.group(3))
            if idx is None:
                cur[key] = text
                field = (key, None)
            else:
                cur.setdefault(key, {})[int(idx)] = text
                field = (key, int(idx))
    flush()
    return entries


def catalogue(lang: str) -> list[dict]:
    return parse_po(LOCALE_DIR / lang / "LC_MESSAGES" / "django.po")


def strs(entry: dict) -> list[str]:
    s = entry["msgstr"]
    return list(s.values()) if isinstance(s, dict) else [s]


@pytest.mark.parametrize("lang", LANGS)
def test_every_string_is_translated_and_none_is_fuzzy(lang):
    entries = [e for e in catalogue(lang) if e["msgid"]]  # the header has an empty msgid
    assert len(entries) > 500
    empty = [e["msgid"] for e in entries if not all(strs(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", ())]
    assert not empty, f"{lang}: untranslated: {empty[:10]}"
    assert not fuzzy, f"{lang}: fuzzy: {fuzzy[:10]}"
    header = next(e for e in catalogue(lang) if e["msgid"] == "")
    assert "fuzzy" not in header.get("flags", ())
    assert f"Language: {lang}\n" in header["msgstr"]


@pytest.mark.parametrize("lang", LANGS)
def test_placeholders_are_kept(lang):
    wrong = []
    for e in catalogue(lang):
        if not e["msgid"]:
            continue
        sources = [e["msgid"], e.get("msgid_plural", e["msgid"])]
        for i, text in enumerate(strs(e)):
            if set(PLACEHOLDER.findall(sources[min(i, 1)])) != set(PLACEHOLDER.findall(text)):
                wrong.append((e["msgid"], text))
    assert not wrong, f"{lang}: placeholders differ: {wrong[:5]}"


def test_both_languages_cover_the_same_strings():
    ids = {lang: {(e.get("msgctxt"), e["msgid"]) for e in catalogue(lang)} for lang in LANGS}
    assert ids["nl"] == ids["en"]


@pytest.mark.parametrize("lang", LANGS)
def test_compiled_catalogue_matches_the_po_file(lang):
    """The committed .mo is what runs: it must hold every .po translation (run compilemessages)."""
    with open(LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)._catalog
    stale = []
    for e in catalogue(lang):
        if not e["msgid"]:
            continue
        key = e["msgid"] if "msgctxt" not in e else f"{e['msgctxt']}\x04{e['msgid']}"
        if "msgid_plural" in e:
            got = [mo.get((key, i)) for i in sorted(e["msgstr"])]
        else:
            got = [mo.get(key)]
        if got != strs(e):
            stale.append(e["msgid"])
    assert not stale, f"{lang}: django.mo is out of date for {stale[:5]}"


@pytest.mark.parametrize(("lang", "plans", "org", "late", "cpas", "plan_kind"), [
    ("nl", "Plannen", "organisatie", "Vertraagd", "OCMW", "Beheersovereenkomst"),
    ("en", "Plans", "organisation", "Delayed", "Public social welfare centre (CPAS)",
     "Administration contract"),
])
def test_model_labels_and_ui_strings_are_translated(lang, plans, org, late, cpas, plan_kind):
    from jalon.plans.models import Node, Organization, Plan

    with translation.override(lang):
        assert translation.gettext("Plans") == plans
        assert str(Node.Status.LATE.label) == late
        assert str(Plan._meta.verbose_name_plural) == translation.gettext("plans")
        assert str(Organization._meta.verbose_name) == org
        assert str(Organization.Kind.CPAS.label) == cpas
        assert str(Plan.Kind.CONTRACT.label) == plan_kind
        reminders = translation.ngettext("%(n)s rappel", "%(n)s rappels", 2) % {"n": 2}
        assert reminders == {"nl": "2 herinneringen", "en": "2 reminders"}[lang]
    with translation.override("fr"):
        assert str(Node.Status.LATE.label) == "En retard"


@pytest.mark.django_db
@pytest.mark.parametrize(("accept", "expected", "french"), [
    ("nl", "Aanmelden", "Se connecter"),
    ("en", "Log in", "Se connecter"),
    ("nl-BE,nl;q=0.9,fr;q=0.5", "Aanmelden", "Se connecter"),
])
def test_the_home_page_follows_accept_language(client, accept, expected, french):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert expected in page and french not in page
    assert f'<html lang="{accept[:2]}"' in page


@pytest.mark.django_db
def test_the_language_cookie_wins_and_french_is_the_default(client):
    assert "Se connecter" in client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Log in" in page and "Aanmelden" not in page


@pytest.mark.django_db
def test_the_language_switcher_sets_the_language(client):
    response = client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert response.status_code == 302
    assert "Aanmelden" in client.get("/").content.decode()


GETTEXT_NAMES = {"_", "_l", "_lazy", "gettext", "gettext_lazy", "gettext_noop"}
TEMPLATE_TRANSLATE = re.compile(r"""{%\s*translate\s+(?:"([^"]*)"|'([^']*)')(?:\s+(?:as\s+\w+|noop))?\s*%}""")


def marked_strings() -> set[tuple[str, str]]:
    """Literal strings passed to gettext in the code and to {% translate %} in the templates."""
    src = LOCALE_DIR.parent
    found: set[tuple[str, str]] = set()
    for path in src.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        in_fstring = {id(n) for f in ast.walk(tree) if isinstance(f, ast.JoinedStr)
                      for n in ast.walk(f)}
        for node in ast.walk(tree):
            func = getattr(node, "func", None)
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if (isinstance(node, ast.Call) and name in GETTEXT_NAMES and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                where = f"{path.relative_to(src)}:{node.lineno}"
                if id(node) in in_fstring:  # xgettext does not look inside f-string fields
                    where += " (inside an f-string: move the gettext call out of it)"
                found.add((where, node.args[0].value))
    for path in src.rglob("templates/**/*"):
        if path.suffix in {".html", ".txt"}:
            for m in TEMPLATE_TRANSLATE.finditer(path.read_text(encoding="utf-8")):
                text = m.group(1) if m.group(1) is not None else m.group(2)
                found.add((str(path.relative_to(src)), text.replace("%", "%%")))
    return found


def test_every_marked_string_is_in_the_catalogues():
    """A string marked for translation but missing here: run makemessages, translate, compile."""
    known = {e["msgid"] for e in catalogue("nl")} & {e["msgid"] for e in catalogue("en")}
    marked = marked_strings()
    assert len(marked) > 300
    missing = sorted(f"{where}: {text!r}" for where, text in marked
                     if text and text not in known and text.replace("%%", "%") not in known)
    assert not missing, "not in the .po files:\n" + "\n".join(missing[:20])


@pytest.mark.parametrize(("accept", "label"), [
    ("fr", "Statut : "), ("en", "Status: "), ("nl", "Status: ")])
def test_labels_are_punctuated_as_the_language_writes_them(world, client, accept, label):
    """«Statut : En cours» in French, «Status: In progress» in English and Dutch."""
    client.force_login(world.editor)
    sheet = re.sub(r"<[^>]+>", "", client.get(f"/nodes/{world.action.pk}/",
                                               HTTP_ACCEPT_LANGUAGE=accept).content.decode())
    assert label in sheet
    if accept != "fr":
        assert not re.search(r"\w :", sheet), "a French «word :» is left"


@pytest.mark.parametrize(("accept", "quarter", "month"), [
    ("fr", "T1 2026", "mars 2026"), ("nl", "K1 2026", "maart 2026"),
    ("en", "Q1 2026", "March 2026")])
def test_measurement_periods_are_written_as_people_write_them(world, client, accept, quarter,
                                                              month):
    """The sheet shows «T1 2026» and «mars 2026», not the stored keys «2026-Q1», «2026-03»."""
    import datetime as dt

    from jalon.tracking.models import Indicator, Measurement

    ind = Indicator.objects.create(node=world.action, name="Dossiers traités", unit="")
    Measurement.objects.create(indicator=ind, period="2026-Q1", period_end=dt.date(2026, 3, 31),
                               value=12)
    Measurement.objects.create(indicator=ind, period="2026-03", period_end=dt.date(2026, 3, 31),
                               value=4)
    client.force_login(world.editor)
    sheet = re.sub(r"<[^>]+>", "", client.get(f"/nodes/{world.action.pk}/",
                                               HTTP_ACCEPT_LANGUAGE=accept).content.decode())
    assert quarter in sheet and month in sheet
    assert "2026-Q1" not in sheet and "2026-03" not in sheet
