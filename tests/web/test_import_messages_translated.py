"""The importer's and the uploads' messages speak the user's language (issue 10, item 7): a bad
file imported with the interface in Dutch or English, or with ``jalon import`` under ``LANG`` /
``--language``, gives the translated one-line error, with the punctuation of that language."""

from __future__ import annotations

import html
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from web_samples import post_plan_file

from jalon.plans.models import Plan
from jalon.tracking.models import Indicator, Measurement

pytestmark = pytest.mark.usefixtures("var_dir")


NOT_A_ZIP = b"PK\x03\x04" + b"\x00" * 200  # a .xlsx that is no archive
JSON_BAD_PARENT = json.dumps({"plan": {"title": "Plan"}, "nodes": [
    {"code": "A", "title": "Axe", "parent": None},
    {"code": "B", "title": "Action", "parent": "X9"}]}).encode()
CSV_BAD_DATE = ("code;titre;fin\n1;Axe;\n1.1;Ouvrir un guichet;2023-2à24\n").encode()

ERRORS = {
    # language: (corrupt XLSX, unknown parent in JSON)
    "fr": ("plan.xlsx: XLSX corrompu ou tronqué (archive ZIP illisible)",
           "plan.json: nodes[1].parent: « X9 » n'est pas un code de ce plan"),
    "nl": ("plan.xlsx: XLSX beschadigd of afgebroken (onleesbaar ZIP-archief)",
           "plan.json: nodes[1].parent: ‘X9’ is geen code van dit plan"),
    "en": ("plan.xlsx: XLSX corrupt or truncated (unreadable ZIP archive)",
           "plan.json: nodes[1].parent: “X9” is not a code of this plan"),
}
DATE_WARNING = {"fr": "fin : date non reconnue : « 2023-2à24 »",
                "nl": "einde: datum niet herkend: ‘2023-2à24’",
                "en": "end: date not recognised: “2023-2à24”"}


def upload(client, world, name, data, language):
    return post_plan_file(client, world.org, data, name, HTTP_ACCEPT_LANGUAGE=language)


def page_text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_web_import_refuses_a_bad_file_in_the_users_language(client, world, language):
    client.force_login(world.editor)
    before = Plan.objects.count()
    corrupt, bad_parent = ERRORS[language]
    r = upload(client, world, "plan.xlsx", NOT_A_ZIP, language)
    assert r.status_code == 400 and corrupt in page_text(r)
    r = upload(client, world, "plan.json", JSON_BAD_PARENT, language)
    assert r.status_code == 400 and bad_parent in page_text(r)
    assert Plan.objects.count() == before


@pytest.mark.parametrize("language", ["nl", "en"])
def test_no_french_punctuation_in_dutch_and_english_errors(language):
    """The importer's own refusals, as it raises them in Dutch and English: no «word :» and
    no French quotation marks."""
    from django.utils import translation

    from jalon.ingest import parse_bytes
    from jalon.ingest.errors import IngestError

    with translation.override(language):
        for name, data in (("plan.xlsx", NOT_A_ZIP), ("plan.json", JSON_BAD_PARENT)):
            with pytest.raises(IngestError) as refused:
                parse_bytes(name, data)
            message = str(refused.value)
            assert " :" not in message and "«" not in message, message


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_preview_warnings_are_in_the_users_language(client, world, language):
    client.force_login(world.editor)
    r = upload(client, world, "plan.csv", CSV_BAD_DATE, language)
    assert r.status_code in (200, 302)
    if r.status_code == 302:
        r = client.get(r["Location"], HTTP_ACCEPT_LANGUAGE=language)
    assert DATE_WARNING[language] in page_text(r)


@pytest.mark.django_db
@pytest.mark.parametrize(("env", "option", "language"), [
    ("C.UTF-8", None, "fr"),
    ("nl_BE.UTF-8", None, "nl"),
    ("en_GB.UTF-8", None, "en"),
    ("nl_BE.UTF-8", "en", "en"),  # --language wins over the environment
    ("de_DE.UTF-8", None, "fr"),  # a language Jalon does not speak: French
])
def test_jalon_import_speaks_the_language_of_lang_or_of_the_option(tmp_path, monkeypatch,
                                                                    capsys, env, option,
                                                                    language):
    monkeypatch.setenv("LANG", env)
    args = ["--language", option] if option else []
    for name, data, expected in (("plan.xlsx", NOT_A_ZIP, ERRORS[language][0]),
                                 ("plan.json", JSON_BAD_PARENT, ERRORS[language][1])):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(SystemExit) as exit_:
            call_command("jalon_import", str(path), *args)
        err = capsys.readouterr().err.strip()
        assert exit_.value.code == 2 and err == expected
    path = tmp_path / "plan.csv"
    path.write_bytes(CSV_BAD_DATE)
    call_command("jalon_import", str(path), "--dry-run", *args)
    assert DATE_WARNING[language] in capsys.readouterr().out
    assert Plan.objects.count() == 0


UPLOAD_ERRORS = {
    "nl": ("regel", "indicator niet in dit plan: ‘1.1 / Inconnu’",
           "periode januari 2031 buiten het plan", "geen getal: ‘beaucoup’"),
    "en": ("row", "indicator not in this plan: “1.1 / Inconnu”",
           "period January 2031 outside the plan", "not a number: “beaucoup”"),
}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_measurement_upload_row_errors_are_translated(client, world, language):
    Indicator.objects.create(node=world.action, name="Dossiers traités", frequency="monthly")
    client.force_login(world.editor)
    text = ("code;indicator;period;value\n"
            "1.1;Dossiers traités;2020-01;12\n"
            "1.1;Inconnu;2020-01;1\n"
            "1.1;Dossiers traités;2031-01;1\n"
            "1.1;Dossiers traités;2020-04;beaucoup\n")
    r = client.post(reverse("measurement_upload", args=[world.plan.pk]),
                    {"file": SimpleUploadedFile("m.csv", text.encode())},
                    HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 422
    page = page_text(r)
    _, unknown, outside, not_a_number = UPLOAD_ERRORS[language]
    for row, words in ((3, unknown), (4, outside), (5, not_a_number)):
        assert re.search(f'<th scope="row">{row}</th><td>[^<]*{re.escape(words)}', page), words
    r = client.post(reverse("measurement_upload", args=[world.plan.pk]),
                    {"file": SimpleUploadedFile("m.csv", b"code;indicator;periode;valu\n1;a;b;c\n")},
                    HTTP_ACCEPT_LANGUAGE=language)
    header = {"nl": "m.csv:1: verkeerde kopregel, onbekende kolom(men): valu",
              "en": "m.csv:1: wrong header, unknown column(s): valu"}[language]
    assert r.status_code == 400 and header in page_text(r)
    assert Measurement.objects.count() == 0


@pytest.mark.parametrize(("language", "expected"), [
    ("fr", "plan.xlsx: document trop grand à lire : plus de 5.000 lignes "
           "(limite JALON_IMPORT_MAX_LINES)"),
    ("en", "plan.xlsx: document too large to read: more than 5.000 lines "
           "(limit JALON_IMPORT_MAX_LINES)"),
])
def test_a_crafted_sheet_is_refused_by_the_web_import_naming_the_limit(client, world, monkeypatch,
                                                                       language, expected):
    from samples import xlsx_with_formatted_rows

    monkeypatch.setenv("JALON_IMPORT_MAX_LINES", "5000")
    client.force_login(world.editor)
    before = Plan.objects.count()
    r = upload(client, world, "plan.xlsx", xlsx_with_formatted_rows(20_000), language)
    assert r.status_code == 400 and expected in page_text(r)
    assert Plan.objects.count() == before
