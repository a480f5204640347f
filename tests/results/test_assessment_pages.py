"""The self-assessment on the figures page (mim.dashboards.results): every persona that may see
a scope sees the stored publication's figures of it (× where the publication hides one), and
nobody sees a cell of a scope outside her figure scopes."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from mim.codebook import assessment as items
from mim.figures import standard
from mim.publication.selectors import published_assessment
from mim.registry.models import SelfAssessment
from tests.results.conftest import ASSESSMENT_YEAR as YEAR

pytestmark = pytest.mark.django_db
CONFIDENCE = "Zelfvertrouwen als moeder"
SUPPORT = "Mensen om op terug te vallen"


def _page(client, user, scope: str):
    client.force_login(user)
    return client.get(reverse("figures:view"), {"scope": scope, "jaar": YEAR})


def _rows(page: str) -> dict[str, list[str]]:
    """The rows of the page's self-assessment tables: the row's name -> its cells."""
    start = page.index('id="h-assessment"')
    part = page[start:page.index("</section>", start)]
    return {html.unescape(name): [html.unescape(c) for c in
                                  re.findall(r'<td class="num">([^<]*)</td>', cells)]
            for name, cells in re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', part)}


def _text(value: Decimal, signed=False) -> str:
    text = f"{value:.2f}".replace(".", ",")
    return f"+{text}" if signed and value > 0 else text


def _expected(rows, aim) -> list[str]:
    """The cells the page must show for an aim: the publication's rows, formatted."""
    def row(statistic):
        return next(f for f in rows if f.variable == standard.assessment_variable(aim, statistic))

    if row("change").suppressed:
        return ["×"] * 5
    return [str(row("pairs").count), _text(row("intake_mean").value),
            _text(row("end_mean").value), _text(row("change").value, signed=True),
            f"{_text(row('ci_low').value, True)} tot {_text(row('ci_high').value, True)}"]


def _end_expected(rows) -> list[str]:
    end = next(f for f in rows if f.variable == standard.ASSESSMENT_END_MEASURED)
    if end.suppressed:
        return ["×"] * 3
    return [str(end.base), str(end.count), f"{end.percent:.1f}".replace(".", ",") + "%"]


def test_it_shows_each_persona_the_publications_figures_of_what_it_may_see(client, measured):
    w = measured
    site_a = ("site", w.site_a.code, w.site_a.name)
    seen = [(w.office, ("national", "NL", "Nederland")), (w.office, site_a),
            (w.coordinator_a, site_a),
            (w.organisation_viewer, ("organisation", w.site_a.organisation.name,
                                     w.site_a.organisation.name)),
            (w.funder, ("municipality", w.site_a.municipality.name,
                        w.site_a.municipality.name))]
    for user, (scope, code, label) in seen:
        response = _page(client, user, f"{scope}:{code}")
        assert response.status_code == 200
        rows = _rows(response.content.decode())
        published = published_assessment(w.office, YEAR, scope, code)
        for aim in standard.ASSESSMENT_AIMS:
            name = items.VERSIONS[-1].question(aim).short()
            assert rows[f"{label}: {name[0].upper()}{name[1:]}"] == _expected(published, aim)
        assert rows[label] == _end_expected(published)
    # by hand (the fixture's docstring): site A's confidence, and its support hidden
    own = _rows(_page(client, w.coordinator_a, f"site:{w.site_a.code}").content.decode())
    assert own[f"{w.site_a.name}: {CONFIDENCE}"][:4] == ["12", "2,50", "4,00", "+1,50"]
    assert own[f"{w.site_a.name}: {SUPPORT}"] == ["×"] * 5
    assert own[w.site_a.name] == ["14", "12", "85,7%"]
    # beside it the nation, as published
    national = published_assessment(w.office, YEAR, "national", "NL")
    assert own[f"Nederland: {CONFIDENCE}"] == _expected(national, "confidence")
    assert "×" in _expected(published_assessment(w.office, YEAR, "site", w.site_a.code),
                            "support")


def test_it_shows_her_own_site_from_the_publication_not_from_her_records(client, measured):
    # Her records hold seven support pairs; the publication hides them, and so does her page.
    w = measured
    records = SelfAssessment.objects.filter(mother__site=w.site_a, moment="end",
                                            support__isnull=False).count()
    assert records == 7
    rows = _rows(_page(client, w.coordinator_a, f"site:{w.site_a.code}").content.decode())
    assert rows[f"{w.site_a.name}: {SUPPORT}"] == ["×"] * 5
    assert "7" not in rows[f"{w.site_a.name}: {SUPPORT}"]


def test_it_gives_a_coordinator_of_another_site_no_cell_of_the_site(client, measured):
    w = measured
    assert _page(client, w.coordinator_b, f"site:{w.site_a.code}").status_code == 404
    own = _page(client, w.coordinator_b, f"site:{w.site_b.code}").content.decode()
    national = _page(client, w.coordinator_b, "national:NL").content.decode()
    for page in (own, national):
        assert 'id="h-assessment"' in page
        assert not any(name.startswith(w.site_a.name) for name in _rows(page))


def test_it_shows_the_aims_in_english_on_an_english_page(client, measured):
    client.force_login(measured.office)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("figures:view"), {"scope": "national:NL", "jaar": YEAR},
                      HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = _rows(page)
    assert "What changes for the mother" in page and "is not an effect" in page
    assert rows["Netherlands: Confidence as a mother"][0] == "24"
    # English numbers: a decimal point
    assert "." in rows["Netherlands: Confidence as a mother"][1]
