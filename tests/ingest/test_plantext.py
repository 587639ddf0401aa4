"""What a plan's running text says about the plan and its units (jalon.ingest.plantext), on
small fictitious documents in Dutch and French."""

import re

from jalon.ingest import plantext
from jalon.ingest.pivotrows import Ln

NL = """Stad Lindevoort
Meerjarenplan
2026-2031
Het AGBL beheert de sporthallen. Het AGBL telt veertig medewerkers.
Elk jaar rapporteert het AGBL aan de raad; de VZW Sport helpt. Het AGBL en het AGBL.
We kiezen voor drie speerpunten,
die de raad goedkeurde:
1. Meer sport in de wijken
2. Toegankelijke hallen voor
   iedereen
3. Een zuinig beheer
2 Bijlage""".splitlines()


def test_title_and_period_from_the_line_below():
    words = re.compile(r"(?i)^\W*(meerjarenplan|plan)\b")
    assert plantext.title_and_period(NL, words) == ("Meerjarenplan 2026-2031", 2026, 2031)
    assert plantext.title_and_period(["Plan climat 2025 – 2030"], words) == (
        "Plan climat 2025 – 2030", 2025, 2030)
    assert plantext.title_and_period(["Plan climat"], words) == ("Plan climat", None, None)
    assert plantext.title_and_period(["Rien ici"], words) == ("", None, None)


def test_kind_from_the_title_words():
    kinds = [["pst", "transversal"], ["strategic", "strateg"]]
    assert plantext.kind_of("Programme STRATÉGIQUE transversal", kinds) == "pst"
    assert plantext.kind_of("Plan stratégique", kinds) == "strategic"
    assert plantext.kind_of("Meerjarenplan", kinds) == "other"


def test_the_body_is_the_acronym_it_prints_often_and_names_itself():
    het = re.compile(r"\b[Hh]et\s([A-Z]{3,8})\b")
    assert plantext.own_acronym(NL, het) == "AGBL"
    assert plantext.own_acronym(NL, het, least=6) == ""
    assert plantext.own_acronym(NL, het, skip=lambda t: "raad" in t) == ""


def test_a_numbered_list_announced_by_a_sentence():
    items = plantext.announced_list(NL, re.compile(r"(?i)\bspeerpunten\b"),
                                    lambda t: t.startswith("2 "))
    assert items == ["Meer sport in de wijken", "Toegankelijke hallen voor iedereen",
                     "Een zuinig beheer"]
    assert plantext.announced_list(NL, re.compile("(?i)werven"), lambda t: False) == []


def test_paragraphs_under_a_label_become_fields():
    lines = [Ln(n, t) for n, t in enumerate([
        "Missie :", "", "De hallen openhouden", "voor iedereen.", "Visie (2031) : Een",
        "bruisende stad.", "Projecten:", "Niet meer.", "Missie : nog iets"], 1)]
    got = plantext.labelled_paragraphs(lines, {"description": ["missie"], "objective": ["visie"]},
                                       re.compile("(?i)trekker"))
    assert got == {"description": ("De hallen openhouden\nvoor iedereen.\nnog iets", 1),
                   "objective": ("Een\nbruisende stad.", 5)}
    assert plantext.labelled_paragraphs(lines, {}, re.compile("x")) == {}


def test_describe_puts_it_on_the_draft():
    from jalon.ingest.draft import PlanDraft

    draft = PlanDraft(organization="Stad Lindevoort")
    words = {"title_words": r"(?i)^meerjarenplan\b", "kinds": [["strategic", "meerjaren"]],
             "self_name": r"\b[Hh]et\s([A-Z]{3,8})\b", "announced": r"(?i)speerpunten",
             "announced_key": "speerpunten"}
    plantext.describe(draft, NL, words, lambda t: t.startswith("2 "))
    assert (draft.title, draft.period_start, draft.period_end, draft.kind) == (
        "Meerjarenplan 2026-2031", 2026, 2031, "strategic")
    assert draft.organization == "AGBL" and len(draft.extra["speerpunten"]) == 3
    plantext.describe(draft, ["Geen plan hier"], words, lambda t: False)
    assert (draft.title, draft.kind, draft.organization) == ("", "other", "AGBL")
