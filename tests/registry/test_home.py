import datetime as dt

from django.urls import reverse

from mim.accounts.models import Role, RoleAssignment
from tests.factories import MatchFactory, MotherFactory, SiteFactory, VisitFactory, VolunteerFactory


def test_it_shows_the_coordinator_her_sites_day(world, coordinator):
    v = VolunteerFactory(site=world.site_a, vog_date=dt.date(2020, 1, 1))
    VolunteerFactory(site=world.site_a, vog_date=dt.date(2025, 1, 1))
    VolunteerFactory(site=world.site_a, end_date=dt.date(2025, 1, 1), end_reason="moved")
    visited = MatchFactory(volunteer=v, mother__site=world.site_a,
                           mother__start_date=dt.date(2025, 1, 6)).mother
    VisitFactory(mother=visited, date=dt.date(2025, 6, 1))
    MatchFactory(volunteer=v, mother__site=world.site_a, mother__start_date=dt.date(2025, 1, 6))
    MotherFactory(site=world.site_a, start_date=dt.date(2025, 5, 1))  # unmatched
    MotherFactory(site=world.site_a, start_date=dt.date(2023, 10, 1))  # past 18 months
    MotherFactory(site=world.site_a, end_date=dt.date(2025, 1, 1), end_reason="moved")
    MotherFactory.create_batch(3, site=world.site_b)
    response = coordinator.get(reverse("home"))
    (board,) = response.context["registry_dashboards"]
    assert (board.active_mothers, board.active_volunteers, board.unmatched, board.overdue,
            board.vog_due, board.to_close) == (4, 2, 2, 1, 1, 1)
    html = response.content.decode()
    assert "Vandaag in Locatie A" in html
    assert reverse("registry:mothers_to_close", kwargs={"site_code": "site-a"}) in html


def test_it_sends_a_coordinator_of_one_site_straight_to_it(world, coordinator):
    response = coordinator.get(reverse("registry:mothers"))
    assert response["Location"] == reverse("registry:mother_list", kwargs={"site_code": "site-a"})


def test_it_lets_a_coordinator_of_several_sites_choose(world, coordinator):
    RoleAssignment.objects.create(user=world.coordinator_a, role=Role.COORDINATOR,
                                  site=SiteFactory(code="site-c", name="Locatie C"))
    response = coordinator.get(reverse("registry:volunteers"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("registry:volunteer_list", kwargs={"site_code": "site-c"}) in html
    assert reverse("registry:volunteer_list", kwargs={"site_code": "site-a"}) in html
    assert len(coordinator.get(reverse("home")).context["registry_dashboards"]) == 2


def test_it_puts_the_registry_in_the_menu_and_marks_it_current_below(world, coordinator):
    url = reverse("registry:mother_list", kwargs={"site_code": "site-a"})
    html = coordinator.get(url).content.decode()
    assert f'<a href="{reverse("registry:mothers")}" aria-current="page">' in html
