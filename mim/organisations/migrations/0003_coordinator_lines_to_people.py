"""Per-site coordinator lines become people, and per-site policies become the organisation's.

A line of before (label, hours at one site) becomes a coordinator of the site's organisation
with that one assignment. Lines cannot be merged into people automatically: "coördinator 1" of
two sites may or may not be the same person, so each line is its own person (ref
`<site>-<n>`) until the office merges them. The policies (reimbursement, volunteer agreement,
VOG) of an organisation's sites for a year become the organisation's: every code any of its
sites named, and yes where one site said yes, no where the sites said only no.
"""

from django.db import migrations


def forward(apps, schema_editor):
    CoordinatorYear = apps.get_model("organisations", "CoordinatorYear")
    Coordinator = apps.get_model("organisations", "Coordinator")
    Assignment = apps.get_model("organisations", "CoordinatorAssignment")
    SiteYear = apps.get_model("organisations", "SiteYear")
    OrganisationYear = apps.get_model("organisations", "OrganisationYear")
    seen: dict[str, int] = {}
    for line in CoordinatorYear.objects.select_related("site").order_by("site__code", "year",
                                                                           "id"):
        seen[line.site.code] = seen.get(line.site.code, 0) + 1
        person = Coordinator.objects.create(
            organisation_id=line.site.organisation_id,
            ref=f"{line.site.code}-{seen[line.site.code]}"[:40], name=line.label[:100],
            user_id=line.user_id)
        Assignment.objects.create(coordinator=person, site_id=line.site_id, year=line.year,
                                  hours_per_week=line.hours_per_week)
    merged: dict[tuple[int, int], dict] = {}
    for facts in SiteYear.objects.select_related("site").order_by("id"):
        key = (facts.site.organisation_id, facts.year)
        policy = merged.setdefault(key, {"reimbursement": [], "volunteer_agreement": set(),
                                         "vog_required": set()})
        for code in facts.reimbursement or []:
            if code not in policy["reimbursement"]:
                policy["reimbursement"].append(code)
        policy["volunteer_agreement"].add(facts.volunteer_agreement)
        policy["vog_required"].add(facts.vog_required)
    for (organisation, year), policy in merged.items():
        codes = policy["reimbursement"]
        if "none" in codes and len(codes) > 1:
            codes = [c for c in codes if c != "none"]

        def one(answers):
            return "yes" if "yes" in answers else "no" if "no" in answers else "unknown"

        OrganisationYear.objects.create(
            organisation_id=organisation, year=year, reimbursement=codes,
            volunteer_agreement=one(policy["volunteer_agreement"]),
            vog_required=one(policy["vog_required"]))


class Migration(migrations.Migration):
    dependencies = [("organisations", "0002_coordinators_as_people")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
