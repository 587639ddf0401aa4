"""Value parsers of jalon.core.values: dates, money, FTE, progress, names, items, norms."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jalon.core.values import (
    FuzzyDate,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_period,
    parse_fte,
    parse_fuzzy_date,
    parse_money,
    parse_norm,
    parse_progress,
    split_items,
    split_names,
)
from samples import SEEDS  # noqa: E402  (the packaged copies of shared/seeds)

D = date


# -- fuzzy dates ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end, kind", [
    ("2020-21", D(2020, 1, 1), D(2021, 12, 31), "range"),
    ("2023-2028", D(2023, 1, 1), D(2028, 12, 31), "range"),
    ("2023 - 2024", D(2023, 1, 1), D(2024, 12, 31), "range"),
    ("2022 – 2028", D(2022, 1, 1), D(2028, 12, 31), "range"),
    ("2023 -2028", D(2023, 1, 1), D(2028, 12, 31), "range"),
    ("de 2020 à 2022", D(2020, 1, 1), D(2022, 12, 31), "range"),
    ("09/2019 - 12/2020", D(2019, 9, 1), D(2020, 12, 31), "range"),
    ("2023", D(2023, 1, 1), D(2023, 12, 31), "year"),
    ("En 2023", D(2023, 1, 1), D(2023, 12, 31), "year"),
    ("09/2019", D(2019, 9, 1), D(2019, 9, 30), "month"),
    ("2/2024", D(2024, 2, 1), D(2024, 2, 29), "month"),
    ("juin 2020", D(2020, 6, 1), D(2020, 6, 30), "month"),
    ("Février 2021", D(2021, 2, 1), D(2021, 2, 28), "month"),
    ("01/01/20", D(2020, 1, 1), D(2020, 1, 1), "day"),
    ("31/12/2024", D(2024, 12, 31), D(2024, 12, 31), "day"),
    ("31.03.2023", D(2023, 3, 31), D(2023, 3, 31), "day"),
    ("1er janvier 2022", D(2022, 1, 1), D(2022, 1, 1), "day"),
    ("fin 2024", D(2024, 10, 1), D(2024, 12, 31), "quarter"),
    ("début 2021", D(2021, 1, 1), D(2021, 3, 31), "quarter"),
    ("1er semestre 2021", D(2021, 1, 1), D(2021, 6, 30), "semester"),
    ("S1 2021", D(2021, 1, 1), D(2021, 6, 30), "semester"),
    ("2e semestre 2022", D(2022, 7, 1), D(2022, 12, 31), "semester"),
    ("T3 2022", D(2022, 7, 1), D(2022, 9, 30), "quarter"),
    ("3e trimestre 2022", D(2022, 7, 1), D(2022, 9, 30), "quarter"),
    ("2ème trimestre 2022", D(2022, 4, 1), D(2022, 6, 30), "quarter"),
    ("2024 Q1", D(2024, 1, 1), D(2024, 3, 31), "quarter"),
    ("janvier-juin 2021", D(2021, 1, 1), D(2021, 6, 30), "range"),
    ("2020-21-22", D(2020, 1, 1), D(2022, 12, 31), "range"),
    ("2021, 2022", D(2021, 1, 1), D(2022, 12, 31), "range"),
    ("Fin du 1er semestre 2022", D(2022, 1, 1), D(2022, 6, 30), "semester"),
    ("Au plus tard le 31/12/2024", D(2024, 12, 31), D(2024, 12, 31), "day"),
    ("1999-00", D(1999, 1, 1), D(2000, 12, 31), "range"),
])
def test_dates_with_a_range(text, start, end, kind):
    fd = parse_fuzzy_date(text)
    assert (fd.start, fd.end, fd.kind) == (start, end, kind)
    assert fd.valid
    assert fd.text == text


@pytest.mark.parametrize("text", ["Continu", "Permanent", "En continu", "continu ", "Permanente"])
def test_open_dates(text):
    fd = parse_fuzzy_date(text)
    assert fd.kind == "open" and fd.valid
    assert fd.end is None


@pytest.mark.parametrize("text, start, end", [
    ("dès 2023", D(2023, 1, 1), None),
    ("à partir de 2022", D(2022, 1, 1), None),
    ("2022 et suivantes", D(2022, 1, 1), None),
    ("2020 - …", D(2020, 1, 1), None),
    ("Continu depuis 2021", D(2021, 1, 1), None),
    ("Continu (2023-2028)", D(2023, 1, 1), D(2028, 12, 31)),
    ("Annuel", None, None),
    ("En cours", None, None),
])
def test_open_dates_with_a_start(text, start, end):
    fd = parse_fuzzy_date(text)
    assert (fd.kind, fd.start, fd.end) == ("open", start, end)


@pytest.mark.parametrize("text, kind, start, end", [
    ("2021; Réalisé", "done", D(2021, 1, 1), D(2021, 12, 31)),
    ("Continu; 2023", "open", D(2023, 1, 1), None),
    ("2023; 2024", "range", D(2023, 1, 1), D(2024, 12, 31)),
    ("2023; 2à24", "invalid", None, None),
])
def test_several_values_joined_by_a_parser(text, kind, start, end):
    fd = parse_fuzzy_date(text)
    assert (fd.kind, fd.start, fd.end) == (kind, start, end)


@pytest.mark.parametrize("text", ["T + 4 ans", "T+4 ans", "t +4 ans"])
def test_relative_dates(text):
    fd = parse_fuzzy_date(text)
    assert (fd.kind, fd.offset_years, fd.start, fd.end) == ("relative", 4, None, None)
    assert fd.valid
    fd = parse_fuzzy_date(text, reference_year=2019)
    assert (fd.start, fd.end) == (D(2019, 1, 1), D(2023, 12, 31))


def test_done():
    fd = parse_fuzzy_date("Réalisé")
    assert fd.kind == "done" and fd.valid and fd.start is None
    fd = parse_fuzzy_date("Réalisé en 2022")
    assert (fd.kind, fd.start, fd.end) == ("done", D(2022, 1, 1), D(2022, 12, 31))


@pytest.mark.parametrize("text", ["2023-2à24", "32/01/2020", "2020-2019", "13/2020", "abc",
                                  "3024", "T5 2022", "2020-21-19", "2020-99", "à définir"])
def test_invalid_dates_keep_their_text(text):
    fd = parse_fuzzy_date(text)
    assert fd.kind == "invalid" and not fd.valid
    assert fd.text == text and fd.start is None and fd.end is None


def test_words_around_a_date():
    fd = parse_fuzzy_date("2025 - 2027 (En cours)")
    assert (fd.start, fd.end) == (D(2025, 1, 1), D(2027, 12, 31))


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_date_is_none(text):
    assert parse_fuzzy_date(text) is None


def test_fuzzy_date_is_frozen():
    fd = parse_fuzzy_date("2023")
    assert isinstance(fd, FuzzyDate)
    with pytest.raises(AttributeError):
        fd.kind = "day"  # type: ignore[misc]


def test_timing_column_of_the_project_annex():
    """Every timing cell alone on its line in the OCASC annex is understood."""
    path = SEEDS / "000_8a41bf1af2e14d4d.txt"
    if not path.exists():
        pytest.skip("seeds not available")
    cells = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()
             if re.fullmatch(r"\s*(20\d\d(\s*[-–]\s*20\d\d)?|Continu|Permanent|Réalisé)\s*", ln)]
    assert len(cells) > 20
    assert all(parse_fuzzy_date(c).valid for c in cells)


# -- money ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, amounts", [
    ("5 M€", [5_000_000]),
    ("600.000€", [600_000]),
    ("1,8 M", [1_800_000]),
    ("7500 (mise en œuvre) / 6400 (maintenance annuelle)", [7500, 6400]),
    ("2500€", [2500]),
    ("1.234,56 €", [1234.56]),
    ("15 k€", [15_000]),
    ("15K€", [15_000]),
    ("350.000 euros", [350_000]),
    ("€ 5.136.000.", [5_136_000]),
    ("8 500 euros", [8500]),
    ("22.4 Mio EUR", [22_400_000]),
    ("+/- 7000€", [7000]),
    ("Mobilier → 8.000€ + frais de déménagement", [8000]),
    ("30.000.000€ estimé à ce jour (2019).", [30_000_000]),
    ("2020 - 2021 : subside (20.000€)", [20_000]),
    ("entre 8 et 10 millions d'euros par an", [8_000_000, 10_000_000]),
    ("Soit 5 M€ soit 2,5 M€", [5_000_000, 2_500_000]),
    ("12000", [12000]),
    ("2020", [2020]),  # alone in a money field, a number is an amount
    ("Budget en cours de détermination avec J2P", []),
    ("Coût à évaluer en partenariat avec le service technique", []),
    ("En 2020, 15 %", []),
    ("3 phases de 150 jours", []),
    ("Achat à Mons en 2024", []),
    ("", []),
])
def test_money(text, amounts):
    assert parse_money(text) == amounts


@pytest.mark.parametrize("x, text", [(2500, "2.500 €"), (1234.56, "1.234,56 €"),
                                     (5_000_000, "5.000.000 €"), (0.5, "0,50 €")])
def test_money_formatting_round_trip(x, text):
    assert format_money(x) == text
    assert parse_money(text) == [x]


@pytest.mark.parametrize("x, text", [(45, "45 %"), (45.46, "45,5 %"), (69.98, "70 %"),
                                     (Decimal("70.00"), "70 %"), (12.5, "12,5 %"),
                                     (1234.5, "1.234,5 %"), (None, "")])
def test_percentages_show_one_decimal_at_most_and_none_when_whole(x, text):
    assert format_percent(x) == text


@pytest.mark.parametrize("key, fr, nl, en", [
    ("2026-Q1", "T1 2026", "K1 2026", "Q1 2026"), ("2026-03", "mars 2026", "maart 2026",
                                                   "March 2026"),
    ("2026", "2026", "2026", "2026"), (None, "", "", ""), ("n.d.", "n.d.", "n.d.", "n.d.")])
def test_periods_are_written_as_people_write_them_in_each_language(key, fr, nl, en):
    from django.utils import translation

    for language, text in (("fr", fr), ("nl", nl), ("en", en)):
        with translation.override(language):
            assert format_period(key) == text


def test_number_and_date_formatting():
    assert format_number(1234) == "1.234"
    assert format_number(1234.5, 2) == "1.234,50"
    assert format_number(999) == "999"
    assert format_number(2.5) == "3"  # half up, as people round
    assert format_number(1234.565, 2) == "1.234,57"
    assert format_number(-1234567) == "-1.234.567"
    assert format_number(None) == ""
    assert format_date(D(2024, 12, 31)) == "31/12/2024"
    assert format_date(D(2020, 1, 5)) == "05/01/2020"


# -- FTE and progress -------------------------------------------------------------------------

@pytest.mark.parametrize("text, fte", [
    ("0,5 ETP", 0.5), ("1", 1.0), ("1 (en phase de conception)", 1.0), ("2 ETP", 2.0),
    ("½ ETP", 0.5), ("1½ ETP", 1.5), ("1 ETP + 0,5 ETP", 1.5), ("Humaines (ETP) : 2", 2.0),
    ("mi-temps", 0.5), ("un demi ETP", 0.5), ("1/2 ETP", 0.5), ("3/4 ETP", 0.75),
    ("Une personne en sus", 1.0), ("deux agents", 2.0), ("une étude", None), (0.8, 0.8),
    ("à déterminer", None), ("Au minimum 2 à 3 personnes", None),
    ("2019", None), ("", None), (None, None),
])
def test_fte(text, fte):
    assert parse_fte(text) == fte


@pytest.mark.parametrize("text, pct", [
    ("75 %", 75), ("+/- 35 %", 35), ("100%", 100), ("± 50%", 50), ("0 %", 0), ("75", 75),
    ("12,5 %", 12), (40, 40), ("150 %", None), ("-5 %", None), ("abc", None), ("0,5", None),
    ("", None), (None, None), (101, None),
])
def test_progress(text, pct):
    assert parse_progress(text) == pct


# -- names and items --------------------------------------------------------------------------

@pytest.mark.parametrize("text, names", [
    ("Marie Dupont/ Paul Martin/ Anne Leroy", ["Marie Dupont", "Paul Martin", "Anne Leroy"]),
    ("SERVICE JURIDIQUE/ INFORMATIQUE", ["SERVICE JURIDIQUE", "INFORMATIQUE"]),
    ("Adm + soc", ["Adm", "soc"]),
    ("DG, DF; Codir", ["DG", "DF", "Codir"]),
    ("Finances et RH & Codir", ["Finances", "RH", "Codir"]),
    ("• Service social\n• Service RH\n- Codir", ["Service social", "Service RH", "Codir"]),
    ("Codir / codir / CODIR", ["Codir"]),
    ("Direction (DG, DF) et Codir", ["Direction (DG, DF)", "Codir"]),
    ("DS-C DS-H", ["DS-C", "DS-H"]),
    ("CPAS de Binche", ["CPAS de Binche"]),
    (" / ; ", []),
    (["A / B", "C"], ["A", "B", "C"]),
])
def test_split_names(text, names):
    assert split_names(text) == names


@pytest.mark.parametrize("text, items", [
    ("• Perte des télécommunications tant que la technologie n'est\npas déployée\n\n"
     "• Recours (perte de temps)\n• Annulation par la tutelle",
     ["Perte des télécommunications tant que la technologie n'est pas déployée",
      "Recours (perte de temps)", "Annulation par la tutelle"]),
    ("1. Analyse\n2. Marché\npublic\n3. Suivi", ["Analyse", "Marché public", "Suivi"]),
    ("a) x\nb) y", ["x", "y"]),
    ("- un\n– deux\n* trois\n· quatre\n◦ cinq\n▪ six", ["un", "deux", "trois", "quatre", "cinq",
                                                     "six"]),
    ("• A • B • C", ["A", "B", "C"]),
    ("- a - b", ["a", "b"]),
    ("1. un 2. deux 3. trois", ["un", "deux", "trois"]),
    ("- Réunion 2023 - 2024", ["Réunion 2023 - 2024"]),
    ("Nouveaux centraux,\nnouveaux abonnements.", ["Nouveaux centraux, nouveaux abonnements."]),
    ("Action à réaliser :\n• a ;\n• b", ["Action à réaliser :", "a", "b"]),
    ("commen-\ntaire", ["commentaire"]),
    ("", []),
])
def test_split_items(text, items):
    assert split_items(text) == items


# -- norms ------------------------------------------------------------------------------------

def test_two_tier_norm():
    n = parse_norm("80 % dans les 5 jours ouvrables / 100 % dans le mois")
    assert n.state == "defined" and len(n.tiers) == 2
    a, b = n.tiers
    assert (a.value, a.unit, a.within, a.within_days, a.working_days) == (
        80, "%", "les 5 jours ouvrables", 5, True)
    assert (b.value, b.unit, b.within, b.within_days, b.working_days) == (
        100, "%", "le mois", None, False)


def test_two_tier_norm_over_wrapped_cell():
    n = parse_norm("80 % dans les 10 jours\n100 % dans les 28 jours")
    assert [(t.value, t.within_days) for t in n.tiers] == [(80, 10), (100, 28)]


@pytest.mark.parametrize("text, state, values", [
    ("94 %", "defined", [94]),
    ("Norme à définir", "to_define", []),
    ("à définir", "to_define", []),
    ("xx jours", "to_define", []),
    ("XX %", "to_define", []),
    ("KPI défini", "defined", []),
    ("Monitoring", "monitoring", []),
    ("Rapportage périodique", "monitoring", []),
    ("KPI mesuré / Rapportage périodique", "monitoring", []),
    ("Norme définie / Rapportage périodique", "defined", []),
    ("Un KPI est défini, une norme est validée / KPI mesuré", "defined", []),
    ("Norme à définir / Rapportage périodique", "to_define", []),
    ("95 % en 2 semaines", "defined", [95]),
])
def test_norm_states(text, state, values):
    n = parse_norm(text)
    assert n.state == state
    assert [t.value for t in n.tiers] == values


# -- robustness -------------------------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(
    list("0123456789/.,-–%€ MkKTSe+½•\n")), max_size=60)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.one_of(st.none(), st.integers(-10, 10000)))
def test_parsers_never_raise(text, year):
    fd = parse_fuzzy_date(text, year)
    if fd is not None:
        assert fd.kind in ("day", "month", "quarter", "semester", "year", "range", "open",
                           "relative", "invalid", "done")
        if fd.start and fd.end:
            assert fd.start <= fd.end
    assert all(isinstance(x, float) for x in parse_money(text))
    parse_fte(text)
    p = parse_progress(text)
    assert p is None or 0 <= p <= 100
    assert all(n.strip() == n and n for n in split_names(text))
    assert all(i for i in split_items(text))
    assert parse_norm(text).state in ("to_define", "defined", "monitoring")


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0, max_value=1e9, allow_nan=False).map(lambda x: round(x, 2)))
def test_format_money_round_trips(x):
    assert parse_money(format_money(x)) == [x]
