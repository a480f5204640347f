"""Dutch report sentences: numbers, comparisons, bases, unknowns and suppression."""

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mim.reports.text import (
    MINUS,
    SUPPRESSED,
    Noun,
    Suppressed,
    compare_count,
    compare_share,
    completeness_sentence,
    count_noun,
    fmt_change,
    fmt_decimal,
    fmt_int,
    fmt_pct,
    fmt_pp,
    fmt_share,
    list_phrase,
    migrant_background_sentence,
    multi_answer_note,
    multi_answer_sentence,
    noun,
    range_sentence,
    ranked_categories_sentence,
    share_range_sentence,
)

YEARS = {"year": 2025, "previous_year": 2024}
SHARE_LABEL = "het aandeel moeders met een migratieachtergrond"
NUMBER = re.compile(r"\d{1,3}(?:\.\d{3})+|\d+")


def numbers_in(text: str) -> set[int]:
    """Every whole number a reader sees, thousands points removed."""
    return {int(n.replace(".", "")) for n in NUMBER.findall(text)}


# --- number formatting -----------------------------------------------------------------------


def test_it_groups_thousands_with_a_point():
    assert fmt_int(841) == "841"
    assert fmt_int(1234) == "1.234"
    assert fmt_int(1234567) == "1.234.567"


def test_it_writes_decimals_with_a_comma():
    assert fmt_decimal(Decimal("1234.56")) == "1.234,6"
    assert fmt_decimal(0.25) == "0,3"  # half up, not to even


def test_it_uses_a_real_minus_sign():
    assert fmt_int(-1234) == f"{MINUS}1.234"
    assert fmt_decimal(-0.64) == f"{MINUS}0,6"
    assert fmt_pp(-2) == f"{MINUS}2 procentpunten"
    assert "-" not in fmt_pp(-2)


def test_it_rounds_percentages_half_up_to_whole_numbers():
    assert fmt_pct(Decimal("34.46")) == "34%"
    assert fmt_pct(Decimal("34.5")) == "35%"
    assert fmt_pct(33.5) == "34%"
    assert fmt_pct(26.75) == "27%"
    assert fmt_pct(0) == "0%"


def test_it_says_procentpunt_for_one_and_procentpunten_for_more():
    assert fmt_pp(1) == "+1 procentpunt"
    assert fmt_pp(-1) == f"{MINUS}1 procentpunt"
    assert fmt_pp(3) == "+3 procentpunten"
    assert fmt_pp(Decimal("0.4")) == "0 procentpunten"


def test_it_gives_a_relative_change_of_a_count_in_percent():
    assert fmt_change(841, 836) == "+0,6%"
    assert fmt_change(836, 841) == f"{MINUS}0,6%"
    assert fmt_change(5, 0) is None
    assert fmt_change(10001, 10000) is None  # would read "+0,0%"


def test_it_never_rounds_some_to_zero_or_not_all_to_everyone():
    assert fmt_share(1, 841) == "minder dan 1%"
    assert fmt_share(840, 841) == "meer dan 99%"
    assert fmt_share(841, 841) == "100%"
    assert fmt_share(0, 841) == "0%"


def test_it_refuses_a_part_larger_than_its_whole():
    with pytest.raises(ValueError):
        fmt_share(842, 841)


def test_it_enumerates_the_dutch_way():
    assert list_phrase([]) == ""
    assert list_phrase(["Ede"]) == "Ede"
    assert list_phrase(["Ede", "Best"]) == "Ede en Best"
    assert list_phrase(["Ede", "Best", "Dordrecht"]) == "Ede, Best en Dordrecht"


def test_it_chooses_singular_or_plural():
    assert count_noun(1, "locaties") == "1 locatie"
    assert count_noun(2, "locaties") == "2 locaties"
    assert count_noun(0, "locaties") == "geen locaties"
    assert count_noun(1, Noun("kind", "kinderen")) == "1 kind"
    assert count_noun(1, ("groep", "groepen")) == "1 groep"


def test_it_refuses_a_noun_it_cannot_make_singular():
    with pytest.raises(ValueError):
        noun("kinderen")


# --- compare_count ---------------------------------------------------------------------------


def test_it_reports_an_increase():
    text = compare_count("MIM-moeders", 841, 836, **YEARS)
    assert text == "In 2025 waren er 841 MIM-moeders, 5 meer dan in 2024 (+0,6%)."


def test_it_reports_a_decrease():
    text = compare_count("MIM-moeders", 836, 841, **YEARS)
    assert text == f"In 2025 waren er 836 MIM-moeders, 5 minder dan in 2024 ({MINUS}0,6%)."


def test_it_reports_an_equal_count():
    text = compare_count("MIM-moeders", 841, 841, **YEARS)
    assert text == "In 2025 waren er 841 MIM-moeders, evenveel als in 2024."


def test_it_does_not_compare_without_a_previous_year():
    text = compare_count("MIM-moeders", 841, None, **YEARS)
    assert text.startswith("In 2025 waren er 841 MIM-moeders.")
    assert "geen cijfers over 2024" in text
    assert numbers_in(text) == {2025, 841, 2024}
    assert "meer" not in text and "minder" not in text and "%" not in text


def test_it_says_there_are_no_figures_when_the_current_count_is_missing():
    text = compare_count("MIM-moeders", None, 836, **YEARS)
    assert text == "Over 2025 zijn er geen cijfers over het aantal MIM-moeders."


def test_it_says_geen_for_zero():
    text = compare_count("locaties", 0, 0, **YEARS)
    assert text == "In 2025 waren er geen locaties, net als in 2024."
    text = compare_count("locaties", 0, 3, **YEARS)
    assert text == f"In 2025 waren er geen locaties, 3 minder dan in 2024 ({MINUS}100,0%)."


def test_it_gives_no_percentage_change_from_zero():
    text = compare_count("locaties", 3, 0, **YEARS)
    assert text == "In 2025 waren er 3 locaties, tegen 0 in 2024."


def test_it_makes_verb_and_noun_singular_for_one():
    assert compare_count("locaties", 1, 3, **YEARS).startswith("In 2025 was er 1 locatie,")
    assert compare_count("locaties", 2, 3, **YEARS).startswith("In 2025 waren er 2 locaties,")


def test_it_groups_thousands_in_a_comparison_but_not_in_years():
    text = compare_count("MIM-moeders", 1234, 1000, **YEARS)
    assert text == "In 2025 waren er 1.234 MIM-moeders, 234 meer dan in 2024 (+23,4%)."


def test_it_hides_a_suppressed_current_count_entirely():
    text = compare_count("MIM-moeders", SUPPRESSED, 9, **YEARS)
    assert numbers_in(text) == {2025}
    assert "niet getoond" in text


def test_it_compares_with_a_suppressed_previous_count_without_a_difference():
    hidden = compare_count("MIM-moeders", 12, SUPPRESSED, **YEARS)
    assert numbers_in(hidden) == {2025, 12, 2024}
    assert "vergelijking is niet mogelijk" in hidden


def test_it_refuses_a_previous_year_that_is_not_earlier():
    with pytest.raises(ValueError):
        compare_count("MIM-moeders", 841, 836, year=2024, previous_year=2025)


# --- compare_share ---------------------------------------------------------------------------


def test_it_reports_a_rising_share_in_percentage_points():
    text = compare_share(SHARE_LABEL, 69, 65, **YEARS)
    assert text == ("Het aandeel moeders met een migratieachtergrond is gestegen van 65% in 2024 "
                    "naar 69% in 2025 (+4 procentpunten).")


def test_it_reports_a_falling_share_in_percentage_points():
    text = compare_share(SHARE_LABEL, 67, Decimal("69.4"), **YEARS)
    assert text.endswith(f"gedaald van 69% in 2024 naar 67% in 2025 ({MINUS}2 procentpunten).")


def test_it_says_one_procentpunt():
    text = compare_share(SHARE_LABEL, Decimal("66.6"), Decimal("66.4"), **YEARS)
    assert text.endswith("van 66% in 2024 naar 67% in 2025 (+1 procentpunt).")


def test_it_reports_an_equal_share():
    text = compare_share(SHARE_LABEL, 67, 67, **YEARS)
    assert text == ("Het aandeel moeders met een migratieachtergrond is gelijk gebleven op 67% "
                    "in zowel 2024 als 2025.")


def test_it_calls_shares_equal_after_rounding_nearly_equal():
    text = compare_share(SHARE_LABEL, Decimal("67.4"), Decimal("66.6"), **YEARS)
    assert "nagenoeg gelijk gebleven op 67%" in text
    assert "procentpunt" not in text and "gestegen" not in text


def test_it_does_not_compare_a_share_without_a_previous_year():
    text = compare_share(SHARE_LABEL, 50, None, **YEARS)
    assert text.startswith("Het aandeel moeders met een migratieachtergrond was in 2025 50%.")
    assert "procentpunt" not in text


def test_it_hides_a_suppressed_share():
    current = compare_share(SHARE_LABEL, SUPPRESSED, 30, **YEARS)
    assert numbers_in(current) == {2025}
    previous = compare_share(SHARE_LABEL, 50, SUPPRESSED, **YEARS)
    assert numbers_in(previous) == {2025, 50, 2024}
    assert "procentpunt" not in previous


def test_it_says_there_is_no_share_when_it_is_missing():
    text = compare_share(SHARE_LABEL, None, 30, **YEARS)
    assert text == f"Over 2025 zijn er geen cijfers over {SHARE_LABEL}."


# --- multi-answer items ----------------------------------------------------------------------


def test_it_states_both_bases_of_a_multi_answer_item():
    text = multi_answer_sentence("een klein sociaal netwerk", 524, 841, 1745)
    assert text == ("Een klein sociaal netwerk is genoemd bij 524 van de 841 moeders (62%). "
                    "Dat is 30% van alle 1.745 genoemde omstandigheden.")


def test_it_explains_why_multi_answer_shares_exceed_100():
    assert "meer dan 100%" in multi_answer_note("baby's", "omstandigheden")


def test_it_handles_a_multi_answer_code_nobody_has():
    text = multi_answer_sentence("een huilbaby", 0, 841, 300, persons="baby's")
    assert text == "Een huilbaby is bij geen enkele baby genoemd."


def test_it_hides_a_suppressed_multi_answer_count():
    hidden = multi_answer_sentence("een meerling", SUPPRESSED, 841, 300, persons="baby's")
    assert hidden == ("Hoe vaak een meerling is genoemd, wordt niet getoond om de privacy te "
                      "beschermen.")


# --- migrant background ----------------------------------------------------------------------


def test_it_excludes_unknown_origin_from_the_migrant_share():
    text = migrant_background_sentence(Decimal("65.6"), 84, 841)
    assert text == (
        "Van de 757 moeders van wie de afkomst bekend is, heeft 66% een migratieachtergrond. "
        "Van 84 moeders (10%) is de afkomst niet bekend; deze moeders tellen niet mee in het "
        "percentage met een migratieachtergrond.")


def test_it_says_all_origins_are_known_when_none_is_unknown():
    text = migrant_background_sentence(69, 0, 841)
    assert text == ("Van alle 841 moeders is de afkomst bekend; 69% van hen heeft een "
                    "migratieachtergrond.")


def test_it_keeps_one_unknown_origin_singular():
    text = migrant_background_sentence(69, 1, 841)
    assert "Van 1 moeder (minder dan 1%) is de afkomst niet bekend; deze moeder telt niet" in text


def test_it_does_not_reveal_the_known_count_when_unknown_is_suppressed():
    text = migrant_background_sentence(69, SUPPRESSED, 841)
    assert numbers_in(text) == {69}
    assert "onbekende afkomst hebben, wordt niet getoond" in text


def test_it_refuses_a_migrant_share_when_no_origin_is_known():
    with pytest.raises(ValueError):
        migrant_background_sentence(69, 841, 841)
    text = migrant_background_sentence(None, 841, 841)
    assert "Van geen enkele moeder is de afkomst bekend" in text


# --- range over sites ------------------------------------------------------------------------


def test_it_names_the_smallest_and_largest_site():
    text = range_sentence({"Den Haag": 319, "Zeewolde": 5, "Ede": 40})
    assert text == ("Het aantal MIM-moeders per locatie varieert van 5 (Zeewolde) "
                    "tot 319 (Den Haag).")


def test_it_names_every_site_of_a_tie():
    text = range_sentence({"Zeewolde": 5, "Den Haag": 319, "Best": 5})
    assert "van 5 (Best en Zeewolde)" in text


def test_it_handles_a_single_site():
    text = range_sentence({"Den Haag": 319})
    assert text == "Het aantal MIM-moeders is 319 (Den Haag); dat is de enige locatie met cijfers."


def test_it_handles_sites_that_are_all_equal():
    assert range_sentence({"Ede": 12, "Best": 12}).endswith("op beide locaties gelijk: 12.")
    assert range_sentence({"A": 12, "B": 12, "C": 12}).endswith("op alle 3 locaties gelijk: 12.")


def test_it_limits_the_range_to_shown_sites_when_a_site_is_hidden():
    text = range_sentence({"Ede": 12, "Den Haag": 319, "Zeewolde": SUPPRESSED})
    assert "bij de getoonde locaties van 12 (Ede) tot 319 (Den Haag)" in text
    assert "Van 1 locatie wordt het cijfer niet getoond" in text


# --- single-answer ranking -------------------------------------------------------------------

AGES = {"jonger dan 20 jaar": 25, "20-24 jaar": 126, "25-29 jaar": 286, "30-34 jaar": 244,
        "35-39 jaar": 118, "40 jaar en ouder": 42}


def test_it_ranks_the_largest_categories():
    text = ranked_categories_sentence(AGES, item="de leeftijd")
    assert text == ("De grootste groep is 25-29 jaar (34%), gevolgd door 30-34 jaar (29%), "
                    "20-24 jaar (15%) en 35-39 jaar (14%).")


def test_it_mentions_unknown_apart_and_never_ranks_it():
    text = ranked_categories_sentence({"MBO": 300, "HBO": 200}, item="het opleidingsniveau",
                                      unknown=400)
    assert text.startswith("De grootste groep is MBO (33%), gevolgd door HBO (22%).")
    assert text.endswith("Van 400 moeders (44%) is het opleidingsniveau niet bekend.")


def test_it_refuses_unknown_as_a_category():
    with pytest.raises(ValueError):
        ranked_categories_sentence({"MBO": 3, "onbekend": 9}, item="het opleidingsniveau")


def test_it_refuses_categories_that_do_not_add_up_to_the_base():
    with pytest.raises(ValueError):
        ranked_categories_sentence({"MBO": 3, "HBO": 4}, item="het opleidingsniveau", base=8)


def test_it_groups_tied_categories():
    text = ranked_categories_sentence({"A": 30, "B": 30, "C": 20, "D": 10, "E": 10},
                                      item="de leeftijd", unknown=5, top=4)
    assert text.startswith("De grootste groepen zijn A en B (elk 29%), gevolgd door C (19%) "
                           "en D en E (elk 10%).")


def test_it_ranks_only_shown_categories_when_one_is_hidden():
    text = ranked_categories_sentence({"A": 30, "B": SUPPRESSED, "C": 20}, item="de leeftijd",
                                      unknown=SUPPRESSED, base=70)
    assert text.startswith("Van de getoonde groepen is A de grootste (43%)")
    assert "Van hoeveel moeders de leeftijd niet bekend is, wordt niet getoond" in text


# --- completeness and the sentinel -----------------------------------------------------------


def test_it_says_how_many_sites_delivered():
    assert completeness_sentence(23, 26, year=2014) == (
        "De cijfers over 2014 komen van 23 van de 26 locaties.")
    assert completeness_sentence(26, 26, year=2014).endswith("van alle 26 locaties.")


def test_it_refuses_to_print_a_suppressed_value():
    with pytest.raises(TypeError):
        f"{SUPPRESSED}"  # noqa: B018
    with pytest.raises(TypeError):
        str(SUPPRESSED)
    assert fmt_int(SUPPRESSED) == fmt_pct(SUPPRESSED) == fmt_pp(SUPPRESSED) == "niet getoond"


# --- properties ------------------------------------------------------------------------------

counts = st.integers(min_value=0, max_value=1_000_000)
hidden = st.just(SUPPRESSED)
shares = st.decimals(min_value=0, max_value=100, places=2)


@given(current=counts | hidden | st.none(), previous=counts | hidden | st.none())
def test_it_never_says_procentpunt_when_comparing_counts(current, previous):
    text = compare_count("MIM-moeders", current, previous, **YEARS)
    assert "procentpunt" not in text


@given(current=shares, previous=shares)
def test_it_compares_shares_only_in_procentpunten(current, previous):
    text = compare_share(SHARE_LABEL, current, previous, **YEARS)
    assert re.search(r"procent(?!punt)", text) is None
    assert not re.search(r"\([^)]*%\)", text)  # the difference is never given in percent
    change = re.search(r"van (\d+)% in 2024 naar (\d+)% in 2025 \(([+\u2212])(\d+) procentpunt",
                       text)
    if change:  # the points always match the two shares the sentence shows
        before, now, sign, points = change.groups()
        signed = int(points) if sign == "+" else -int(points)
        assert signed == int(now) - int(before) != 0
    else:
        assert "gelijk gebleven" in text


@given(shown=st.integers(min_value=5, max_value=100_000), secret=counts)
def test_it_never_shows_a_suppressed_count(shown, secret):
    # Nor a bound on it: "minder dan 5" would be false of a cell hidden to protect a neighbour.
    value = Suppressed()
    allowed = {2024, 2025, shown}
    for current, previous in ((value, shown), (shown, value)):
        text = compare_count("MIM-moeders", current, previous, **YEARS)
        assert numbers_in(text) <= allowed, text
    text = multi_answer_sentence("een klein sociaal netwerk", value, shown, shown)
    assert numbers_in(text) <= {shown}
    text = migrant_background_sentence(50, value, shown + secret)
    assert numbers_in(text) <= {50}  # not the known count, which would reveal the hidden one


@given(sites=st.dictionaries(st.sampled_from(["Ede", "Best", "Putten", "Ermelo", "Epe"]),
                             st.integers(min_value=5, max_value=5000) | hidden, min_size=1))
def test_it_never_shows_a_suppressed_site(sites):
    text = range_sentence(sites)
    allowed = {n for n in sites.values() if isinstance(n, int)} | {5} | set(range(len(sites) + 1))
    assert numbers_in(text) <= allowed, text


@given(groups=st.lists(st.integers(min_value=5, max_value=500) | hidden, min_size=1, max_size=6),
       unknown=st.integers(min_value=0, max_value=50) | hidden,
       secret=st.lists(st.integers(min_value=0, max_value=500), min_size=7, max_size=7))
def test_it_never_shows_a_suppressed_category(groups, unknown, secret):
    values = [*groups, unknown]
    base = sum(v if isinstance(v, int) else s for v, s in zip(values, secret, strict=False))
    if base == 0:
        return
    text = ranked_categories_sentence({f"groep {chr(65 + i)}": n for i, n in enumerate(groups)},
                                      item="de leeftijd", unknown=unknown, base=base)
    shown = [v for v in values if isinstance(v, int)]
    shares = {int((Decimal(v) * 100 / base).quantize(Decimal(1), "ROUND_HALF_UP")) for v in shown}
    allowed = set(shown) | shares | {1, 5, 99, base} | set(range(len(groups) + 1))
    assert numbers_in(text) <= allowed, text


@pytest.mark.parametrize(("sites_with", "unshown", "expected"), [
    (22, 0, "Moeders van een tweede kind zijn bereikt op 22 van de 23 locaties met gegevens."),
    (23, 0, "Moeders van een tweede kind zijn bereikt op alle 23 locaties met gegevens."),
    (9, 14, "Moeders van een tweede kind zijn bereikt op ten minste 9 van de 23 locaties met "
            "gegevens; van 14 locaties wordt het aantal niet apart getoond."),
    (9, 1, "Moeders van een tweede kind zijn bereikt op ten minste 9 van de 23 locaties met "
           "gegevens; van 1 locatie wordt het aantal niet apart getoond."),
    (0, 5, "Op de locaties waarvan het aantal apart getoond wordt, zijn geen moeders van een "
           "tweede kind bereikt; van 5 van de 23 locaties met gegevens wordt het aantal niet "
           "apart getoond."),
    (0, 23, "Van geen van de 23 locaties met gegevens wordt het aantal moeders van een tweede "
            "kind apart getoond."),
])
def test_it_says_at_least_when_sites_are_counted_only_where_their_count_is_shown(
        sites_with, unshown, expected):
    from mim.reports.national.mothers import SECOND

    assert share_range_sentence(sites_with, 23, [], what=SECOND, unshown=unshown) == expected


def test_it_refuses_more_sites_than_there_are():
    from mim.reports.national.mothers import SECOND

    with pytest.raises(ValueError):
        share_range_sentence(10, 23, [], what=SECOND, unshown=14)
