"""The office's words in the national report: introduction, summary, quality, national support,
outlook and a free paragraph per chapter, each where it belongs; a preview before saving;
stored per year and audited; never a personal value."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mim.audit.models import AuditEntry, Event
from mim.reports.assemble import national_report
from mim.reports.document import Paragraph
from mim.reports.models import ReportText
from mim.reports.services import save_report_text
from mim.reports.validators import personal_values, validate_no_personal_values
from tests.factories import MotherFactory

YEAR = 2024
TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(("text", "what"), [
    ("Vragen? Mail j.jansen@example.nl", "een e-mailadres"),
    ("Bel haar op 06-12345678.", "een telefoonnummer"),
    ("Bereikbaar via 010 - 123 45 67", "een telefoonnummer"),
    ("Of +31 6 1234 5678", "een telefoonnummer"),
    ("Zij woont Kerkstraat 12, 1234 AB Utrecht", "een postcode met huisnummer"),
    ("Adres: 3511 LX 7", "een postcode met huisnummer"),
    ("Moeder geboren 03-04-1990 stopte", "een geboortedatum"),
    ("Zij is op 5 mei 1988 geboren", "een geboortedatum"),
    ("Geboortedatum: 2020-01-05", "een geboortedatum"),
    ("Moeder M-2024-013 is verhuisd", "iets dat lijkt op de referentie van een moeder of "
                                      "vrijwilliger"),
    ("V12 stopte na twee maanden", "iets dat lijkt op de referentie van een moeder of "
                                   "vrijwilliger"),
    ("BSN 123456789", "een burgerservicenummer"),
])
def test_it_refuses_what_looks_like_a_personal_value(text, what):
    assert what in personal_values(text, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        validate_no_personal_values(text)
    message = refused.value.messages[0]
    assert message.startswith("Deze tekst komt in het gepubliceerde rapport en mag niets "
                              "over een persoon bevatten.")
    assert what in message


@pytest.mark.parametrize("text", [
    "In 2025 bereikte MIM 870 moeders op 20 locaties; 67% had een migratieachtergrond.",
    "Op 12 maart 2025 kwamen de coördinatoren bijeen in Utrecht; 3 bijeenkomsten in 2025.",
    "Van 1 januari 2025 tot 31 december 2025 liep de pilot, 18 maanden lang, ook voor het "
    "2e kind.",
    "GGD Twente en CJG Rijnmond legden 1.234 bezoeken af; het aantal steeg van 0 naar 20.",
    "De erkenning (2014) geldt vijf jaar; zie www.moedersinformeremoeders.nl.",
])
def test_it_accepts_the_prose_of_a_report(text):
    assert personal_values(text, today=TODAY) == []


@pytest.fixture
def records(world):
    for i in range(12):
        MotherFactory(site=world.site_a, origin="turkish" if i < 6 else "dutch",
                      start_date=dt.date(YEAR, 2, 1))
    return world


def chapter(report, title):
    return next(s for s in report.sections if s.title == title)


@pytest.mark.django_db
def test_it_puts_each_office_text_where_it_belongs(records):
    save_report_text(year=YEAR, user=records.office, introduction="Inleidend woord.",
                     summary="Samengevat: een goed jaar.", quality="Erkend als goed onderbouwd.",
                     national_support="Drie bijeenkomsten.", outlook="In 2026 een nieuwe training.",
                     section_texts={"mothers": "Over de moeders.", "history": "Over vijf jaar.",
                                    "nonsense": "weg"})
    report = national_report(YEAR)
    titles = [s.title for s in report.sections]
    assert titles.index("Landelijke ondersteuning") + 1 == titles.index("Vooruitblik")
    assert titles.index("Vooruitblik") < titles.index("MIM over vijf jaar")
    assert chapter(report, "Vooruitblik").blocks[0].text == "In 2026 een nieuwe training."
    summary = chapter(report, "Samenvatting").blocks
    assert summary[-1] == Paragraph("Samengevat: een goed jaar.", editorial=True)
    sites = chapter(report, "Locaties en organisaties")
    quality = sites.subsections[-1]
    assert (quality.title, quality.blocks) == ("Kwaliteit van het programma",
                                               [Paragraph("Erkend als goed onderbouwd.", editorial=True)])
    # A chapter's own paragraph comes after its own blocks.
    assert chapter(report, "MIM-moeders").blocks[-1] == Paragraph("Over de moeders.", editorial=True)
    assert chapter(report, "MIM over vijf jaar").blocks[-1] == Paragraph("Over vijf jaar.", editorial=True)
    assert "weg" not in {b.text for s in report.sections for b in s.blocks
                         if isinstance(b, Paragraph)}
    # Stored per year: another year's report has none of it.
    other = national_report(YEAR + 1)
    assert "Vooruitblik" not in [s.title for s in other.sections]


def form_data(**overrides):
    data = {"introduction": "", "summary": "", "quality": "", "national_support": "",
            "outlook": "", "section_sites": "", "section_coordinators": "",
            "section_mothers": "", "section_endings": "", "section_volunteers": "",
            "section_history": ""}
    data.update(overrides)
    return data


def test_it_saves_the_texts_of_a_year_and_logs_which_changed(records, login):
    client = login(records.office)
    response = client.post(reverse("reports:text", args=[YEAR]), form_data(
        summary="Een goed jaar.", outlook="Volgend jaar meer.", section_volunteers="Dank!"))
    assert response.status_code == 302
    text = ReportText.objects.get(year=YEAR)
    assert (text.summary, text.outlook, text.section_texts) == (
        "Een goed jaar.", "Volgend jaar meer.", {"volunteers": "Dank!"})
    entry = AuditEntry.objects.get(object_type="report_text")
    assert (entry.event, entry.object_ref) == (Event.UPDATE, str(YEAR))
    assert entry.detail == "fields=summary,outlook,section:volunteers"
    assert "goed jaar" not in entry.detail
    page = client.get(reverse("reports:index"), {"jaar": YEAR}).content.decode()
    assert "Volgend jaar meer." in page and "Dank!" in page


def test_it_refuses_a_text_with_a_personal_value_and_keeps_the_stored_one(records, login):
    save_report_text(year=YEAR, user=records.office, summary="Oud.")
    client = login(records.office)
    response = client.post(reverse("reports:text", args=[YEAR]), form_data(
        summary="Nieuw.", section_mothers="Moeder M-2024-013 is verhuisd."), follow=True)
    page = response.content.decode()
    assert "De tekst is niet opgeslagen" in page
    assert "referentie van een moeder of vrijwilliger" in page
    assert ReportText.objects.get(year=YEAR).summary == "Oud."
    with pytest.raises(ValidationError):
        save_report_text(year=YEAR, user=records.office, outlook="Mail a@b.nl")
    assert ReportText.objects.get(year=YEAR).outlook == ""


def test_it_previews_the_report_with_the_draft_texts_without_saving(records, login):
    client = login(records.office)
    response = client.post(reverse("reports:text_preview", args=[YEAR]), form_data(
        outlook="Concept van de vooruitblik.", section_mothers="Eigen alinea <b>moeders</b>."))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Concept van de vooruitblik." in html and "Vooruitblik" in html
    assert "Eigen alinea &lt;b&gt;moeders&lt;/b&gt;." in html
    assert not ReportText.objects.exists()
    entry = AuditEntry.objects.get(object_type="report")
    assert entry.detail == "format=html preview"
    refused = client.post(reverse("reports:text_preview", args=[YEAR]),
                          form_data(outlook="Bel 06-12345678"), follow=True)
    assert "Geen voorbeeld" in refused.content.decode()
    assert not ReportText.objects.exists()
