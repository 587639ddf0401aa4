"""The engine's sheet and article readers are general: documents of other bodies, in Dutch or
English, are read with the default words of vocabulary.json (no case file, no code of their
own); a case may still add words."""

from __future__ import annotations

from test_readers import make_pdf

from jalon.ingest import articles, engine, parse_bytes, scores, sheets
from jalon.ingest.cases import Case
from jalon.ingest.document import Document

SHEETS = """MEERJARENPLAN 2026-2031
OCMW van Zandhoven

1. Beleidsdomein Zorg

1.1. Betere thuiszorg voor ouderen

TITEL
1.1.1 → Meer gezinszorg aan huis

STARTDATUM 2026
EINDDATUM 2028
DIENST Thuiszorg
VERANTWOORDE-
LIJKE
An Peeters
OMSCHRIJVING
• Vijf extra verzorgenden aanwerven
• Een wachtlijst bijhouden
MIDDELEN
Personeel (VTE) : 5
Budget (€) : 250.000 €
VOORTGANG 20 %

ACTIEFICHE 1.1.2 → Maaltijden aan huis

STARTDATUM 2027
EINDDATUM 2029
DIENST Thuisbezorging
VERANTWOORDELIJKE Jan Claes
VOORTGANG lopend

2. Beleidsdomein Wonen

TITEL
2.1.1 → Sociale woningen renoveren
STARTDATUM 2026
EINDDATUM 2031
VERANTWOORDELIJKE Els Maes
PARTNERS Woonmaatschappij
"""


def test_dutch_action_sheets_are_read_without_a_case():
    doc = Document.from_text("meerjarenplan.txt", SHEETS)
    ranked = scores(doc)
    assert ranked[0][1] == "sheets" and ranked[0][0] >= 0.8, ranked
    draft = parse_bytes("meerjarenplan.txt", SHEETS.encode())
    assert draft.layout == "sheets"
    assert draft.language == "nl"
    tree = [(n.code, n.parent, n.level) for n in draft.nodes]
    assert tree == [
        ("1", None, "Beleidsdomein"), ("1.1", "1", "Beleidsdoelstelling"),
        ("1.1.1", "1.1", "Actie"), ("1.1.2", "1.1", "Actie"),
        ("2", None, "Beleidsdomein"), ("2.1", "2", "Beleidsdoelstelling"),
        ("2.1.1", "2.1", "Actie")]
    # 2.1 is not printed: created from the sheet's code, with a warning naming it
    assert draft.get("2.1").derived_code
    assert any(w.code == "2.1" for w in draft.warnings)
    first = draft.get("1.1.1")
    assert first.title == "Meer gezinszorg aan huis"
    assert first.fields["owners"] == ["An Peeters"]  # label split over two lines
    assert first.field_lines["owners"] == SHEETS.splitlines().index("VERANTWOORDE-") + 1
    assert first.fields["departments"] == ["Thuiszorg"]
    assert (first.fields["start"], first.fields["end"]) == ("2026", "2028")
    assert first.fields["fte"] == 5  # the resources' Dutch sub-labels
    assert first.fields["budget_eur"] == [250000]
    assert first.fields["progress"] == 20
    assert "wachtlijst" in first.fields["description"]
    second = draft.get("1.1.2")  # opened by «ACTIEFICHE 1.1.2 →»
    assert second.title == "Maaltijden aan huis"
    assert second.fields["status"] == "lopend"  # a progress without a number
    assert second.fields["owners"] == ["Jan Claes"]
    assert draft.get("2.1.1").fields["partners"] == ["Woonmaatschappij"]
    assert draft.organization == "OCMW van Zandhoven"
    assert (draft.period_start, draft.period_end) == (2026, 2031)
    assert draft.kind == "strategic"


def _pdf_of_lines(lines: list[str]) -> bytes:
    """One page per 40 lines, a blank line leaving a gap."""
    pages, items, y = [], [], 800
    for text in lines:
        if y < 60:
            pages.append(items)
            items, y = [], 800
        if text:
            items.append((72, y, 11, text))
        y -= 14 if text else 10
    pages.append(items)
    return make_pdf(pages)


def test_a_dutch_pdf_of_action_sheets_is_read_without_a_case():
    lines = ["Meerjarenplan OCMW van Heidebeek 2026-2031", "",
             "1. Beleidsdomein Welzijn", "1.1. Eenzaamheid bij ouderen verminderen", ""]
    people = ["Sofie Wouters", "Pieter Janssens", "Lotte Mertens"]
    for k, (title, who) in enumerate(zip(["Buurtbabbels organiseren", "Vrijwilligers opleiden",
                                          "Een seniorencafé openen"], people, strict=True), 1):
        lines += [f"ACTIEFICHE 1.1.{k} – {title}", f"STARTDATUM 0{k}/01/2027",
                  "EINDDATUM 31/12/2029", "DIENST Sociale dienst", f"VERANTWOORDELIJKE {who}",
                  f"VOORTGANG {10 * k} %", ""]
    draft = parse_bytes("plan.pdf", _pdf_of_lines(lines))
    assert draft.layout == "sheets"
    assert [(n.code, n.parent) for n in draft.nodes] == [
        ("1", None), ("1.1", "1"), ("1.1.1", "1.1"), ("1.1.2", "1.1"), ("1.1.3", "1.1")]
    assert [n.title for n in draft.nodes[2:]] == [
        "Buurtbabbels organiseren", "Vrijwilligers opleiden", "Een seniorencafé openen"]
    assert [n.fields["owners"] for n in draft.nodes[2:]] == [[p] for p in people]
    assert [n.fields["progress"] for n in draft.nodes[2:]] == [10, 20, 30]
    assert draft.get("1.1.2").fields["start"] == "02/01/2027"
    assert draft.get("1.1.3").fields["departments"] == ["Sociale dienst"]
    assert draft.organization == "OCMW van Heidebeek"


ENGLISH_SHEETS = """City of Hartwell
STRATEGIC PLAN 2026-2030

Axis 1: A greener town

Strategic objective 1.1 - Cut the town's emissions

TITLE
1.1.1 -> Solar panels on the sports hall
START 2026
END 2027
DEPARTMENT Technical services
PROJECT LEADER Grace Miller
PARTNERS Energy cooperative
RESOURCES
Staff (FTE) : 2
Budget (€) : 120 000 €
PROGRESS 40 %

TITLE
1.1.2 -> LED street lighting
START 2027
END 2029
DEPARTMENT Public works
PROJECT LEADER Tom Hughes
DESCRIPTION
Replace the street lamps of the town centre.
PROGRESS ongoing

Axis 2: A caring town

Strategic objective 2.1 - Support older residents

TITLE
2.1.1 -> Meals at home
START 2026
END 2030
DEPARTMENT Social services
PROJECT LEADER Anna Wright
PROGRESS not started
"""


def test_english_action_sheets_are_read_without_a_case():
    draft = parse_bytes("plan.txt", ENGLISH_SHEETS.encode())
    assert draft.layout == "sheets"
    assert draft.language == "en"
    assert [(n.code, n.parent, n.level) for n in draft.nodes] == [
        ("1", None, "Axis"), ("1.1", "1", "Strategic objective"),
        ("1.1.1", "1.1", "Action"), ("1.1.2", "1.1", "Action"),
        ("2", None, "Axis"), ("2.1", "2", "Strategic objective"), ("2.1.1", "2.1", "Action")]
    assert draft.get("1.1").title == "Cut the town's emissions"
    solar = draft.get("1.1.1")
    assert solar.title == "Solar panels on the sports hall"
    assert solar.fields["owners"] == ["Grace Miller"]
    assert solar.fields["departments"] == ["Technical services"]
    assert solar.fields["partners"] == ["Energy cooperative"]
    assert (solar.fields["start"], solar.fields["end"]) == ("2026", "2027")
    assert solar.fields["fte"] == 2
    assert solar.fields["budget_eur"] == [120000]
    assert solar.fields["progress"] == 40
    assert draft.get("1.1.2").fields["description"] == (
        "Replace the street lamps of the town centre.")
    assert draft.get("1.1.2").fields["status"] == "ongoing"
    assert draft.get("2.1.1").fields["status"] == "not started"
    assert draft.title == "STRATEGIC PLAN 2026-2030"
    assert draft.organization == "City of Hartwell"
    assert draft.kind == "strategic"


def test_a_case_still_adds_its_own_words_to_the_sheet_reader():
    text = SHEETS.replace("VERANTWOORDELIJKE Jan Claes", "BEZIELER Jan Claes")
    doc = Document.from_text("m.txt", text)
    assert "owners" not in sheets.parse(doc).get("1.1.2").fields
    case = Case("ocmw_fictief", {"name": "ocmw_fictief",
                                 "sheets": {"labels": [["owners", "BEZIELER", None]]}})
    draft = engine.parse(doc, case=case)
    assert draft.layout == "ocmw_fictief"
    assert draft.get("1.1.2").fields["owners"] == "Jan Claes"
    assert draft.get("1.1.1").fields["owners"] == "An Peeters"  # the default words still work
    assert case.score(doc) >= sheets.score(doc)


CONTRACT = """Bestuursovereenkomst 2025-2028
tussen:
- de Federale Staat
en
- het Fictief Fonds voor Testuitkeringen (FFT)

Deel I. Dienstverlening
Strategische doelstelling 1 : snel betalen
1. Uitkeringen
1.1 Betalingen
Art 1.1.1
Het Fonds betaalt de uitkeringen tijdig aan alle gerechtigden van het stelsel.
Doelstelling
Indicator
Norm
Tijdig betalen.
Percentage uitkeringen betaald binnen de 10 werkdagen
95 %
Art 1.1.2
Het Fonds beantwoordt elke aanvraag binnen de maand, ook in de zomermaanden van elk jaar.
1.2 Informatie
Art 1.2.1
Het Fonds publiceert elk jaar een verslag over zijn dienstverlening aan de gerechtigden.
Deel II. Beheer
Strategische doelstelling 2 : goed beheren
2. Personeel
Art 2.1.1 en 2.1.2
Het Fonds stelt een personeelsplan op en evalueert het elk jaar met de vakbonden en de raad.
2.2 Gebouwen
Art 2.2.1
Het Fonds verlaagt het energieverbruik van zijn gebouwen met een vijfde tegen het einde.
Ondertekend te Brussel
"""


def test_a_dutch_agreement_of_articles_is_read_without_a_case():
    doc = Document.from_text("overeenkomst.txt", CONTRACT)
    ranked = scores(doc)
    assert ranked[0][1] == "articles" and ranked[0][0] >= 0.8, ranked
    draft = parse_bytes("overeenkomst.txt", CONTRACT.encode())
    assert draft.layout == "articles"
    assert draft.language == "nl"
    assert [(n.code, n.parent, n.level) for n in draft.nodes] == [
        ("I", None, "Deel"), ("SD1", "I", "Strategische doelstelling"),
        ("1", "SD1", "Hoofdstuk"), ("1.1", "1", "Afdeling"),
        ("1.1.1", "1.1", "Artikel"), ("1.1.2", "1.1", "Artikel"),
        ("1.2", "1", "Afdeling"), ("1.2.1", "1.2", "Artikel"),
        ("II", None, "Deel"), ("SD2", "II", "Strategische doelstelling"),
        ("2", "SD2", "Hoofdstuk"), ("2.1", "2", "Afdeling"),
        ("2.1.1", "2.1", "Artikel"), ("2.1.2", "2.1", "Artikel"),
        ("2.2", "2", "Afdeling"), ("2.2.1", "2.2", "Artikel")]
    # the section the article implies is created, named with the Dutch level word
    assert draft.get("2.1").title == "Afdeling 2.1"
    assert any("afdeling 2.1" in w.message for w in draft.warnings)
    indicator = draft.get("1.1.1").fields["indicators"][0]
    assert indicator["name"] == "Percentage uitkeringen betaald binnen de 10 werkdagen"
    assert indicator["target"] == "95 %"
    assert indicator["objective"] == "Tijdig betalen."
    assert draft.get("1.1.2").title.startswith("Het Fonds beantwoordt elke aanvraag")
    assert draft.get("1.1.1").fields["code_as_printed"] == "Art 1.1.1"
    assert draft.organization == "Fictief Fonds voor Testuitkeringen (FFT)"
    assert (draft.period_start, draft.period_end) == (2025, 2028)
    assert draft.title == "Bestuursovereenkomst 2025-2028"
    assert "Ondertekend" not in draft.get("2.2.1").fields.get("description", "")


AGREEMENT = """Management Agreement 2026-2029
between:
- the Federal State
and
- the Fictional Office for Road Safety (FORS)

Part I. Service to citizens
Strategic objective 1: answer quickly
1. Requests
1.1 Answers
Art. 1.1.1
The Office answers every written request from a citizen within a reasonable time.
Objective
Indicator
Target
Answer quickly.
Percentage of requests answered within 15 working days
90 %
Art. 1.1.2
The Office publishes its answers to frequent questions on its website every quarter.
1.2 Complaints
Art. 1.2.1 and 1.2.2
The Office handles complaints through one desk and reports on them to the board each year.
Part II. Management
Strategic objective 2: manage well
2. Staff
2.1 Training
Art. 2.1.1
The Office trains every new member of staff during the first six months of employment.
Art. 2.1.2
The Office reduces the energy used by its buildings by a fifth before the end of the term.
Signed at Brussels
"""


def test_an_english_agreement_of_articles_is_read_without_a_case():
    draft = parse_bytes("agreement.txt", AGREEMENT.encode())
    assert draft.layout == "articles"
    assert draft.language == "en"
    assert [(n.code, n.parent, n.level) for n in draft.nodes] == [
        ("I", None, "Part"), ("SO1", "I", "Strategic objective"),
        ("1", "SO1", "Chapter"), ("1.1", "1", "Section"),
        ("1.1.1", "1.1", "Article"), ("1.1.2", "1.1", "Article"),
        ("1.2", "1", "Section"), ("1.2.1", "1.2", "Article"), ("1.2.2", "1.2", "Article"),
        ("II", None, "Part"), ("SO2", "II", "Strategic objective"),
        ("2", "SO2", "Chapter"), ("2.1", "2", "Section"),
        ("2.1.1", "2.1", "Article"), ("2.1.2", "2.1", "Article")]
    assert draft.get("SO1").title == "answer quickly"
    indicator = draft.get("1.1.1").fields["indicators"][0]
    assert indicator["name"] == "Percentage of requests answered within 15 working days"
    assert indicator["target"] == "90 %"
    assert draft.get("2.1.1").title.startswith("The Office trains every new member")
    assert draft.organization == "Fictional Office for Road Safety (FORS)"
    assert (draft.period_start, draft.period_end) == (2026, 2029)


def test_the_readers_are_layouts_and_keep_their_former_names_as_aliases():
    assert parse_bytes("m.txt", SHEETS.encode(), layout="action_sheets").layout == "sheets"
    assert parse_bytes("c.txt", CONTRACT.encode(), layout="contract").layout == "articles"
    # each reader's words fit its own kind of document only
    assert sheets.score(Document.from_text("c.txt", AGREEMENT)) == 0
    assert articles.score(Document.from_text("m.txt", ENGLISH_SHEETS)) < 0.3
