"""The objects the access matrix's URLs point at (shared by the matrix and the access-log
tests): a mother of site A with contact details, a volunteer, their match, a return;
coordinator A's account, her role and a second role proposed for her (the office's user
screens); site A's organisation and a coordinator of it (the office's coordinators and
facts)."""

import datetime as dt

import pytest

from mim.accounts.models import Role, RoleProposal
from mim.organisations.services import coordinator_save
from mim.registry.models import MotherContact
from mim.returns.models import AnnualReturn
from tests.factories import MatchFactory, MotherFactory, VolunteerFactory


@pytest.fixture
def objects(world):
    mother = MotherFactory(site=world.site_a, ref="REF-A-1", start_date=dt.date(2025, 1, 6))
    MotherContact.objects.create(mother=mother, name="Zwaantje Geheim", phone="06-99887766")
    volunteer = VolunteerFactory(site=world.site_a, ref="VA-1")
    match = MatchFactory(mother=mother, volunteer=volunteer)
    AnnualReturn.objects.create(site=world.site_a, year=2025)
    coordinator = coordinator_save(organisation=world.site_a.organisation, ref="C-1")
    proposal = RoleProposal.objects.create(user=world.coordinator_a, role=Role.COORDINATOR,
                                           site=world.site_b, proposed_by=world.operator)
    return {"organisation": world.site_a.organisation.pk, "coordinator": coordinator.pk,
            "mother": mother.pk, "volunteer": volunteer.pk, "match": match.pk,
            "user": world.coordinator_a.pk,
            "assignment": world.coordinator_a.role_assignments.get().pk,
            "proposal": proposal.pk,
            "municipality": world.site_a.municipality.name}
