"""General parts the case «letter_codes» uses, each on a small fictitious document: the column
header repeated on each page (textrows.HeaderBlock), table rows flattened into text or given
as cells (textrows.read_rows), named top groups over letter-coded items (namedgroups) and
the plan's header (planheader)."""

from __future__ import annotations

from jalon.ingest import namedgroups, planheader, textrows
from jalon.ingest.document import Line
from jalon.ingest.draft import PlanDraft

# -- the header block of a flattened table --------------------------------------------------


def test_a_wrapped_header_block_is_skipped_until_the_first_item() -> None:
    header = textrows.HeaderBlock(["actie", "verantwoordelijke", "termijn", "budget"],
                                  ["van", "de", "uitvoering"])
    lines = ["Actie   Verantwoordelijke", "van de", "", "uitvoering  Budget  Termijn",
             "Fietspaden verbreden", "Termijn"]
    skipped = [header.skip(Line(i, t), " ".join(t.split())) for i, t in enumerate(lines, 1)]
    assert skipped == [True, True, True, True, False, False]  # one strong word: a title
    assert header.skip(Line(7, "Actie Budget"), "Actie Budget", item=True) is False
    assert header.columns is None


def test_a_header_given_as_cells_tells_the_columns() -> None:
    header = textrows.HeaderBlock(["titel", "budget", "termijn"], [])
    cells = ("Titel", "Domein", "Verantwoordelijke", "Budget", "Einddatum", "Indicator")
    assert header.skip(Line(1, " | ".join(cells), cells=cells), "x")
    assert header.columns == {0: "title", 1: "domain", 2: "owners", 3: "funding",
                              4: "deadline", 5: "indicator"}


# -- rows ----------------------------------------------------------------------------------


def _rows(draft: PlanDraft, *rows) -> list[textrows.Row]:
    out = []
    for code, lines, cells in rows:
        node = draft.add("", code=code, line=lines[0][0], level="Action")
        out.append(textrows.Row(node, code, lines[0][0], list(lines), cells))
    return out


def test_flattened_rows_are_cut_into_their_cells() -> None:
    draft = PlanDraft()
    rows = _rows(draft,
                 ("M1", [(10, "Installer des bornes de recharge près de la gare"), (11, ""),
                         (12, "Mobilité  ZB  Subside RW 20.000€  2027  Bornes posées")], None),
                 ("M2", [(20, "Former les agents à l'accueil  RH  MP  0,5 ETP  Continu")],
                  None),
                 ("M3", [(30, "Rénover la salle des fêtes")], None))
    textrows.read_rows(draft, rows, None, lambda cell: None, "Action")
    m1 = draft.get("M1")
    assert m1.title == "Installer des bornes de recharge près de la gare"
    assert (m1.fields["domain"], m1.fields["owners"], m1.fields["funding"],
            m1.fields["deadline"]) == ("Mobilité", "ZB", "Subside RW 20.000€", "2027")
    assert m1.field_lines["deadline"] == 12
    assert m1.fields["budget_eur"] == "Subside RW 20.000€"
    assert m1.fields["indicators"][0]["name"] == "Bornes posées"
    assert draft.get("M2").fields["fte"] == "0,5 ETP"
    assert draft.get("M3").title == "Rénover la salle des fêtes"
    assert [(w.code, w.line) for w in draft.warnings if "échéance" in w.message] == [("M3", 30)]


def test_rows_given_as_cells_continue_on_the_next_row_and_follow_the_header() -> None:
    draft = PlanDraft()
    [row] = _rows(draft, ("W1.1", [(5, "")], ("W1.1", "Sociale woningen", "Wonen", "/")))
    row.add(Line(6, " | bouwen | |", cells=("", "bouwen", "", "")))
    row.add(Line(7, "(fase 2)"))  # a text line of a cells row is kept, never merged
    titled = {"W1.1": ""}.get  # the code alone in its cell
    textrows.read_rows(draft, [row], {1: "title", 2: "domain", 3: "funding"}, titled, "Actie")
    node = draft.get("W1.1")
    assert node.title == "Sociale woningen bouwen"
    assert node.fields["domain"] == "Wonen"
    assert row.lines == [(5, ""), (7, "(fase 2)")]
    without_header = textrows.split_cells(row, None, titled)
    assert without_header.title == "Sociale woningen bouwen"  # after the code's own cell
    assert without_header.cells["domain"] == ("Wonen", 5)


# -- named groups --------------------------------------------------------------------------


def _preamble() -> namedgroups.Preamble:
    pre = namedgroups.Preamble()
    pre.read("Meerjarenplan 2026-2031 van de gemeente Lindebeek", 1)
    pre.read("Strategische doelstellingen", 2)
    pre.listing = True  # the caller saw the line announcing the list
    for number, text in enumerate(["• Wonen", "", "Zorg en welzijn",
                                   "Wonen : Betaalbaar wonen voor elke inwoner",
                                   "Zorg en welzijn : Niemand valt uit de boot"], 3):
        pre.read(text, number)
    return pre


def test_the_preamble_lists_names_and_definitions() -> None:
    pre = _preamble()
    assert pre.names == [("Wonen", 3), ("Zorg en welzijn", 5)]
    assert [d[:2] for d in pre.definitions] == [("Wonen", "Betaalbaar wonen voor elke inwoner"),
                                                ("Zorg en welzijn", "Niemand valt uit de boot")]
    assert pre.title == "Meerjarenplan 2026-2031 van de gemeente Lindebeek"
    assert not pre.listing


def test_a_heading_takes_the_name_and_the_letter_of_its_items() -> None:
    pre = _preamble()
    assert namedgroups.group(pre, "WONEN", {"W"}, set()) == (
        "Wonen", "W", ("Betaalbaar wonen voor elke inwoner", 6))
    assert namedgroups.group(pre, ": ZORG", {"Z"}, {"Z"})[1] is None  # Z taken: numbered
    assert namedgroups.group(pre, "Zorg", {"Z", "W"}, set())[1] is None  # no single letter
    assert namedgroups.code_for("Ressources humaines", {"RH"}) == "RH"
    assert namedgroups.code_for("Mobilité", {"E"}) is None


def test_the_letters_ahead_stop_at_the_next_group() -> None:
    lines = [Line(i, t) for i, t in enumerate(["DOEL WONEN", "W1 Bouwen", "W2 Renoveren",
                                               "DOEL ZORG", "Z1 Thuiszorg"], 1)]
    letters = namedgroups.letters_ahead(lines, lines[0], lambda x: x.text.startswith("DOEL"),
                                        lambda x: x.text.split()[0] if x.text[1] != "O" else None)
    assert letters == {"W"}


def test_without_headings_the_names_group_the_items_by_initial() -> None:
    draft = PlanDraft()
    for code in ("Z1", "W1", "W2", "Q1"):
        draft.add(f"Doel {code}", code=code, line=10, level="Operationele doelstelling")
    namedgroups.group_by_names(draft, _preamble(), ["Z1", "W1", "W2", "Q1"], "Strategische")
    assert [(n.code, n.parent) for n in draft.nodes] == [
        ("W", None), ("Z", None), ("Z1", "Z"), ("W1", "W"), ("W2", "W"), ("Q1", None)]
    assert draft.get("Z").fields["description"] == "Niemand valt uit de boot"


# -- the plan's header ---------------------------------------------------------------------


def test_the_plan_header_from_the_first_lines() -> None:
    draft = PlanDraft()
    lines = [Line(1, "2026 - 2031 : Plan stratégique transversal"),
             Line(2, "Approuvé par le conseil du CPAS de Val-Fleuri")]
    words = {"kinds": {"pst": [r"\bplan strategique transversal\b"]},
             "organization": r"\b(?P<body>CPAS|Commune)\s+de\s+(?P<place>[A-Z][\w-]+)",
             "form": "{body} de {place}"}
    planheader.read(draft, lines, lines[0].text, words)
    assert (draft.period_start, draft.period_end) == (2026, 2031)
    assert draft.title == "Plan stratégique transversal"
    assert (draft.kind, draft.organization) == ("pst", "CPAS de Val-Fleuri")
    planheader.read(draft, [Line(1, "Nota")], "Nota", {})
    assert (draft.kind, draft.period_start, draft.title) == ("other", None, "Nota")


def _engine():
    from jalon.ingest.document import Document
    from jalon.ingest.engine import Engine

    return Engine(Document("plan.txt", []))


def test_a_group_heading_opens_a_node_with_its_letter_and_definition() -> None:
    eng = _engine()
    node = namedgroups.open_group(eng, Line(12, "DOEL WONEN"), _preamble(), "WONEN", {"W"},
                                  "Strategische doelstelling")
    assert (node.code, node.title, node.derived_code) == ("W", "Wonen", False)
    assert node.fields["description"] == "Betaalbaar wonen voor elke inwoner"
    other = namedgroups.open_group(eng, Line(30, "DOEL MOBILITEIT"), _preamble(),
                                   "Mobiliteit", {"F"}, "Strategische doelstelling")
    assert (other.code, other.derived_code) == ("2", True)  # F is not its initial


def _number(code: str):
    from jalon.ingest.numbering import Number, code_parts

    return Number(("test",), code, code, code_parts(code), "", "Doel")


def test_an_item_goes_under_the_parent_its_code_names() -> None:
    eng = _engine()
    eng.add_node("Wonen", None, None, 1, "Groep")  # code 1, derived
    w1 = eng.add_node("Bouwen", _number("W1"), "1", 2, "Doel")
    moved, made = "%(code)s buiten %(oo)s", "%(oo)s ontbreekt voor %(code)s"
    assert namedgroups.parent_of(eng, "W1.1", 3, "W1", "Doel", None, moved, made) == "W1"
    assert namedgroups.parent_of(eng, "W1.2", 5, "Z1", "Doel", None, moved, made) == "W1"
    assert namedgroups.parent_of(eng, "Z2.1", 7, "Z1", "Doel", "1", moved, made) == "Z2"
    assert eng.draft.get("Z2").parent == "1" and w1.code == "W1"
    assert [(w.message, w.line) for w in eng.draft.warnings] == [
        ("W1.2 buiten W1", 5), ("Z2 ontbreekt voor Z2.1", 7)]


def test_the_score_rewards_a_tree_of_letter_codes() -> None:
    def read(ln):
        word = ln.text.split()[0]
        if word == "DOEL":
            return "group", None
        if word[:1] in "WZ":
            return ("leaf" if "." in word else "parent"), word
        return None

    tree = [Line(i, t) for i, t in enumerate(
        ["DOEL WONEN", "Actie Termijn Budget", "W1 Bouwen", "W1.1 a", "W1.2 b", "W2 Huren",
         "W2.1 c", "W2.2 d", "Z1 Zorgen", "Z1.1 e", "Z1.2 f"], 1)]
    opens = lambda ln: ln.text.startswith("Actie")  # noqa: E731
    assert namedgroups.score(tree, read, opens) == 1.0
    scattered = [Line(i, t) for i, t in enumerate(["W1 x", "Z7.1 a", "Z8.1 b", "W9.2 c"], 1)]
    assert namedgroups.score(scattered, read, opens) < 0.1  # actions under no objective
    assert namedgroups.score([], read, opens) == 0.0


# -- the engine: a heading named, its items lettered ---------------------------------------

LETTERED = """\
Meerjarenplan 2026-2031 van de gemeente Lindebeek

STRATEGISCHE DOELSTELLING WONEN

Operationele doelstelling W1: Meer betaalbare woningen
W1.1 Sociale woningen bouwen aan de Beekstraat
W1.2 Leegstand belasten

Operationele doelstelling W2: Beter wonen voor senioren
W2.1 Aanpasbare woningen ondersteunen

STRATEGISCHE DOELSTELLING ZORG

Operationele doelstelling Z1: Thuiszorg versterken
Z1.1 Een zorgloket openen

GEMEENSCHAPSLEVEN

Operationele doelstelling K1: Verenigingen ondersteunen
K1.1 Subsidiereglement herzien

BIJLAGEN

1. Begroting
2. Personeelsplan
"""


def test_the_engine_gives_a_named_heading_the_letter_of_its_items() -> None:
    from jalon.ingest import engine
    from jalon.ingest.document import Document

    draft = engine.parse(Document.from_text("lindebeek.txt", LETTERED))
    top = [(n.code, n.derived_code) for n in draft.nodes if n.parent is None]
    # K is not the initial of «Gemeenschapsleven»; the appendix holds numbers, not letters
    assert top == [("W", False), ("Z", False), ("3", True), ("4", True)]
    assert [(n.code, n.parent) for n in draft.nodes if n.code.startswith("W")] == [
        ("W", None), ("W1", "W"), ("W1.1", "W1"), ("W1.2", "W1"), ("W2", "W"),
        ("W2.1", "W2")]
    assert draft.get("Z1.1").parent == "Z1" and draft.get("Z1").parent == "Z"
    assert draft.get("3.K1").parent == "3"  # a derived parent qualifies its items, as before
