"""A final 2014-like year: text and tables agree and no sentence is wrong.

Done when of issue 10: a 2014-like year with every delivering site approved and three sites
marked not delivered gives a final report with no wrong sentence; the same for a 2008-like year
with the shipped 2004-2007 series intact; the number-consistency check (tests/reports/numbers.py)
passes for random data.
"""


import pytest
from django.db import transaction

from mim.accounts.models import Role
from mim.organisations.models import Site
from mim.organisations.services import site_end
from mim.publication.inputs import figures_for
from mim.reports.document import Paragraph, Table, iter_sections
from mim.reports.national import build_national_report
from mim.reports.selectors import ServerFigures, national_inputs
from mim.reports.text import fmt_int
from mim.returns import services
from tests.factories import user_with_role
from tests.reports.numbers import problems
from tests.seedlike import SITES, YEAR, approve, build_year

STOPPED = ("Emmeloord", "Steenwijkerland", "Hengelo")


def report_years(report) -> set[int]:
    return set(range(report.year - 15, report.year + 2))


def prose(report) -> str:
    return "\n".join(b.text for _, s in iter_sections(report) for b in s.blocks
                     if isinstance(b, Paragraph))


def table(report, caption: str) -> Table:
    return next(b for _, s in iter_sections(report) for b in s.blocks
                if isinstance(b, Table) and b.caption.startswith(caption))


def row(t: Table, label: str) -> list[str]:
    return next(r for r in t.rows if r[0] == label)


@pytest.fixture(scope="module")
def final_2014(django_db_setup, django_db_blocker):
    """Built once for the module (the publication's audit takes a while), rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        sites = build_year()
        office = user_with_role(Role.PROGRAMME_OFFICE, "office")
        for site in sites:
            if site.name not in STOPPED:
                approve(site, YEAR)
        for site in Site.objects.filter(name__in=STOPPED):
            site_end(site=site, last_year=YEAR, user=office)
            services.return_not_delivered(site=site, year=YEAR, user=office,
                                          reason="gestopt eind 2014")
        inputs = national_inputs(YEAR, ServerFigures())
        yield inputs, build_national_report(inputs)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_it_gives_a_final_2014_like_report_whose_numbers_all_agree(final_2014):
    inputs, report = final_2014
    assert not report.concept
    assert problems(report, report_years(report)) == []
    text = prose(report)
    # Sentences round once, as the tables do (the 10% beside 11% of issue 10).
    for caption in ("Herkomst (MIM-moeders", "Leeftijd (MIM-moeders"):
        t = table(report, caption)
        for r in t.rows:
            if r[2] not in ("–", "×") and f"{r[0]} ({r[2]})" in text:
                assert True
    mothers = inputs.current.get("mothers.total").count
    assert mothers == sum(n for *_, n in SITES)
    assert f"{fmt_int(mothers)} MIM-moeders" in text


@pytest.mark.django_db
def test_it_counts_every_site_with_a_second_child_mother_and_gives_the_range_in_shares(
        final_2014):
    inputs, report = final_2014
    delivered = [s for s in inputs.sites if s.status == "approved" and not s.is_group]
    alone = [s for s in delivered if not s.group]
    # Only sites whose own count is shown count: a count that took in merged or hidden sites
    # told something of their hidden counts. The others are said to be there.
    shown = [s.figures.get("mothers.child_order", "second") for s in alone]
    counted = sum(1 for f in shown if not f.suppressed and f.count)
    unshown = len(delivered) - sum(1 for f in shown if not f.suppressed)
    truth = sum(1 for s in delivered
                if figures_for(YEAR, "site", s.code).get("mothers.child_order", "second").count)
    assert unshown > 0 and counted < truth  # small sites are merged or hidden in this year
    t = table(report, "Moeders van een tweede kind per locatie")
    assert row(t, "Locaties met moeders van een tweede kind")[1:4] == [str(counted), "23", "–"]
    assert row(t, "Locaties waarvan het aantal niet apart getoond wordt")[1:3] == [
        str(unshown), "23"]
    shares = []
    for s in alone:
        f = s.figures.get("mothers.child_order", "second")
        if f.share is not None:
            shares.append(f.count * 100 / f.base)
    low, high = round_half_up(min(shares)), round_half_up(max(shares))
    text = prose(report)
    assert (f"Moeders van een tweede kind zijn bereikt op ten minste {counted} van de 23 "
            f"locaties met gegevens; van {unshown} locaties wordt het aantal niet apart "
            f"getoond.") in text
    assert f"tussen {low}% en {high}% (over de {len(shares)} locaties" in text
    assert "Op 9 locaties" not in text


def round_half_up(x: float) -> int:
    from mim.reports.text import round_half_up as rounding

    return rounding(x)


@pytest.mark.django_db
def test_it_names_the_base_of_each_chart_and_table_of_the_mothers_who_ended(final_2014):
    _inputs, report = final_2014
    charts = [b for _, s in iter_sections(report) for b in s.blocks
              if type(b).__name__ == "Chart"]
    endings = next(c for c in charts if c.caption.startswith("Redenen van beëindiging"))
    assert "de moeders die het programma beëindigden" in endings.caption
    assert "de moeders die het programma beëindigden" in endings.alt_text
    assert "percentage van de MIM-moeders" not in endings.caption
    assert endings.spec.value_label == "Percentage van de moeders die het programma beëindigden"
    assert "de moeders die het programma beëindigden" in table(
        report, "Redenen van beëindiging").caption


@pytest.mark.django_db
def test_it_writes_a_summary_of_connected_sentences_beside_the_key_figures(final_2014):
    _inputs, report = final_2014
    summary = next(s for s in report.sections if s.title == "Samenvatting")
    kinds = [type(b).__name__ for b in summary.blocks]
    assert kinds == ["Paragraph", "Table"]
    text = summary.blocks[0].text
    assert text.startswith("In 2014 werkten 26 locaties van 9 organisaties met MIM; 23 van hen "
                           "leverden cijfers aan.")
    assert "migratieachtergrond" in text and "per vrijwilliger" in text
    assert "Tegen 2013" in text or "Geen van de kerncijfers" in text
    # No section repeats one template sentence per category any more.
    assert "is genoemd bij" not in prose(report) and "Dat is " not in prose(report)


@pytest.mark.django_db
def test_it_keeps_the_shipped_series_beside_a_final_2014_and_names_each_source(final_2014):
    _inputs, report = final_2014
    t = table(report, "MIM over vijf registratiejaren")
    assert t.columns[1:] == ["2010", "2011", "2012", "2013", "2014"]
    assert row(t, "MIM-moeders")[1:5] == ["844", "842", "813", "836"]
    assert row(t, "Bron") == ["Bron", "rapport 2014", "rapport 2014", "rapport 2014",
                              "rapport 2014", "berekend"]
    assert row(t, "MIM-moeders")[5] == fmt_int(sum(n for *_, n in SITES))
    assert not any("tot en met 2014 komen uit" in n for n in t.notes)




@pytest.mark.django_db
def test_it_words_the_site_reports_gaps_by_their_item_and_base(final_2014):
    import re

    from mim.reports.assemble import site_report
    from mim.reports.site_report import GAP_LABELS

    allowed = [re.escape(t.split("{name}")[0]) for t in GAP_LABELS.values()]
    seen = 0
    for site in Site.objects.exclude(name__in=STOPPED).order_by("name")[:8]:
        report = site_report(YEAR, site.code)
        text = prose(report)
        assert "vrijwilligers met 'geen tijd'" not in text and "met 'ja'" not in text
        assert "aantallen van 1 een ×" not in text
        assert "een × staat voor een cijfer dat niet getoond wordt" in text
        for line in text.splitlines():
            if line.startswith("Het grootste verschil met het landelijk beeld: "):
                seen += 1
                assert re.search(rf"het aandeel ({'|'.join(allowed)})", line), line
        for t in (b for _, s in iter_sections(report) for b in s.blocks
                  if isinstance(b, Table) and "Nederland (NL)" in b.caption):
            assert "percentages van " in t.caption
    assert seen


@pytest.mark.django_db
def test_it_says_a_stopped_volunteers_share_is_one_of_the_volunteers_who_stopped(final_2014):
    from mim.reports.selectors import ServerFigures
    from mim.reports.site_report import SiteInputs, _largest_gap

    source = ServerFigures()
    site = Site.objects.get(name="Den Haag (Escamp en Ypenburg)")
    inputs = SiteInputs(year=YEAR, code=site.code, name=site.name, organisation="",
                        own=source.own_site(YEAR, site.code), own_previous=None,
                        national=source.national(YEAR))
    stopped = _largest_gap(inputs, "volunteers_stopped", "end_reason")
    if stopped is not None:
        assert "het aandeel gestopte vrijwilligers met als reden '" in stopped.text
    former = _largest_gap(inputs, "volunteers", "former_mim_mother")
    if former is not None:
        assert "vrijwilligers die zelf MIM-moeder zijn geweest" in former.text
        assert "'ja'" not in former.text and "'nee'" not in former.text
    assert stopped is not None or former is not None


@pytest.mark.django_db
def test_it_states_only_numbers_of_their_rows_in_every_site_and_municipality_report(final_2014):
    from mim.reports.assemble import municipality_report, site_report

    source = ServerFigures()
    sites = Site.objects.order_by("name")
    reports = [site_report(YEAR, site.code, source=source) for site in sites]
    reports += [municipality_report(YEAR, name, source=source)
                for name in sorted({site.municipality.name for site in sites})]
    assert [f"{r.title}: {p}" for r in reports for p in problems(r, report_years(r))] == []


@pytest.mark.django_db
def test_it_writes_the_coordinators_and_facts_of_a_2014_like_year_from_their_rows(final_2014):
    inputs, report = final_2014
    text = "\n".join(b.text for _, s in iter_sections(report) if s.title in (
        "Coördinatoren", "Ervaring en opleiding", "Vergoeding, overeenkomst en VOG",
        "Financiering", "Uitvoeringsvariant", "Groepsactiviteiten") for b in s.blocks
        if isinstance(b, Paragraph))
    total = inputs.current.get("coordinators.total").count
    delivered = inputs.current.get("coordinators.delivered").count
    # The stopped sites' own coordinators are counted, and left out of what follows.
    assert total > delivered > 0
    assert f"werken er {delivered} op locaties die gegevens over {YEAR}" in text
    assert f"begeleiden {delivered} coördinatoren samen" in text  # over delivering sites
    assert " 0 van " not in text
    summary = prose(report).split("\n")
    assert any(f"Op de locaties met gegevens begeleidden {delivered} coördinatoren (van de "
               f"{total} in totaal)" in line for line in summary)
    policies = table(report, f"Vrijwilligersovereenkomst en VOG in {YEAR}")
    organisations = inputs.current.get("facts.vog_required", "unknown").base
    assert organisations == len({s.organisation for s in inputs.sites if not s.is_group}) - 2
    assert all(int(r[3]) + int(r[4]) == organisations for r in policies.rows)
