"""The facts file of a year in the browser (issue 10, open gap 1): the office uploads the
data standard's facts and coordinators files, sees what they hold or every error, and only
a confirmation writes them, all at once, in the access log."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mim.audit.models import AuditEntry
from mim.organisations.models import CoordinatorAssignment, OrganisationYear, SiteYear
from tests.factories import OrganisationFactory, SiteFactory

pytestmark = pytest.mark.django_db
YEAR = 2024
FACTS = ("site;organisation;year;target_group;financing;variant;reimbursement;"
         "group_activities;volunteer_agreement;vog_required\n"
         ";Zorg Noord;2024;;;;reiskosten;;ja;nee\n"
         "noord-1;;2024;Eerste kind;municipal_subsidy;regular;;meeting_groups;;\n")
COORDINATORS = ("coordinator_ref,year,organisation,site,hours_per_week,experience,training\n"
                "anna,2024,Zorg Noord,noord-1,\"2,5\",maternity_care,nursing\n"
                "anna,2024,Zorg Noord,noord-2,4,,\n")


@pytest.fixture
def north(db):
    org = OrganisationFactory(name="Zorg Noord")
    return [SiteFactory(organisation=org, code=f"noord-{n}", first_year=2010) for n in (1, 2)]


def _files(facts=FACTS, coordinators=COORDINATORS):
    return [SimpleUploadedFile("facts.csv", facts.encode()),
            SimpleUploadedFile("coordinators.csv", coordinators.encode())]


def _preview(client, **files):
    return client.post(reverse("office:facts_upload", args=[YEAR]), {"files": _files(**files)})


def test_it_shows_what_the_file_holds_and_writes_only_on_confirmation(world, login, north):
    client = login(world.office)
    preview = _preview(client)
    assert preview.status_code == 200
    html = preview.content.decode()
    # the organisation's row gives its policies only: one site's facts
    assert "de gegevens van 1 locatie" in html and "1 coördinator," in html
    assert "met uren op 2 locaties" in html
    assert not SiteYear.objects.exists() and not CoordinatorAssignment.objects.exists()
    token = preview.context["token"]
    done = client.post(reverse("office:facts_confirm", args=[YEAR]), {"token": token})
    assert done.status_code == 302 and done["Location"].endswith(f"?jaar={YEAR}")
    assert SiteYear.objects.get(site=north[0], year=YEAR).financing == ["municipal_subsidy"]
    assert OrganisationYear.objects.get(year=YEAR).volunteer_agreement == "yes"
    assert CoordinatorAssignment.objects.filter(year=YEAR).count() == 2
    entry = AuditEntry.objects.get(object_type="facts")
    assert (entry.event, entry.user, entry.object_ref) == ("import", world.office, str(YEAR))
    # the token is spent: a second confirmation writes nothing again
    again = client.post(reverse("office:facts_confirm", args=[YEAR]), {"token": token},
                        follow=True)
    assert "Deze upload is verlopen" in again.content.decode()
    assert AuditEntry.objects.filter(object_type="facts").count() == 1


def test_it_lists_every_error_in_dutch_and_writes_nothing(world, login, north):
    bad = COORDINATORS + "carla,2024,Zorg Noord,nergens,50,,\n"
    response = _preview(login(world.office), coordinators=bad)
    html = response.content.decode()
    assert "Het bestand is niet ingelezen: 2 fouten" in html
    assert "coordinators.csv, rij 4, kolom site: onbekende locatie" in html
    assert "kolom hours_per_week: uren per week" in html
    assert response.context["token"] is None
    assert not CoordinatorAssignment.objects.exists()


def test_it_cancels_and_refuses_a_token_of_another_year(world, login, north):
    client = login(world.office)
    token = _preview(client).context["token"]
    other = client.post(reverse("office:facts_confirm", args=[YEAR - 1]), {"token": token})
    assert other.status_code == 302
    assert not SiteYear.objects.exists()
    client.post(reverse("office:facts_confirm", args=[YEAR]), {"token": token, "cancel": "1"})
    client.post(reverse("office:facts_confirm", args=[YEAR]), {"token": token})
    assert not SiteYear.objects.exists() and not AuditEntry.objects.filter(
        object_type="facts").exists()


@pytest.mark.parametrize("persona", ["coordinator_a", "organisation_viewer", "funder",
                                     "operator"])
def test_it_refuses_the_upload_to_everybody_but_the_office(world, login, north, persona):
    client = login(world.persona(persona))
    assert client.get(reverse("office:facts_upload", args=[YEAR])).status_code == 403
    assert _preview(client).status_code == 403
    assert client.post(reverse("office:facts_confirm", args=[YEAR]),
                       {"token": "x" * 43}).status_code == 403


def _rows(response) -> list[tuple[str, str, str, str]]:
    return [(r.subject, r.field, r.before, r.after) for r in response.context["changes"]]


def test_it_shows_field_by_field_what_confirming_would_change(world, login, north):
    """The preview says what changes, not only how many rows the file has: what stands now
    and what it becomes, for site facts, policies and coordinators."""
    from mim.organisations import services

    services.site_year_save(site=north[0], year=YEAR, target_group="Eerste kind",
                            financing=None, variant=["regular"], group_activities=[])
    client = login(world.office)
    rows = _rows(_preview(client))
    site_a, site_b = north[0].name, north[1].name
    # noord-1: target group and variant as stored, so only the changed lists show
    assert (site_a, "financiering", "niet bekend", "gemeentelijke subsidie") in rows
    assert (site_a, "groepsactiviteiten", "geen", "ontmoetingsgroepen") in rows
    assert not [r for r in rows if r[0] == site_a and r[1] in ("doelgroep",
                                                                "uitvoeringsvariant")]
    # the organisation's row gives policies only: noord-2's facts are not touched (they were
    # written as "geen" before, an answer nobody gave)
    assert not [r for r in rows if r[0] == site_b and r[1] != "coördinatoren"]
    assert ("Zorg Noord", "vrijwilligersovereenkomst", "–", "ja") in rows
    assert ("Zorg Noord", "VOG verplicht", "–", "nee") in rows
    assert (site_a, "coördinatoren", "–", "anna (2,5 uur per week)") in rows
    # confirmed, the same file again changes nothing, and the page says so
    client.post(reverse("office:facts_confirm", args=[YEAR]),
                {"token": _preview(client).context["token"]})
    again = _preview(client)
    assert _rows(again) == []
    assert "Het bestand verandert niets" in again.content.decode()
    # another hour count shows as a change of the coordinators
    changed = _preview(client, coordinators=COORDINATORS.replace(",4,,", ",6,,"))
    assert _rows(changed) == [(site_b, "coördinatoren", "anna (4 uur per week)",
                               "anna (6 uur per week)")]


def test_it_writes_hours_in_the_readers_language_in_the_preview():
    """Hours as the year page writes them: a decimal comma in Dutch, a point in English."""
    from decimal import Decimal

    from django.utils import translation

    from mim.organisations.selectors import fact_change_rows
    from mim.spreadsheets.facts import FactChange

    changes = [FactChange("Noord 1", "coordinators", [("anna", Decimal("2.0"))],
                          [("anna", Decimal("2.5")), ("bea", Decimal("12"))])]
    with translation.override("nl"):
        row = fact_change_rows(YEAR, changes)[0]
    assert (row.before, row.after) == ("anna (2 uur per week)",
                                       "anna (2,5 uur per week); bea (12 uur per week)")
    with translation.override("en"):
        row = fact_change_rows(YEAR, changes)[0]
    assert row.after == "anna (2.5 hours per week); bea (12 hours per week)"
