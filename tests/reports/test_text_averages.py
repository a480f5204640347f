"""The sentences added for the national report: averages, hour ranges, a share beside a
reference share, and rankings that leave the unknowns to a neighbouring sentence."""

from decimal import Decimal

from mim.reports.text import (
    SUPPRESSED,
    hours_range_sentence,
    ranked_categories_sentence,
    ratio_sentence,
    reference_share_sentence,
)


def test_it_gives_an_average_only_over_at_least_ten_shown_persons():
    assert ratio_sentence(920, 425, what="moeders", per="vrijwilligers") == \
        "Gemiddeld zijn er 2,2 moeders per vrijwilliger."
    assert ratio_sentence(920, 9, what="moeders", per="vrijwilligers") is None
    assert ratio_sentence(SUPPRESSED, 425, what="moeders", per="vrijwilligers") is None
    assert ratio_sentence(None, 425, what="moeders", per="vrijwilligers") is None


def test_it_gives_minimum_and_maximum_hours_over_ten_coordinators_or_more():
    hours = [Decimal(h) for h in (4, 6, 8, 8, 10, 12, 16, 20, 24, "28.5")]
    assert hours_range_sentence(hours) == \
        "De coördinatoren hebben minimaal 4 en maximaal 28,5 uur per week voor MIM."
    assert "niet getoond" in hours_range_sentence(hours[:9])
    assert hours_range_sentence([16] * 10) == "Alle coördinatoren hebben 16 uur per week voor MIM."
    assert "geen gegevens" in hours_range_sentence([])


def test_it_sets_a_share_beside_a_reference_in_percentage_points():
    label = "het aandeel moeders met een migratieachtergrond"
    assert reference_share_sentence(label, 72.4, 64.4, here="bij Ede", there="landelijk") == (
        "Het aandeel moeders met een migratieachtergrond is 72% bij Ede en 64% landelijk: "
        "8 procentpunten hoger.")
    assert reference_share_sentence(label, 63.4, 64.4, here="bij Ede", there="landelijk") \
        .endswith("1 procentpunt lager.")
    assert reference_share_sentence(label, 64.4, 63.6, here="bij Ede", there="landelijk") \
        .endswith("even hoog als landelijk.")
    assert "niet getoond" in reference_share_sentence(label, 50, SUPPRESSED, here="bij Ede",
                                                      there="landelijk")
    assert "niet getoond" in reference_share_sentence(label, SUPPRESSED, 50, here="bij Ede",
                                                      there="landelijk")
    assert "geen cijfers" in reference_share_sentence(label, None, 50, here="bij Ede",
                                                      there="landelijk")


def test_it_can_leave_the_unknowns_to_another_sentence():
    counts = {"Nederlands": 60, "Turks": 30}
    with_unknown = ranked_categories_sentence(counts, item="de afkomst", unknown=10)
    without = ranked_categories_sentence(counts, item="de afkomst", unknown=10,
                                         state_unknown=False)
    assert "niet bekend" in with_unknown and "niet bekend" not in without
    assert without == "De grootste groep is Nederlands (60%), gevolgd door Turks (30%)."
