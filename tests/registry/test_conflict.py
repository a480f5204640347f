"""No lost update (security guide D4): two people edit one record."""

import pytest
from django.urls import reverse

from mim.registry import services
from tests.conftest import FullyLoggedInClient as Client

from .conftest import mother_form


def _edit(mother):
    return reverse("registry:mother_edit", kwargs={"site_code": "site-a", "pk": mother.pk})


def test_it_refuses_the_second_save_and_keeps_her_input(world, mother):
    first, second = Client(), Client()
    first.force_login(world.coordinator_a)
    second.force_login(world.coordinator_a)
    version = first.get(_edit(mother)).context["form"].initial["version"]
    assert second.get(_edit(mother)).context["form"].initial["version"] == version

    saved = first.post(_edit(mother), mother_form(ref="M0001", start_date="2025-01-06",
                                                  version=version, origin="turkish"))
    assert saved.status_code == 302
    refused = second.post(_edit(mother), mother_form(ref="M0001", start_date="2025-01-06",
                                                     version=version, origin="surinamese",
                                                     name="Andere Naam"))
    html = refused.content.decode()
    assert refused.status_code == 200
    assert "Iemand anders heeft deze gegevens opgeslagen" in html
    assert 'role="alert"' in html
    assert 'value="Andere Naam"' in html
    assert refused.context["form"]["origin"].value() == "surinamese"
    mother.refresh_from_db()
    assert mother.origin == "turkish" and mother.version == version + 1

    # Having seen the message, she saves deliberately: now against the current version.
    again = second.post(_edit(mother), refused.context["form"].data)
    assert again.status_code == 302
    mother.refresh_from_db()
    assert mother.origin == "surinamese" and mother.version == version + 2


def test_it_refuses_a_stale_version_in_the_service(world, mother):
    values = {"ref": "M0001", "start_date": mother.start_date, "origin": "asia"}
    services.mother_update(mother=mother, version=1, values=values, answers={}, contact={},
                           user=world.coordinator_a)
    with pytest.raises(services.Conflict):
        services.mother_update(mother=mother, version=1, values={**values, "origin": "africa"},
                               answers={}, contact={}, user=world.coordinator_a)
    mother.refresh_from_db()
    assert (mother.origin, mother.version) == ("asia", 2)


def test_it_refuses_a_stale_end(world, coordinator, mother):
    url = reverse("registry:mother_end", kwargs={"site_code": "site-a", "pk": mother.pk})
    services.mother_update(mother=mother, version=1, values={"origin": "asia"}, answers={},
                           contact={}, user=world.coordinator_a)
    response = coordinator.post(url, {"end_date": "2025-06-01", "end_reason": "moved",
                                      "version": 1})
    assert response.status_code == 200
    assert "Iemand anders" in response.content.decode()
    mother.refresh_from_db()
    assert mother.end_date is None
