"""The figures pages: access per persona, suppression in what is shown, exports."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from mim.audit.models import AuditEntry, Event
from mim.figures.tidy import COLUMNS
from tests.conftest import PERSONAS
from tests.factories import MotherFactory, VolunteerFactory

VIEW = reverse("figures:view")


@pytest.fixture
def records(world):
    for site, n in ((world.site_a, 12), (world.site_b, 30)):
        for i in range(n):
            MotherFactory(site=site, origin="turkish" if i < 2 else "dutch")
            VolunteerFactory(site=site)
    return world


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_opens_the_dashboard_on_the_users_default_scope(records, login, persona):
    response = login(records.persona(persona)).get(reverse("figures:dashboard"))
    if persona == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == 302
    expected = {"coordinator_a": "site%3Asite-a", "coordinator_b": "site%3Asite-b",
                "organisation_viewer": "organisation%3A", "funder": "municipality%3A",
                "office": "national%3ANL", "operator": "national%3ANL"}[persona]
    assert expected in response["Location"]
    assert login(records.persona(persona)).get(response["Location"]).status_code == 200


@pytest.mark.parametrize(("persona", "scope", "status"), [
    ("coordinator_a", "site:site-a", 200),
    ("coordinator_a", "site:site-b", 404),
    ("coordinator_a", "national:NL", 200),
    ("coordinator_b", "site:site-a", 404),
    ("funder", "site:site-a", 200),
    ("funder", "site:site-b", 404),
    ("organisation_viewer", "site:site-b", 404),
    ("office", "site:site-b", 200),
    ("office", "site:nope", 404),
])
@pytest.mark.parametrize("url", [VIEW, reverse("figures:export")])
def test_it_serves_only_the_users_own_scopes(records, login, persona, scope, status, url):
    response = login(records.persona(persona)).get(url, {"scope": scope, "jaar": 2024})
    assert response.status_code == status


def test_it_refuses_a_year_without_a_codebook(records, login):
    response = login(records.office).get(VIEW, {"scope": "national:NL", "jaar": 1990})
    assert response.status_code == 404


def test_it_marks_hidden_cells_with_one_neutral_mark_for_the_funder(records, login):
    html = login(records.funder).get(VIEW, {"scope": "site:site-a", "jaar": 2024}
                                     ).content.decode()
    # Data standard, "Hidden cells": one mark that claims no value, never "<5" (a hidden cell
    # can hold 5 or 55 when it protects a neighbour).
    assert '<td class="num hidden-cell">×</td>' in html
    assert "<strong>×</strong>: niet getoond om de privacy te beschermen" in html
    assert "&lt;5" not in html and "minder dan 5" not in html
    assert 'role="img"' in html and "<title" in html  # an accessible chart
    assert '<th scope="col"' in html and "<caption>" in html


def test_it_shows_the_coordinator_her_own_small_counts(records, login):
    html = login(records.coordinator_a).get(VIEW, {"scope": "site:site-a", "jaar": 2024}
                                            ).content.decode()
    assert "niet afgeschermd" in html
    assert '<td class="num">2</td>' in html  # two Turkish mothers, her own site


def test_it_exports_the_published_figures_shown(records, login):
    response = login(records.funder).get(reverse("figures:export"),
                                         {"scope": "site:site-a", "jaar": 2024,
                                          "formaat": "csv"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert tuple(rows[0]) == COLUMNS
    turkish = [r for r in rows if r["scope_code"] == "site-a" and r["year"] == "2024"
               and r["variable"] == "mothers.origin" and r["category"] == "turkish"]
    assert turkish[0]["count"] == "" and turkish[0]["suppressed"] == "true"
    assert {r["scope"] for r in rows} == {"site", "national"}
    xlsx = login(records.funder).get(reverse("figures:export"),
                                     {"scope": "site:site-a", "jaar": 2024, "formaat": "xlsx"})
    assert xlsx.content[:2] == b"PK"


def test_it_shows_the_five_year_overview_with_the_shipped_notes(records, login):
    html = login(records.office).get(VIEW, {"scope": "national:NL", "jaar": 2014}
                                     ).content.decode()
    assert "Vijfjarenoverzicht" in html
    assert "als migratieachtergrond" in html  # the 2014 note stays visible
    html = login(records.office).get(VIEW, {"scope": "national:NL", "jaar": 2011}
                                     ).content.decode()
    assert "geen gepubliceerde cijfers" in html  # 2009


def test_it_logs_each_figures_export_without_figures(records, login):
    login(records.funder).get(reverse("figures:export"),
                              {"scope": "site:site-a", "jaar": 2024, "formaat": "xlsx"})
    entry = AuditEntry.objects.get(object_type="figures")
    assert (entry.event, entry.user, entry.object_ref, entry.detail) == (
        Event.EXPORT, records.funder, "2024:site:site-a", "format=xlsx")


def test_it_offers_no_year_after_this_one(world, login):
    # the demo's figures page offered next year, which has no figures (issue 11)
    response = login(world.office).get(
        reverse("figures:view") + f"?scope=national:NL&jaar={dt.date.today().year - 1}")
    assert response.status_code == 200
    assert max(response.context["years"]) == dt.date.today().year


def test_it_marks_a_hidden_site_count_in_the_site_table_with_the_neutral_mark(records, login,
                                                                              monkeypatch):
    """A site's total hidden to protect a neighbour may be 5 or more: the site table says ×."""
    import dataclasses

    from mim.dashboards import views

    real = views.published_figures

    def with_a_hidden_site(*args, **kwargs):
        found = real(*args, **kwargs)
        rows = list(found.sites)
        for i, row in enumerate(rows):
            if row.mothers is not None:
                hidden = dataclasses.replace(row.mothers, count=None, percent=None,
                                             suppressed=True)
                rows[i] = dataclasses.replace(row, mothers=hidden)
                break
        return dataclasses.replace(found, sites=tuple(rows))

    monkeypatch.setattr(views, "published_figures", with_a_hidden_site)
    html = login(records.office).get(VIEW, {"scope": "national:NL", "jaar": 2024}
                                     ).content.decode()
    site_table = html.split('id="h-sites"', 1)[1].split("</table>", 1)[0]
    assert '<td class="num">×</td>' in site_table
    assert "&lt;5" not in html


def test_it_marks_a_hidden_base_with_the_neutral_mark(db, client):
    """Two mothers of unknown origin: the base "met bekende herkomst" would give them away, so
    it is hidden, and reads × like every hidden cell (it read "–")."""
    from mim.accounts.models import Role
    from tests.factories import SiteFactory, user_with_role

    small_unknown = SiteFactory(code="hidden-base-a")
    for i in range(30):
        MotherFactory(site=small_unknown,
                      origin="unknown" if i < 2 else ("turkish" if i < 12 else "dutch"))
    other = SiteFactory(code="hidden-base-b")
    for i in range(40):
        MotherFactory(site=other, origin="turkish" if i < 15 else "dutch")
    client.force_login(user_with_role(Role.PROGRAMME_OFFICE))
    html = client.get(VIEW, {"scope": "site:hidden-base-a", "jaar": 2024}).content.decode()
    assert "(basis: × met bekende herkomst)" in html
    assert "(basis: – " not in html
