from django.core.management.base import BaseCommand, CommandError

from mim.organisations.models import Site
from mim.returns import services
from mim.returns.models import AnnualReturn

STEPS = ("submit", "approve", "reopen", "not-delivered")


class Command(BaseCommand):
    help = ("The programme office's workflow steps on a site's annual return, for the operator "
            "and scripts: the same services, events and access log as the web.")

    def add_arguments(self, parser):
        parser.add_argument("step", choices=STEPS)
        parser.add_argument("--site", required=True, help="site code")
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--reason", default="", help="required for reopen and not-delivered")

    def handle(self, *args, step, site, year, reason, **options):
        if step in ("reopen", "not-delivered") and not reason.strip():
            raise CommandError(f"{step} needs --reason", returncode=2)
        found = Site.objects.filter(code=site).first()
        if found is None:
            raise CommandError(f"no site with code {site!r}", returncode=1)
        try:
            if step == "not-delivered":
                existing = AnnualReturn.objects.filter(site=found, year=year).first()
                done = services.return_not_delivered(
                    site=found, year=year, user=None, reason=reason, operator=True,
                    expected_version=existing.version if existing else None)
            else:
                annual_return = AnnualReturn.objects.filter(site=found, year=year).first()
                if annual_return is None:
                    raise CommandError(f"{found.code} has no return for {year}", returncode=1)
                common = {"annual_return": annual_return, "user": None, "operator": True,
                          "expected_version": annual_return.version}
                if step == "submit":
                    # The script cannot explain a warning: a return with warnings stays a draft
                    # until its coordinator explains them on the web.
                    done = services.return_submit(explanations={}, **common)
                elif step == "approve":
                    done = services.return_approve(**common)
                else:
                    done = services.return_reopen(reason=reason, **common)
        except services.ReturnRefused as exc:
            lines = [exc.message, *(f.message for f in exc.findings), *exc.errors]
            raise CommandError("\n".join(str(line) for line in lines), returncode=1) from None
        self.stdout.write(f"{found.code} {year}: {done.status}")
