"""The reports page: who may download which report (404 otherwise), the programme office's
texts, the access log of every download, and the command's exit codes."""

import pytest
from django.urls import reverse

from mim.audit.models import AuditEntry, Event
from mim.cli import main
from mim.reports.models import ReportText
from tests.conftest import PERSONAS
from tests.factories import MotherFactory

YEAR = 2024
PDF = "application/pdf"


def refused(response, persona) -> bool:
    """404 for every logged-in persona without the right; the login page for a visitor."""
    if persona == "anonymous":
        return response.status_code == 302 and "/inloggen/" in response["Location"]
    return response.status_code == 404


@pytest.fixture
def records(world):
    for i in range(12):
        MotherFactory(site=world.site_a, origin="turkish" if i < 6 else "dutch")
    return world


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_offers_the_page_to_coordinators_and_the_programme_office_only(world, login,
                                                                          persona):
    response = login(world.persona(persona)).get(reverse("reports:index"))
    if persona in ("coordinator_a", "coordinator_b", "office"):
        assert response.status_code == 200
    else:
        assert refused(response, persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_gives_the_site_report_to_the_sites_own_coordinator_only(records, login, persona):
    url = reverse("reports:site", args=["site-a", YEAR, "pdf"])
    response = login(records.persona(persona)).get(url)
    if persona == "coordinator_a":
        assert response.status_code == 200
        assert response["Content-Type"] == PDF
        assert "locatie-site-a" in response["Content-Disposition"]
    else:
        assert refused(response, persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_gives_the_national_report_to_the_programme_office_only(world, login, persona):
    url = reverse("reports:national", args=[YEAR, "html"])
    response = login(world.persona(persona)).get(url)
    if persona == "office":
        assert response.status_code == 200
    else:
        assert refused(response, persona)


def test_it_logs_every_download_without_figures(records, login):
    client = login(records.office)
    assert client.get(reverse("reports:national", args=[YEAR, "docx"])).status_code == 200
    entry = AuditEntry.objects.get(object_type="report")
    assert (entry.event, entry.username, entry.object_ref, entry.detail) == (
        Event.EXPORT, "office", f"{YEAR}:national", "format=docx")
    client = login(records.coordinator_a)
    assert client.get(reverse("reports:site", args=["site-a", YEAR, "html"])).status_code == 200
    entry = AuditEntry.objects.filter(object_type="report").order_by("-id").first()
    assert entry.site_id == records.site_a.pk and entry.object_ref == f"{YEAR}:site:site-a"


def test_it_refuses_unknown_formats_and_years(world, login):
    client = login(world.office)
    assert client.get(reverse("reports:national", args=[YEAR, "exe"])).status_code == 404
    assert client.get(reverse("reports:national", args=[1990, "pdf"])).status_code == 404
    assert not AuditEntry.objects.filter(object_type="report").exists()


def test_it_puts_the_office_texts_in_the_report_as_plain_text(world, login):
    client = login(world.office)
    response = client.post(reverse("reports:text", args=[YEAR]), {
        "introduction": "Eerste alinea <b>vet</b>.\n\nTweede alinea.",
        "national_support": "Drie bijeenkomsten voor coördinatoren."})
    assert response.status_code == 302
    text = ReportText.objects.get(year=YEAR)
    assert text.updated_by == world.office
    html = client.get(reverse("reports:national", args=[YEAR, "html"])).content.decode()
    assert "Eerste alinea &lt;b&gt;vet&lt;/b&gt;." in html
    assert "Tweede alinea." in html and "Landelijke ondersteuning" in html
    assert html.index("Eerste alinea") < html.index("Dit rapport geeft")


@pytest.mark.parametrize("persona", ["coordinator_a", "organisation_viewer", "funder",
                                     "operator", "anonymous"])
def test_it_lets_only_the_programme_office_write_the_texts(world, login, persona):
    response = login(world.persona(persona)).post(reverse("reports:text", args=[YEAR]),
                                                  {"introduction": "x"})
    assert refused(response, persona)
    assert not ReportText.objects.exists()


@pytest.fixture(autouse=True)
def _keep_connection(monkeypatch):
    # The console script closes the database connections when a command ends, which would
    # end the test's own transaction on PostgreSQL.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def run(capsys, *args):
    try:
        main(["mim", "report", *args])
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().err


def test_it_exits_1_for_an_unknown_year_or_site(world, capsys, tmp_path):
    code, err = run(capsys, "--year", "1990", "--format", "pdf", "-o", str(tmp_path / "r.pdf"))
    assert code == 1 and "unknown year" in err
    code, err = run(capsys, "--year", str(YEAR), "--site", "nowhere", "--format", "pdf",
                    "-o", str(tmp_path / "r.pdf"))
    assert code == 1 and "unknown site" in err
    assert not (tmp_path / "r.pdf").exists()


def test_it_exits_2_for_wrong_usage(world, capsys, tmp_path):
    code, _ = run(capsys, "--year", str(YEAR), "--format", "odt", "-o", str(tmp_path / "r"))
    assert code == 2
    code, _ = run(capsys, "--year", str(YEAR), "--format", "pdf")
    assert code == 2


def test_it_writes_a_site_report_with_the_sites_own_figures(records, capsys, tmp_path):
    target = tmp_path / "site.html"
    code, _ = run(capsys, "--year", str(YEAR), "--site", "site-a", "--format", "html",
                  "-o", str(target))
    assert code == 0
    html = target.read_text()
    assert "Locatie A" in html and "Nederland" in html
    # the site's own figures unsuppressed (6 of 12 Turkish), the national ones published
    assert "<td>Turks</td>" in html or "Turks" in html
    assert "Vertrouwelijk" in html


def test_it_makes_the_same_national_report_whoever_of_the_office_makes_it(db, client):
    """An office user who also coordinates a site gets that site in the national report as
    published (a document for distribution), not her own unsuppressed figures."""
    from mim.accounts.models import Role, RoleAssignment
    from tests.factories import SiteFactory, VolunteerFactory, user_with_role

    small = SiteFactory(code="a", name="Locatie Aap")
    for site, mothers, volunteers in ((small, 12, 3), (SiteFactory(code="b"), 40, 20),
                                      (SiteFactory(code="c"), 30, 15)):
        MotherFactory.create_batch(mothers, site=site)
        VolunteerFactory.create_batch(volunteers, site=site)
    office = user_with_role(Role.PROGRAMME_OFFICE)
    both = user_with_role(Role.PROGRAMME_OFFICE)
    RoleAssignment.objects.create(user=both, role=Role.COORDINATOR, site=small)
    url = reverse("reports:national", args=[2024, "html"])
    pages = []
    for user in (office, both):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        pages.append(response.content.decode())
    row = pages[1].split("Locatie Aap</th>", 1)[1].split("</tr>", 1)[0]
    assert "×" in row  # her 3 volunteers are hidden in the published figures
    assert pages[0] == pages[1]
