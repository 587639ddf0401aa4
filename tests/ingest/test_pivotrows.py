"""Rows of a project table flattened into text or given as cells (jalon.ingest.pivotrows), on
small fictitious rows."""

from jalon.ingest import pivotrows as rows
from jalon.ingest.draft import PlanDraft
from jalon.ingest.pivotrows import Ln, Row

LABELS = [["owners", "pilote|trekker"], ["enablers", "appui|ondersteuning"],
          ["steering", "comite|stuurgroep"], ["timing", "echeance|timing"],
          ["code", "^(?:n[°o]|nr)"], ["title", "projet|project"]]


def test_a_header_row_names_the_columns_by_its_labels():
    assert rows.header_columns(("Nr.", "Project", "Trekker", "Stuurgroep", "Timing"), LABELS) == (
        "code", "title", "owners", "steering", "timing")
    assert rows.header_columns(("Project", "Opmerking", "Trekker"), LABELS) is None  # 2 labels


def test_cells_as_fields_a_field_twice_on_two_lines():
    columns = ("code", "title", "owners", "owners", "timing")
    assert rows.cell_values(("GR-1", "Bomen", "An", "Bo", ""), columns, 1) == {
        "title": "Bomen", "owners": "An\nBo"}
    assert rows.cell_values(("", "", "Cas", "", "2027"), columns, 0, {"owners": "An"}) == {
        "owners": "An\nCas", "timing": "2027"}


def _project(draft, code, body):
    node = draft.add(code, code=code, line=body[0].number)
    rows.fill(node, Row(code, code, code.rsplit("-", 1)[0], body[0].number, body), draft)
    return node


def test_a_wrapped_row_is_read_around_its_timing_and_an_untitled_row_takes_its_objective():
    draft = PlanDraft()
    node = _project(draft, "GR-P-1", [Ln(1, " Bomen planten Elk jaar honderd bomen planten"),
                                      Ln(2, ""), Ln(3, "2026-2028 GR-P GR-B CODIR")])
    assert node.title == "Bomen planten"
    assert {k: node.fields[k] for k in ("objective", "start", "end", "owners", "enablers",
                                        "steering")} == {
        "objective": "Elk jaar honderd bomen planten", "start": "2026", "end": "2028",
        "owners": "GR-P", "enablers": "GR-B", "steering": "CODIR"}
    untitled = _project(draft, "GR-P-2", [Ln(5, "    Een register van alle bomen bijhouden"),
                                          Ln(6, ""), Ln(7, "Permanent GR-P")])
    assert untitled.title == "Een register van alle bomen bijhouden"
    assert [w.code for w in draft.warnings] == ["GR-P-2"]


def test_a_code_the_document_prints_in_one_column_goes_back_there():
    draft = PlanDraft()
    nodes = []
    for n in range(4):
        node = draft.add(f"P{n}", code=f"P{n}")
        node.set("owners", "GR-P", 10 * n)
        node.set("steering", "STUUR", 10 * n + 1)
        nodes.append(node)
    odd = draft.add("P9", code="P9")
    odd.set("owners", "GR-B", 90)
    odd.set("enablers", "STUUR", 91)  # the spacing put it one column left
    rows.settle_columns(draft, [*nodes, odd])
    assert odd.fields == {"owners": "GR-B", "steering": "STUUR"}
    assert odd.field_lines["steering"] == 91
    assert [(w.code, w.line) for w in draft.warnings] == [("P9", 91)]
    assert all(n.fields["steering"] == "STUUR" for n in nodes)
