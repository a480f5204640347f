"""Subtraction of two versions of one year's publication (docs/publication.md, "Earlier
releases of the same year"). Found by a review on 2026-12-07, when each version was audited on
its own; closed by the joint audit of mim.publication.releases."""

import datetime as dt
import random

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from mim.figures import standard
from mim.returns.models import AnnualReturn, ReturnYear
from tests.factories import MotherFactory, SiteFactory, answer, random_mother
from tests.publication.exported import exported

pytestmark = pytest.mark.django_db

YEAR = 2024
UNDOCUMENTED = ("mothers.mother_circumstances", "undocumented")


def _export(client, scope: str) -> dict:
    return exported(client, YEAR, scope)


def _four_other_sites(world):
    """Fifteen mothers each, six undocumented in all: the national cell is shown."""
    for k, site in enumerate([world.site_b, *[SiteFactory() for _ in range(3)]]):
        for n in range(15):
            mother = MotherFactory(site=site, start_date=dt.date(YEAR, 2, 1))
            if n < (3 if k < 2 else 0):
                answer(mother, "mother_circumstances", "undocumented")


def test_it_keeps_a_sites_hidden_cell_when_the_office_marks_it_not_delivered_and_back(
        world, client):
    ReturnYear.objects.create(year=YEAR, deadline=dt.date(YEAR + 1, 3, 1))
    target = world.site_a
    for n in range(15):
        mother = MotherFactory(site=target, start_date=dt.date(YEAR, 2, 1))
        if n < 2:
            answer(mother, "mother_circumstances", "undocumented")
    _four_other_sites(world)
    client.force_login(world.office)
    assert _export(client, f"site:{target.code}")[UNDOCUMENTED]["suppressed"] == "true"
    before = _export(client, "national:NL")
    assert before[UNDOCUMENTED]["suppressed"] == "false"
    response = client.post(reverse("returns:not_delivered", args=[target.code, YEAR]),
                           {"text": "controle"})
    assert response.status_code == 302
    after = _export(client, "national:NL")
    annual_return = AnnualReturn.objects.get(site=target, year=YEAR)
    client.post(reverse("returns:reopen", args=[target.code, YEAR]),
                {"text": "toch", "version": annual_return.version})
    assert _export(client, "national:NL") == before
    shown_after = after[UNDOCUMENTED]["count"]
    assert shown_after == "" or int(before[UNDOCUMENTED]["count"]) - int(shown_after) != 2


def test_it_keeps_a_new_mothers_hidden_cell_from_two_versions(world, client):
    for _ in range(15):
        MotherFactory(site=world.site_a, start_date=dt.date(YEAR, 2, 1))
    _four_other_sites(world)
    client.force_login(world.funder)  # the funder of site A's municipality
    municipality = f"municipality:{world.site_a.municipality.name}"
    before_m, before_n = _export(client, municipality), _export(client, "national:NL")
    new = MotherFactory(site=world.site_a, start_date=dt.date(YEAR, 11, 1))
    answer(new, "mother_circumstances", "undocumented")
    after_m, after_n = _export(client, municipality), _export(client, "national:NL")
    assert before_m[UNDOCUMENTED]["count"] == "0"
    assert after_m[UNDOCUMENTED]["suppressed"] == "true"  # 1 undocumented: hidden here
    shown = after_n[UNDOCUMENTED]["count"], before_n[UNDOCUMENTED]["count"]
    assert "" in shown or int(shown[0]) - int(shown[1]) != 1


def test_it_audits_a_new_publication_with_the_years_earlier_ones(world, client):
    """The second publication's audit holds the first: its summary says so, and what the
    joint audit needs of the first is kept apart from what is read (never in a payload)."""
    from mim.publication.models import Publication, PublicationTruth, PublishedScope

    for _ in range(15):
        MotherFactory(site=world.site_a, start_date=dt.date(YEAR, 2, 1))
    _four_other_sites(world)
    client.force_login(world.office)
    _export(client, "national:NL")
    MotherFactory(site=world.site_a, start_date=dt.date(YEAR, 11, 1))
    _export(client, "national:NL")
    first, second = Publication.objects.filter(year=YEAR).order_by("number")
    assert first.audit["releases"] == 0 and second.audit["releases"] == 1
    assert PublicationTruth.objects.filter(publication__in=[first, second]).count() == 2
    assert all("truth" not in payload and "sites" not in payload.get("figures", {})
               for payload in PublishedScope.objects.values_list("payload", flat=True))


# --- property: one change between two publications, attacked by subtraction ----------------


def _stored(publication) -> dict:
    """Every scope of a stored publication as the office downloads it: by (scope, code), the
    rows by (variable, category): the count, or None where hidden."""
    from mim.publication.models import PublishedScope
    from mim.publication.selectors import _figure

    out = {}
    for scope, code, payload in (PublishedScope.objects.filter(publication=publication)
                                 .values_list("scope", "code", "payload")):
        rows = {}
        for row in payload["figures"]:
            f = _figure(YEAR, scope, code, row)
            if standard.is_protected(f.variable):
                rows[(f.variable, f.category)] = None if f.suppressed else f.count
        out[(scope, code)] = rows
    return out


def _truth(site_code: str | None = None) -> dict:
    from mim.publication.inputs import YearFigures

    data = YearFigures(YEAR)
    if site_code is not None:
        return {(f.variable, f.category): f for f in data.site_figures.get(site_code, ())}
    return data


@settings(max_examples=8, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],  # a shrink would rebuild years for minutes
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(sizes=st.lists(st.sampled_from([3, 6, 11, 14, 20, 35]), min_size=4, max_size=4),
       seed=st.integers(0, 10**6), not_delivered=st.booleans())
def test_it_gives_no_hidden_cell_away_by_subtracting_two_publications(
        world, client, sizes, seed, not_delivered):
    """A year of four sites (two sharing a municipality) is read, then one thing changes at
    site A: a mother is registered with random answers, or the office marks A as not
    delivered. Whoever read both publications knows what changed where, so every cell shown
    in a scope containing A in both gives the change of that cell; with a cell of a scope
    containing A shown in one publication and hidden in the other, that gives the hidden one.
    None of the cells so found may be one the primary rules hide (1 to 4 persons)."""
    from django.db import transaction

    from mim.figures.suppression import is_primary
    from mim.publication.models import Publication

    with transaction.atomic():
        rng = random.Random(seed)
        ReturnYear.objects.get_or_create(year=YEAR, defaults={"deadline": dt.date(YEAR + 1, 3, 1)})
        a = SiteFactory(municipality=world.site_a.municipality)
        sites = [a, world.site_a, world.site_b, SiteFactory()]
        for site, size in zip(sites, sizes, strict=True):
            for _ in range(size):
                random_mother(rng, site, dt.date(YEAR, 2, 1))
        client.force_login(world.office)
        _export(client, "national:NL")
        old_truth = _truth()
        if not_delivered:
            response = client.post(reverse("returns:not_delivered", args=[a.code, YEAR]),
                                   {"text": "controle"})
            assert response.status_code == 302
        else:
            random_mother(rng, a, dt.date(YEAR, 11, 1))
        _export(client, "national:NL")
        new_truth = _truth()
        old_p, new_p = Publication.objects.filter(year=YEAR).order_by("-number")[:2][::-1]
        old, new = _stored(old_p), _stored(new_p)
        containing = [("national", "NL"), ("organisation", a.organisation.name),
                      ("municipality", a.municipality.name), ("site", a.code)]
        containing += [("site", code) for (scope, code), payload in new.items()
                       if scope == "site" and code.startswith("overig:")]  # a group holds A
        change = {}
        for scope in containing[:3]:
            for cell, value in new.get(scope, {}).items():
                before = old.get(scope, {}).get(cell)
                if value is not None and before is not None:
                    change[cell] = value - before
        found = []
        for scope in containing:
            for cell, delta in change.items():
                before, after = old.get(scope, {}).get(cell), new.get(scope, {}).get(cell)
                if before is not None and after is None:
                    found.append(("new", scope, cell, before + delta))
                elif after is not None and before is None:
                    found.append(("old", scope, cell, after - delta))
            if not_delivered and scope == ("site", a.code):
                # A leaves every sum: each change shown is minus one of A's true cells.
                found += [("old", scope, cell, -delta) for cell, delta in change.items()
                          if old.get(scope, {}).get(cell) is None]
        for version, scope, cell, value in found:
            f = _true_cell(old_truth if version == "old" else new_truth,
                           old_p if version == "old" else new_p, scope, cell)
            assert f is None or not (is_primary(f) and f.count == value), (version, scope, cell)
        transaction.set_rollback(True)


def _true_cell(data, publication, scope, cell):
    """A cell's true figure in a publication's year as it was: a merged group's is the sum of
    its members' (named in the stored national site table)."""
    from mim.figures.tidy import Figure
    from mim.publication.models import PublishedScope

    if scope[0] != "site":
        return next((f for f in data.figure_set(*scope).figures
                     if (f.variable, f.category) == cell), None)
    members = [scope[1]]
    if scope[1].startswith("overig:"):
        national = PublishedScope.objects.get(publication=publication, scope="national")
        members = [row[0] for row in national.payload["sites"] if row[6] == scope[1]]
    found = [f for code in members for f in data.site_figures.get(code, ())
             if (f.variable, f.category) == cell]
    if not found:
        return None
    return Figure(YEAR, *scope, *cell, sum(f.count or 0 for f in found),
                  sum(f.base or 0 for f in found), None)
