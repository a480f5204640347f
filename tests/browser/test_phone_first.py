"""Phone first (issue 11, item 6): on a 390 px phone and on a 1280 px desktop no page
scrolls sideways, for every persona and every page she may open; on the phone the menu
folds away behind a button, so a page starts near the top.

The pages come from the access matrix (tests/security/access_matrix.py), which the
security suite keeps complete: a new URL gets a row there and is measured here too."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from mim.organisations.services import (
    coordinator_save,
    organisation_year_save,
    site_coordinators_set,
    site_year_save,
)
from mim.registry.models import MotherContact, VolunteerContact
from mim.returns import services as returns
from mim.returns.models import ReturnYear
from tests.factories import MatchFactory, MotherFactory, VisitFactory, VolunteerFactory, answer
from tests.security.access_matrix import ADMIN_URLS, ALLOW, MATRIX, Row

from .conftest import axe_violations, sign_in
from .layout import sideways_scroll

YEAR = 2025  # the year the matrix's return and figure URLs name
PERSONAS = ["coordinator_a", "organisation_viewer", "funder", "office", "operator"]
PHONE, DESKTOP = 390, 1280
# With the menu folded, the header is one line: the brand and the menu button.
FOLDED_HEADER_PX = 80


@pytest.fixture
def objects(world):
    """Site A in YEAR as a real site looks: long names, answers, matches, visits, an ended
    mother, a volunteer with her VOG due, the facts and a submitted return."""
    site = world.site_a
    volunteers = []
    for n in range(3):
        volunteer = VolunteerFactory(site=site, ref=f"VRIJWILLIGER-{n:03d}",
                                     start_date=dt.date(YEAR - 2, 1, 10),
                                     vog_date=dt.date(YEAR - 3, 1, 5) if n == 0 else None)
        VolunteerContact.objects.create(volunteer=volunteer,
                                        name=f"Wilhelmina van Oldenbarnevelt-Schimmelpenninck {n}",
                                        phone="06-12345678")
        volunteers.append(volunteer)
    mothers = []
    for n in range(8):
        start = dt.date(YEAR, 1 + n, 6) if n else dt.date(YEAR, 1, 6)
        end = dt.date(YEAR, 11, 1) if n == 7 else None
        mother = MotherFactory(site=site, ref=f"REF-A-{n + 1}", start_date=start, end_date=end,
                               end_reason="moved" if end else "",
                               origin="turkish" if n % 2 else "dutch")
        MotherContact.objects.create(
            mother=mother, name="Zwaantje Geheim" if n == 0 else f"Anna-Maria Kowalska-de Vries {n}",
            phone="06-99887766", address="Burgemeester van Walsum-Quispelweg 1234")
        answer(mother, "mother_circumstances", "poor_social_network")
        if n < 6:
            MatchFactory(mother=mother, volunteer=volunteers[n % 3], start_date=start)
            VisitFactory(mother=mother, volunteer=volunteers[n % 3],
                         date=start + dt.timedelta(days=20))
        mothers.append(mother)
    # due for closing: 18 months past
    MotherFactory(site=site, ref="REF-A-DUE", start_date=dt.date(YEAR - 2, 3, 1))
    site_year_save(site=site, year=YEAR, target_group="Eerste kind en tienermoeders",
                   financing=["municipal_subsidy"], variant=["regular"])
    organisation_year_save(organisation=site.organisation, year=YEAR,
                           reimbursement=["travel_costs"], volunteer_agreement="yes",
                           vog_required="yes")
    person = coordinator_save(organisation=site.organisation, ref="c1", name="coördinator 1")
    site_coordinators_set(site=site, year=YEAR, lines=[(person, Decimal("16"))])
    ReturnYear.objects.create(year=YEAR, deadline=dt.date(YEAR + 1, 3, 1))
    draft = returns.return_start(site=site, year=YEAR, user=world.coordinator_a)
    returns.return_submit(annual_return=draft, user=world.coordinator_a,
                          expected_version=draft.version, explanations={})
    first = mothers[0]
    return {"organisation": site.organisation.pk, "coordinator": person.pk,
            "mother": first.pk, "volunteer": volunteers[0].pk,
            "match": first.matches.get().pk, "user": world.coordinator_a.pk,
            "assignment": world.coordinator_a.role_assignments.get().pk,
            "municipality": site.municipality.name}


def _url(row: Row, objects: dict) -> str:
    kwargs = {k: (objects[v.strip("{}")] if isinstance(v, str) and v.startswith("{") else v)
              for k, v in row.kwargs.items()}
    url = reverse(row.name, kwargs=kwargs or None)
    return f"{url}?{row.query}" if row.query else url


def pages_for(persona: str, objects: dict) -> list[str]:
    """Every page the persona may open with GET (the matrix's ALLOW), the admin's for
    the operator."""
    urls = [_url(row, objects) for row in MATRIX
            if not row.api and "get" in row.methods and row.expect[persona] == ALLOW
            and row.name not in ("login", "second_factor", "second_factor_setup")]
    if persona == "operator":
        urls += [reverse(name) for name in ADMIN_URLS]
        # a user with her roles: the admin's widest page (a tabular inline)
        urls.append(reverse("admin:accounts_user_change", args=[objects["user"]]))
    return list(dict.fromkeys(urls))


def _settle(page) -> None:
    # two animation frames: the resize has been handled (site.js) and laid out
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => "
                  "requestAnimationFrame(done)))")


def _measure(page, url: str, wide: list[str], folded: list[str]) -> None:
    for width in (PHONE, DESKTOP):
        page.set_viewport_size({"width": width, "height": 900})
        _settle(page)
        problem = sideways_scroll(page)
        if problem:
            wide.append(problem)
    page.set_viewport_size({"width": PHONE, "height": 900})
    _settle(page)
    header = page.locator("header.site-header")
    if header.count() and header.bounding_box()["height"] > FOLDED_HEADER_PX:
        folded.append(f"{url}: the header takes {header.bounding_box()['height']:.0f} px")


def _is_page(page, url: str) -> bool:
    """Whether the URL answers GET with a page (not a file, not a POST-only action), asked
    outside the browser: navigating Chromium to a download or to an empty 405 leaves an
    error page loading a moment later, which interrupted the next URL's navigation in CI
    (twice, once even after a retry)."""
    response = page.request.get(url)
    assert response.status < 400 or response.status == 405, (url, response.status)
    headers = response.headers
    return (response.status != 405 and "text/html" in headers.get("content-type", "")
            and "attachment" not in headers.get("content-disposition", ""))


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_never_scrolls_sideways_on_any_page_at_390_or_1280_px(world, live_server, new_page,
                                                                objects, persona):
    user = world.persona(persona)
    if persona == "operator":
        # the admin also wants Django's staff flag (given with the operator role on the server)
        user.is_staff = user.is_superuser = True
        user.save()
    page = new_page(PHONE)
    sign_in(page, live_server, user)
    page.goto(live_server.url + "/")
    menu = {href for href in page.eval_on_selector_all(
        "#site-menu nav a", "links => links.map(a => a.getAttribute('href'))")}
    urls = pages_for(persona, objects)
    assert menu and menu <= set(urls), f"menu entries without a matrix row: {menu - set(urls)}"
    wide, folded, violations, measured = [], [], [], 0
    for url in urls:
        if not _is_page(page, live_server.url + url):
            continue
        response = page.goto(live_server.url + url)
        assert response.status < 400, (url, response.status)
        measured += 1
        _measure(page, url, wide, folded)
        if not url.startswith("/beheer/"):  # Django's own admin is not ours to fix
            violations += axe_violations(page)
    assert measured >= len(menu)
    assert wide == [], "\n".join(wide)
    assert folded == [], "\n".join(folded)
    assert violations == [], "\n".join(violations)


@pytest.mark.parametrize("persona", ["coordinator_a", "office"])
def test_it_folds_the_menu_on_a_phone_and_opens_it_by_keyboard(world, live_server, new_page,
                                                               persona):
    page = new_page(PHONE)
    sign_in(page, live_server, world.persona(persona))
    button = page.locator("button.menu-toggle")
    first_entry = page.locator("#site-menu nav a").first
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(first_entry).to_be_hidden()
    assert page.locator("main h1").bounding_box()["y"] < 160  # the content starts at the top

    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(first_entry).to_be_visible()
    page.keyboard.press("Tab")
    expect(first_entry).to_be_focused()
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(first_entry).to_be_hidden()

    page.keyboard.press("Space")
    expect(first_entry).to_be_visible()
    assert sideways_scroll(page) is None
    assert axe_violations(page) == []

    page.set_viewport_size({"width": DESKTOP, "height": 900})
    expect(button).to_be_hidden()
    expect(first_entry).to_be_visible()
