"""The engine's sheet and article readers are general: another body's documents, in Dutch, are
read by giving them other words (a case's JSON data), with no code of their own."""

from __future__ import annotations

import copy

from jalon.ingest import engine, parse_bytes, scores
from jalon.ingest.cases import Case, load_case
from jalon.ingest.document import Document
from jalon.ingest.fields import finalize


def dutch_sheets_case() -> Case:
    data = copy.deepcopy(load_case("action_sheets").data)
    data["name"] = "actiefiches_fictief"
    data["levels"] = ["Beleidsdomein", "Beleidsdoelstelling", "Actieplan", "Project", "Actie"]
    words = data["sheets"]
    words["level_words"] = [["beleidsdomein", "Beleidsdomein"],
                            ["beleidsdoelstelling|bd", "Beleidsdoelstelling"],
                            ["actieplan|ap", "Actieplan"]]
    words["sheet_words"] = "ACTIEFICHE|ACTIE"
    words["title_labels"] = "TITEL"
    words["labels"] = [
        ["start", "STARTDATUM|START", None],
        ["end", "EINDDATUM|EINDE", None],
        ["departments", "DIENST(?:EN)?", None],
        ["owners", "VERANTWOORDE-|VERANTWOORDELIJKE", "LIJKE"],
        ["partners", "PARTNERS?", None],
        ["description", "OMSCHRIJVING", None],
        ["resources", "MIDDELEN", None],
        ["progress", "VOORTGANG", None],
    ]
    words["tail_keys"] = {}
    words["objective_parts"] = []
    words["progress_values"] = "afgerond|lopend|niet gestart"
    words["approximately"] = "\\+/-|±|ongeveer"
    words["connectors"] = "de|het|een|van|voor|en|of|in|op|met|aan"
    words["resources"] = {
        "fte_label": "personeel\\s*(?:\\(\\s*vte\\s*\\))?\\s*:",
        "budget_label": "budget\\s*(?:\\(\\s*€\\s*\\))?\\s*:",
        "money_words": "€|euro|budget|kost",
        "funding_words": "subsidie|financiering",
        "people_words": "\\bvte\\b|personen|medewerkers?",
        "and_word": "en",
    }
    words["plan_title_words"] = "plan|meerjarenplan"
    words["organization"] = ("\\b(?P<body>OCMW|Gemeente|Stad)\\s+(?P<prep>van)\\s*"
                             "(?P<place>[A-Z]\\w+)")
    words["organization_short"] = {}
    words["kinds"] = [["meerjarenplan", "strategic"]]
    return Case(data["name"], data)


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

TITEL
1.1.2 → Maaltijden aan huis

STARTDATUM 2027
EINDDATUM 2029
VERANTWOORDELIJKE Jan Claes
VOORTGANG lopend

2. Beleidsdomein Wonen

TITEL
2.1.1 → Sociale woningen renoveren
STARTDATUM 2026
EINDDATUM 2031
PARTNERS Woonmaatschappij
"""


def test_a_dutch_sheet_case_is_only_words_and_reads_its_document():
    case = dutch_sheets_case()
    doc = Document.from_text("meerjarenplan.txt", SHEETS)
    assert case.score(doc) >= load_case("action_sheets").score(doc) + 0.3
    draft = finalize(engine.parse(doc, case=case))
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
    assert first.fields["fte"] == 5
    assert first.fields["budget_eur"] == [250000]
    assert first.fields["progress"] == 20
    assert "wachtlijst" in first.fields["description"]
    assert draft.get("1.1.2").fields["status"] == "lopend"  # a progress without a number
    assert draft.get("2.1.1").fields["partners"] == ["Woonmaatschappij"]
    assert draft.organization == "OCMW van Zandhoven"
    assert (draft.period_start, draft.period_end) == (2026, 2031)
    assert draft.layout == "actiefiches_fictief"


def dutch_contract_case() -> Case:
    data = copy.deepcopy(load_case("contract").data)
    data["name"] = "beheerscontract_fictief"
    data["levels"] = ["Deel", "Strategische doelstelling", "Hoofdstuk", "Afdeling", "Artikel"]
    words = data["articles"]
    words.update({
        "part": "(?i:deel)", "part_roman": "(?i:titel|boek)",
        "objective": "(?i:strategische\\s+doelstelling)|SD", "objective_code": "SD",
        "chapter": "(?i:hoofdstuk)", "article": "(?i:art(?:ikel)?)",
        "list_words": [",", "en", "&"], "range_words": ["tot"],
        "running_header": "^(?i:bestuursovereenkomst)\\b.{0,40}\\d{4}\\s*[-–]\\s*\\d{4}\\s*$",
        "table_header": "^(?i:doelstelling(?:en)?|indicator(?:en)?|norm(?:en)?)\\s*:?$",
        "norm_words": "Norm|KPI|Rapportering",
        "norm_phrases": "\\b(?:is|zijn)\\s+(?:bepaald|gemeten|goedgekeurd)\\b",
        "indicator_words": "Percentage|Aantal|Termijn|Gemiddelde|Duur",
        "function_words": "de het een van voor en of in op met aan binnen na",
        "signature": "^(?i:Ondertekend|Opgemaakt)\\s+(?i:te|op)\\b",
        "title": "^(?i:bestuursovereenkomst)\\b.{0,60}$",
        "default_title": "Bestuursovereenkomst",
        "period": "(?i:periode\\s+van\\s+(?:[^.;]{0,30}?)(?P<a>(?:19|20)\\d\\d)\\s+tot\\s+"
                  "(?:[^.;]{0,30}?)(?P<b>(?:19|20)\\d\\d))",
        "parties": {"between": "^(?i:tussen)\\s*:?$", "skip": "^(?i:en|voor\\s+de\\s+periode)\\b",
                    "state": "\\b(?:Federale Staat|Staat|Regering)\\b",
                    "article": "^(?i:de|het)\\s+"},
        "score_norms": "^(?:Norm\\s+(?:te\\s+bepalen|bepaald)|KPI\\s+(?:bepaald|gemeten)"
                       "|Rapportering)|^\\d+(?:[.,]\\d+)?\\s*%\\s*(?:binnen|$)",
        "score_name": "(?i:bestuursovereenkomst)",
    })
    return Case(data["name"], data)


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
Deel II. Beheer
Strategische doelstelling 2 : goed beheren
2. Personeel
Art 2.1.1 en 2.1.2
Het Fonds stelt een personeelsplan op en evalueert het elk jaar met de vakbonden en de raad.
Ondertekend te Brussel
"""


def test_a_dutch_contract_case_is_only_words_and_reads_its_document():
    case = dutch_contract_case()
    doc = Document.from_text("overeenkomst.txt", CONTRACT)
    draft = engine.parse(doc, case=case)
    assert [(n.code, n.parent, n.level) for n in draft.nodes] == [
        ("I", None, "Deel"), ("SD1", "I", "Strategische doelstelling"),
        ("1", "SD1", "Hoofdstuk"), ("1.1", "1", "Afdeling"),
        ("1.1.1", "1.1", "Artikel"), ("1.1.2", "1.1", "Artikel"),
        ("II", None, "Deel"), ("SD2", "II", "Strategische doelstelling"),
        ("2", "SD2", "Hoofdstuk"), ("2.1", "2", "Afdeling"),
        ("2.1.1", "2.1", "Artikel"), ("2.1.2", "2.1", "Artikel")]
    # the section the article implies is created, named with the case's level word
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


def test_the_seed_cases_are_layouts_chosen_by_their_score():
    sheets = SHEETS.encode()
    # the French case's words do not fit the Dutch sheets: the case is not chosen
    assert dict((n, s) for s, n in scores(Document.from_text("m.txt", SHEETS)))[
        "action_sheets"] < 0.8
    draft = parse_bytes("m.txt", sheets)
    assert draft.layout != "action_sheets"
