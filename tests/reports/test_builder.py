"""The national report builder on made-up published figures: rising, falling and equal
figures, no previous year, hidden cells and zeros come out right at the report level. No
database: the builder is a pure function of its inputs."""

from mim.figures.engine import template
from mim.figures.selectors import Completeness, FigureSet
from mim.figures.tidy import Figure
from mim.reports.document import Paragraph, Table, iter_sections
from mim.reports.national import build_national_report
from mim.reports.selectors import NationalInputs, Previous, SiteInfo

YEAR = 2025


def figure_set(year, counts=None, hidden=(), *, approved=0, expected=3, delivered=3):
    """Every figure of the year; populations from `counts` ("mothers.total": n, ...)."""
    counts = dict(counts or {})
    totals = {p: counts.get(f"{p}.total", 0) for p in
              ("mothers", "mothers_ended", "volunteers", "volunteers_stopped")}
    figures = [Figure.of(year=year, scope="national", scope_code="NL", variable=v,
                         category="all", count=n, base=expected)
               for v, n in (("sites.active", expected), ("sites.delivered", delivered))]
    given = {key.split(":")[0] for key in counts}
    for variable, category in template(year):
        population, item = variable.split(".")
        base = totals[population]
        count = counts.get(f"{variable}:{category}", base if category == "all" else 0)
        if category == "unknown" and variable not in given:
            count = base  # a single-answer item nobody answered: all unknown, adds up
        if item == "migrant_background":
            origin = f"{population}.origin"
            unknown = counts.get(f"{origin}:unknown", 0) if origin in given else base
            base = base - unknown
            if variable not in given:
                count = base if category == "no" else 0
        f = Figure.of(year=year, scope="national", scope_code="NL", variable=variable,
                      category=category, count=count, base=base)
        figures.append(f.hidden() if (variable, category) in hidden else f)
    return FigureSet(year=year, scope="national", code="NL", label="Nederland",
                     figures=tuple(figures), provisional=frozenset(),
                     completeness=Completeness(expected, delivered, approved),
                     codebook_version="2010", suppressed=True)


def inputs(current, previous=None, *, sites=()):
    prev = None
    if previous is not None:
        prev = Previous(YEAR - 1, previous,
                        {(f.variable, f.category): f for f in previous.figures})
    return NationalInputs(year=YEAR, current=current, previous=prev, sites=tuple(sites),
                          previous_sites={}, facts=(),
                          countries_complete=True, history=(),
                          introduction="", national_support="")


def prose(report) -> str:
    return "\n".join(b.text for _, s in iter_sections(report) for b in s.blocks
                     if isinstance(b, Paragraph))


MOTHERS = {"mothers.total": 200, "mothers.origin:dutch": 60, "mothers.origin:turkish": 40,
           "mothers.origin:unknown": 100, "mothers.migrant_background:yes": 40,
           "mothers.migrant_background:no": 60, "volunteers.total": 100,
           "mothers.child_order:second": 30, "mothers.child_order:first": 170}


def test_it_compares_a_rising_count_in_percent_and_a_share_in_percentage_points():
    before = dict(MOTHERS, **{"mothers.total": 180, "mothers.origin:unknown": 80,
                              "mothers.migrant_background:yes": 30,
                              "mothers.migrant_background:no": 70})
    text = prose(build_national_report(inputs(figure_set(YEAR, MOTHERS),
                                              figure_set(YEAR - 1, before))))
    assert "In 2025 waren er 200 MIM-moeders, 20 meer dan in 2024 (+11,1%)." in text
    assert ("Het aandeel moeders met een migratieachtergrond is gestegen van 30% in 2024 naar "
            "40% in 2025 (+10 procentpunten).") in text
    # migrant background over the known origins only (100 of 200 unknown)
    assert "Van de 100 moeders van wie de afkomst bekend is, heeft 40% een" in text


def test_it_says_falling_and_equal_correctly():
    before = dict(MOTHERS, **{"mothers.total": 250, "volunteers.total": 100})
    text = prose(build_national_report(inputs(figure_set(YEAR, MOTHERS),
                                              figure_set(YEAR - 1, before))))
    assert "50 minder dan in 2024 (−20,0%)" in text
    assert "In 2025 waren er 100 vrijwilligers, evenveel als in 2024." in text


def test_it_handles_the_first_year_without_a_previous_one():
    report = build_national_report(inputs(figure_set(YEAR, MOTHERS)))
    text = prose(report)
    assert "Er zijn geen cijfers over 2024 om mee te vergelijken." in text
    tables = [b for _, s in iter_sections(report) for b in s.blocks if isinstance(b, Table)]
    assert all("% 2024" not in t.columns for t in tables)


def test_it_never_states_a_hidden_figure_and_says_it_is_hidden():
    hidden = {("mothers.migrant_background", "yes"), ("mothers.migrant_background", "no"),
              ("mothers.child_order", "second"), ("mothers.child_order", "first")}
    report = build_national_report(inputs(figure_set(YEAR, MOTHERS, hidden),
                                          figure_set(YEAR - 1, MOTHERS)))
    text = prose(report)
    assert "migratieachtergrond wordt niet getoond om de privacy te beschermen" in text
    assert "Het aantal moeders van een tweede kind in 2025 wordt niet getoond" in text
    assert "30 moeders van een tweede kind" not in text and "40%" not in text


def test_it_handles_a_year_without_data():
    empty = figure_set(YEAR, {}, expected=2, delivered=0)
    report = build_national_report(inputs(empty))
    text = prose(report)
    assert "Over 2025 heeft geen enkele locatie cijfers aangeleverd." in text
    assert "In 2025 waren er geen MIM-moeders" in text
    assert report.concept is True


def test_it_drops_the_concept_mark_once_every_return_is_approved():
    done = figure_set(YEAR, MOTHERS, approved=3)
    report = build_national_report(inputs(done))
    assert report.concept is False
    assert "Van alle 3 locaties is de jaaropgave goedgekeurd" in prose(report)


def test_it_leaves_out_mention_shares_when_a_cell_of_the_item_is_hidden():
    counts = dict(MOTHERS, **{"mothers.mother_circumstances:poor_social_network": 80,
                              "mothers.mother_circumstances:other": 3})
    shown = prose(build_national_report(inputs(figure_set(YEAR, counts))))
    # Both bases once: the persons and, when every cell is shown, the sum of the mentions.
    assert ("De percentages zijn van alle 200 moeders; per moeder kunnen meer omstandigheden "
            "genoemd zijn, samen 83.") in shown
    hidden = {("mothers.mother_circumstances", "other")}
    report = build_national_report(inputs(figure_set(YEAR, counts, hidden)))
    text = prose(report)
    assert "(bij 40% van de moeders)" in text
    assert "samen 83" not in text
    table = next(b for _, s in iter_sections(report) for b in s.blocks
                 if isinstance(b, Table) and b.caption.startswith("Omstandigheden van de moeder"))
    assert {row[3] for row in table.rows} == {"–"}


def test_it_names_only_sites_whose_figures_are_published():
    def site(code, mothers, hide=False):
        counts = {"mothers.total": mothers, "mothers.child_order:first": mothers}
        fs = figure_set(YEAR, counts, {("mothers.total", "all")} if hide else ())
        return SiteInfo(code, code.title(), "Org", "approved", fs)

    sites = [site("ede", 40), site("epe", 12), site("elst", 3, hide=True)]
    text = prose(build_national_report(inputs(figure_set(YEAR, MOTHERS), sites=sites)))
    line = next(t for t in text.splitlines() if t.startswith("Het aantal MIM-moeders per"))
    assert "Elst" not in line and "Ede" in line and "Epe" in line
    assert "bij de getoonde locaties" in line
