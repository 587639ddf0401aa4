"""The reader of items listed as rows coded by unit (jalon.ingest.unitrows): a case of another
body, in Dutch, is only words (no Python), and reads its fictitious document."""

from jalon.ingest import engine
from jalon.ingest.cases import Case, load_case
from jalon.ingest.document import Document
from jalon.ingest.fields import finalize

SEED_WORDS = load_case("service_codes").data["unit_rows"]

CASE = {
    "name": "eenheidscodes",
    "levels": ["Afdeling", "Dienst", "Project"],
    "unit_rows": {
        "code": SEED_WORDS["code"],  # a code's shape is no language's
        "broken_code": SEED_WORDS["broken_code"],
        "heading": SEED_WORDS["heading"],
        "header_start": r"^\s*Nr\.?\s+Project",
        "header_words": r"(?i)trekker|ondersteuning|stuurgroep|\btermijn\b",
        "unit_title": r"^(?:de |het )?(?:afdeling|dienst)",
        "intro_labels": {"description": ["missie"], "objective": ["visie"]},
        "cell_labels": [["owners", "trekker"], ["enablers", "ondersteuning"],
                        ["steering", "stuurgroep"], ["timing", "termijn"],
                        ["objective", "doel"], ["code", "^nr"], ["title", "project"]],
        "default_columns": ["code", "title", "objective", "timing", "owners", "enablers",
                            "steering"],
        "plan_text": {"title_words": r"(?i)^\W*(meerjarenplan|plan)\b",
                      "kinds": [["strategic", "meerjaren"]],
                      "self_name": r"\b[Hh]et\s([A-Z]{3,8})\b",
                      "announced": r"(?i)\bspeerpunten\b", "announced_key": "speerpunten"},
        "running_lines": True,
    },
}

TEXT = """\
Meerjarenplan
2026-2031

1 Inleiding

Het AGBL beheert de sporthallen en de bibliotheek van Lindevoort.
Het AGBL telt veertig medewerkers; het AGBL rapporteert aan de raad.
Dit plan is het werk van het AGBL en zijn raad van bestuur (AGBL).
De raad koos drie speerpunten:

1. Meer sport in de wijken

2. Cultuur voor iedereen

3. Een zuinig beheer

2 Bijlage

2.1 Projecten per afdeling

2.1.1 Afdeling Sport

2.1.1.1 Dienst Zalen

Missie :

De zalen openhouden voor alle clubs.

Visie :

Elke wijk een eigen zaal.

Nr. Project Doel Termijn Trekker Ondersteuning Stuurgroep

SP-Z-1 Nieuwe sporthal

Een sporthal bouwen in de noordwijk

2027-2029 SP-Z SP-T DIRCO

SP-Z-2 Reservaties

De clubs reserveren hun uren online

2026 SP-Z  DIRCO

2.1.1.2 Dienst Terreinen

SP-T-1 Kunstgras

Twee velden in kunstgras aanleggen

2028 SP-T  DIRCO

sp-t 2 Verlichting

Zuinige verlichting op alle terreinen

2026 - 2027 SP-T  DIRCO

2.1.2 Afdeling Cultuur

Nr. Project Doel Termijn Trekker Ondersteuning Stuurgroep

CU-1 Leesclubs

Een leesclub in elke wijk

2026 CU   DIRCO

CU-2 Archief

Het archief digitaliseren

2029 CU SP-Z  DIRCO

CU-3 Zomerfestival

Een gratis festival in het park

2027 CU   DIRCO

CU-4 Muziekschool

Lessen in drie wijken

2030 CU   DIRCO

CU-5 Toneelzaal

De toneelzaal renoveren

2031 CU SP-Z  DIRCO

CU-6 Kunstroute

Een route langs kunst in de straat

2028 CU   DIRCO
"""


def test_a_dutch_case_of_unit_rows_is_only_words_and_reads_its_document():
    case = Case("eenheidscodes", CASE)
    doc = Document.from_text("lindevoort.txt", TEXT)
    assert case.score(doc) >= 0.8
    d = engine.parse(doc, case=case)
    assert d.layout == "eenheidscodes"
    assert d.counts_per_level() == {"Afdeling": 2, "Dienst": 2, "Project": 10}
    assert [n.title for n in d.nodes if n.parent is None] == ["Afdeling Sport", "Afdeling Cultuur"]
    assert d.get(d.get("SP-T-2").parent).title == "Dienst Terreinen"
    assert d.get("SP-T-2").fields["code_as_printed"] == "sp-t 2"
    assert d.get(d.get("CU-2").parent).title == "Afdeling Cultuur"
    zalen = d.get(d.get("SP-Z-1").parent)
    assert zalen.fields["description"] == "De zalen openhouden voor alle clubs."
    assert zalen.fields["objective"] == "Elke wijk een eigen zaal."
    f = d.get("SP-Z-1").fields
    assert (d.get("SP-Z-1").title, f["objective"]) == ("Nieuwe sporthal",
                                                        "Een sporthal bouwen in de noordwijk")
    assert (f["start"], f["end"], f["owners"], f["enablers"], f["steering"]) == (
        "2027", "2029", "SP-Z", "SP-T", "DIRCO")
    assert (d.get("SP-Z-2").fields["steering"], "enablers" in d.get("SP-Z-2").fields) == (
        "DIRCO", False)
    assert d.get("SP-T-2").fields["end"] == "2027"
    assert (d.title, d.period_start, d.period_end, d.kind) == (
        "Meerjarenplan 2026-2031", 2026, 2031, "strategic")
    assert d.organization == "AGBL"
    assert d.extra["speerpunten"][1] == "Cultuur voor iedereen"
    assert not [n for n in d.nodes if n.title in ("Inleiding", "Bijlage",
                                                   "Projecten per afdeling")]
    finalize(d)
    assert d.get("CU-2").fields["enablers"] == ["SP-Z"]


def test_without_coded_rows_the_reader_says_so():
    d = engine.parse(Document.from_text("x.txt", "Meerjarenplan 2026\n\n1 Inleiding\n"),
                     case=Case("eenheidscodes", CASE))
    assert d.nodes == [] and d.warnings and d.title == "Meerjarenplan 2026"
