"""Numbered headings that become nodes only when their first item arrives
(jalon.ingest.pendingheadings), on a small fictitious document."""

import re

from jalon.ingest.draft import PlanDraft
from jalon.ingest.pendingheadings import Headings
from jalon.ingest.pivotrows import Ln

HEADING = re.compile(r"^\s*(?P<num>\d{1,2}(?:\.\d{1,2}){0,5})(?P<dot>\.?)\s+(?P<title>\S.*?)\s*$")

TEXT = [
    "Inhoud",
    "1 Inleiding ........ 2",
    "2 Bijlage ........ 3",
    "2.1 De afdeling Wegen ........ 3",
    "2.2 De afdeling Groen ........ 4",
    "1 Inleiding",
    "Het bestuur kiest drie werven:",
    "1. Veiliger fietspaden",
    "2. Meer groen",
    "2 Bijlage",
    "2.1 De afdeling Wegen",
    "2.1.1 Dienst Fietspaden",
    "2.1.2 Dienst Bruggen",
    "2.2 De afdeling Groen",
    "3 Niet in de inhoud",
    "2.2.3 Dienst Parken",
]


def test_numbers_that_continue_the_open_ones_and_the_contents_are_headings():
    heads = Headings(TEXT, HEADING)
    opened = [t for n, t in enumerate(TEXT, 1) if heads.read(Ln(n, t))]
    assert [h.number for h in heads.all] == ["1", "2", "2.1", "2.1.1", "2.1.2", "2.2"]
    assert "1. Veiliger fietspaden" not in opened  # a list in the prose: "1." is not "1"
    assert "3 Niet in de inhoud" not in opened  # not in the table of contents
    assert "2.2.3 Dienst Parken" not in opened  # 2.2 has no 2.2.1 yet
    assert heads.current.title == "De afdeling Groen"
    assert heads.match("2.1 wegen") is None  # a title starts with a capital


def test_a_heading_becomes_a_node_with_its_ancestors_only_when_asked():
    draft = PlanDraft()
    heads = Headings(TEXT, HEADING)
    for n, t in enumerate(TEXT, 1):
        heads.read(Ln(n, t))
    bridges = next(h for h in heads.all if h.number == "2.1.2")
    assert heads.node_of(draft, bridges) == "2.1.2"
    assert heads.node_of(draft, bridges) == "2.1.2"  # once
    assert [(n.code, n.parent, n.line) for n in draft.nodes] == [
        ("2", None, 10), ("2.1", "2", 11), ("2.1.2", "2.1", 13)]


def test_headings_marked_by_style_are_numbered_from_their_level():
    heads = Headings([], HEADING)
    for n, (text, style) in enumerate([("Afdeling Cultuur", "Heading 1"),
                                       ("Dienst Musea", "Heading 2"),
                                       ("Dienst Bibliotheek", "Kop 2 / Heading 2"),
                                       ("Afdeling Sport", "Titre 1")], 1):
        assert heads.read(Ln(n, text, style))
    assert [(h.number, h.title, h.printed) for h in heads.all] == [
        ("1", "Afdeling Cultuur", False), ("1.1", "Dienst Musea", False),
        ("1.2", "Dienst Bibliotheek", False), ("2", "Afdeling Sport", False)]


def test_a_lone_title_above_the_units_is_dropped_unless_it_names_a_unit():
    def tree(top_title):
        draft = PlanDraft()
        heads = Headings([], HEADING)
        for n, t in enumerate([f"3 {top_title}", "3.1 Afdeling Wegen", "3.1.1 Dienst Bruggen",
                               "3.2 Afdeling Groen"], 1):
            heads.read(Ln(n, t))
        for h in heads.all[2:]:
            draft.add("werf", code=f"W{h.number}", parent=heads.node_of(draft, h), level="Werf")
        heads.drop_lone_root(draft, "Werf", r"^(?:de )?afdeling")
        return [(n.code, n.parent) for n in draft.nodes if n.level != "Werf"]

    assert tree("Bijlagen") == [("3.1", None), ("3.1.1", "3.1"), ("3.2", None)]
    assert tree("Afdeling Publieke Ruimte") == [("3", None), ("3.1", "3"), ("3.1.1", "3.1"),
                                                ("3.2", "3")]
