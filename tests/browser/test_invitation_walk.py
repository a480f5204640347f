"""A new coordinator from the office's form to her own site's records, in a browser, on a
desktop and a 390 px phone: the office proposes her, a second office user confirms, she
chooses her own password through the invitation and sets up her second factor. Nobody of
the office ever sees a credential of hers."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from mim.accounts.models import Role, User
from tests.factories import user_with_role

from .conftest import axe_violations, navigate, sign_in


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_it_walks_a_new_coordinator_from_invitation_to_her_records(world, live_server,
                                                                   new_page, width):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    found, wide = [], []

    def look(page):
        nonlocal found
        found += axe_violations(page)
        if not _fits(page):
            wide.append(page.url)

    office = new_page(width)
    sign_in(office, live_server, world.office)
    office.goto(f"{live_server.url}/bureau/gebruikers/nieuw/")
    office.fill("#id_username", "nina.b")
    office.fill("#id_first_name", "Nina")
    office.fill("#id_email", "nina@example.org")
    office.select_option("#id_role", "coordinator")
    office.select_option("#id_site", label="Locatie B")
    navigate(office, "main button[type=submit]")
    expect(office.locator(".messages")).to_contain_text("uitnodiging gekregen op nina@example.org")
    expect(office.locator("main")).to_contain_text("Wacht op bevestiging")
    # She who proposed it has no button to confirm it.
    expect(office.get_by_role("button", name=re.compile("^Bevestigen"))).to_have_count(0)
    look(office)
    (invitation,) = mail.outbox
    link = re.search(r"https?://\S+", invitation.body).group(0)
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in office.content()

    second = new_page(width)
    sign_in(second, live_server, user_with_role(Role.PROGRAMME_OFFICE, "office_2"))
    second.goto(f"{live_server.url}/bureau/gebruikers/")
    look(second)
    navigate(second, "main form button:has-text('Bevestigen')")
    expect(second.locator(".messages")).to_contain_text("De rol is toegekend.")

    nina = new_page(width)
    nina.goto(link.replace("http://localhost:8000", live_server.url))
    assert token not in nina.url  # moved into the session, out of the address bar
    expect(nina.locator("h1")).to_have_text("Uw wachtwoord kiezen")
    look(nina)
    chosen = "lila olifant draagt zeven paraplus"
    nina.fill("#id_new_password1", chosen)
    nina.fill("#id_new_password2", chosen)
    navigate(nina, "main button[type=submit]")
    expect(nina.locator(".messages")).to_contain_text("Uw wachtwoord is opgeslagen.")
    nina.fill("input[name=username]", "nina.b")
    nina.fill("input[name=password]", chosen)
    navigate(nina, "main button[type=submit]")
    assert "/tweede-stap/instellen/" in nina.url
    device = TOTPDevice.objects.get(user=User.objects.get(username="nina.b"))
    code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
    nina.fill("input[name=token]", f"{code:0{device.digits}d}")
    navigate(nina, "main button[type=submit]")
    expect(nina.locator("h1")).to_have_text("Uw herstelcodes")
    navigate(nina, "main a.button")
    response = nina.goto(f"{live_server.url}/registratie/moeders/site-b/")
    assert response.status == 200
    # Her role is for site B alone.
    assert nina.goto(f"{live_server.url}/registratie/moeders/site-a/").status == 404
    assert wide == []
    assert found == []
