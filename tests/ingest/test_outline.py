"""The outline of a running text (jalon.ingest.outline): headings found among paragraphs of a
text extraction, read by the engine for a case whose JSON has an ``outline`` (fictitious notes
of fictitious bodies, not the seed)."""

from jalon.ingest import engine
from jalon.ingest.cases import Case
from jalon.ingest.document import Document

LANG = ("De gemeente zet in 2026 het werk met de buurtverenigingen voort en versterkt de "
        "begeleiding van de kwetsbaarste gezinnen in alle deelgemeenten.")

NOTA = f"""Beleidsnota 2026
Gemeente Lindebeek

Inhoud

Hoofdstuk 1 Dienstverlening 2
I. Het loket 2
Hoofdstuk 2 Wonen 5

Hoofdstuk 1
Dienstverlening

{LANG}

I. Het loket

{LANG}

1. Openingsuren

{LANG}

De Gemeente Lindebeek wil twee dingen:

1. Langere openingsuren op dinsdag, zodat wie werkt nog langs
kan komen na de dienst.
2. Een afspraaksysteem via de website.

Bereikbaarheid

{LANG}

2. Wachttijden

a) Aan het loket

{LANG}

b) Aan de telefoon

{LANG}

II. Communicatie

{LANG}

Hoofdstuk 2
Wonen

I. Sociale woningen en
huurbegeleiding

{LANG}
"""

CASE = {
    "name": "nota_fictief",
    "levels": ["Hoofdstuk", "Afdeling", "Onderdeel"],
    "outline": {
        "kind": "policy_note",
        "headings": [
            {"kind": "hoofdstuk", "rank": 0, "title_below": True,
             "pattern": r"^Hoofdstuk\s+(?P<code>\d{1,2})\b\s*(?P<title>.*)$"},
            {"kind": "afdeling", "rank": 1,
             "pattern": r"^(?P<code>[IVX]{1,6})(?:\.(?P<sub>[a-z]))?\.\s+(?P<title>\S.*)$"},
            {"kind": "nummer", "rank": 2,
             "pattern": r"^(?P<code>\d{1,2}(?:\.\d{1,2}){0,2})[.)]\s+(?P<title>\S.*)$"},
            {"kind": "letter", "rank": 3, "leaf": True, "letters": True,
             "pattern": r"^(?P<code>[a-h])\)\s+(?P<title>\S.*)$"},
        ],
        "running": "nummer",
        "metadata": {"title_words": r"(?i)\bnota\b", "organization_words": r"(?i)\bgemeente\b",
                     "organization_in_text": r"\bGemeente\s+[A-Z]\w+",
                     "title": r"(?i)^beleidsnota\b"},
    },
}


def read(text: str):
    return engine.parse(Document.from_text("nota.txt", text), case=Case("nota_fictief", CASE))


def test_a_running_text_is_read_by_its_outline():
    draft = read(NOTA)
    assert [(n.code, n.parent, n.level, n.title) for n in draft.nodes] == [
        ("1", None, "Hoofdstuk", "Dienstverlening"),  # the title on the line below
        ("1.I", "1", "Afdeling", "Het loket"),
        ("1.I.1", "1.I", "Onderdeel", "Openingsuren"),
        ("1.I.1.1", "1.I.1", "Onderdeel", "Bereikbaarheid"),  # a headed paragraph
        ("1.I.2", "1.I", "Onderdeel", "Wachttijden"),
        ("1.I.2.a", "1.I.2", "Onderdeel", "Aan het loket"),
        ("1.I.2.b", "1.I.2", "Onderdeel", "Aan de telefoon"),
        ("1.II", "1", "Afdeling", "Communicatie"),
        ("2", None, "Hoofdstuk", "Wonen"),
        ("2.I", "2", "Afdeling", "Sociale woningen en huurbegeleiding"),  # wrapped: joined
    ]
    assert not draft.warnings


def test_numbers_restarting_under_each_parent_keep_their_printed_form():
    draft = read(NOTA)
    assert draft.get("1.I.2").fields["code_as_printed"] == "2"
    assert draft.get("2.I").fields["code_as_printed"] == "I"
    assert draft.get("1.I.2.b").fields["code_as_printed"] == "b"
    assert draft.get("1.I.1.1").derived_code


def test_contents_entries_make_no_node_and_lines_point_at_the_body():
    draft = read(NOTA)
    lines = NOTA.splitlines()
    assert lines[draft.get("1").line - 1] == "Hoofdstuk 1"
    assert draft.get("1").line > lines.index("Inhoud") + 4
    assert lines[draft.get("1.I").line - 1] == "I. Het loket"


def test_a_numbered_list_in_a_paragraph_is_its_description():
    draft = read(NOTA)
    text = draft.get("1.I.1").fields["description"]
    assert "Langere openingsuren op dinsdag" in text and "Een afspraaksysteem" in text
    assert draft.get("1.I.1.1").fields["description"] == LANG


def test_plan_kind_levels_title_and_author():
    draft = read(NOTA)
    assert draft.kind == "policy_note" and draft.layout == "nota_fictief"
    assert draft.levels == ["Hoofdstuk", "Afdeling", "Onderdeel"]
    assert (draft.title, draft.organization, draft.period_start) == (
        "Beleidsnota 2026", "Gemeente Lindebeek", 2026)


def test_top_level_numbers_are_those_that_run_through_the_document():
    text = f"""1. ACCUEIL

I. Guichets

1. Horaires

{LANG}

2. Rendez-vous

{LANG}

2. LOGEMENT

{LANG}

4. FINANCES

{LANG}
"""
    draft = read(text)
    assert [(n.code, n.level) for n in draft.nodes] == [
        ("1", "Hoofdstuk"), ("1.I", "Afdeling"), ("1.I.1", "Onderdeel"),
        ("1.I.2", "Onderdeel"), ("2", "Hoofdstuk"), ("4", "Hoofdstuk")]
    assert [w.line for w in draft.warnings] == [text.splitlines().index("4. FINANCES") + 1]
    assert "attendu 3" in draft.warnings[0].message
    assert draft.title == "nota"  # no title in the text: the file's name, as the engine does


def test_numbers_out_of_sequence_or_without_parent_are_warned():
    text = f"""Hoofdstuk 1 Onderwijs

I. Scholen

1. Gebouwen

{LANG}

3. Leerlingen

{LANG}

2.2.1. Vervoer

{LANG}
"""
    draft = read(text)
    assert [n.code for n in draft.nodes] == ["1", "1.I", "1.I.1", "1.I.3", "1.I.3.1"]
    messages = " | ".join(w.message for w in draft.warnings)
    assert "onderdeel 3" in messages and "attendu 2" in messages
    assert "onderdeel 2.2.1" in messages


def test_the_case_scores_running_text_with_restarting_sections_not_a_list():
    case = Case("nota_fictief", CASE)
    assert case.score(Document.from_text("nota.txt", NOTA)) >= 0.5
    rows = "\n".join(f"{i}. Actie {i} | Dienst Wonen | 2026" for i in range(1, 30))
    assert case.score(Document.from_text("lijst.txt", rows)) <= 0.2
