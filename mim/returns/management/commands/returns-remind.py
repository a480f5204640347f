from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mim.organisations.models import Site
from mim.returns import selectors
from mim.returns.models import ReturnYear


class Command(BaseCommand):
    help = ("List the sites whose annual return for a year is not submitted yet (not started "
            "or draft), with the deadline. Reads only; run it as often as you like.")

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int,
                            help="registration year (default: the latest year with a deadline)")

    def handle(self, *args, year=None, **options):
        if year is None:
            year = ReturnYear.objects.values_list("year", flat=True).first()
            if year is None:
                raise CommandError("no year has a deadline yet; give --year", returncode=1)
        deadline = selectors.deadline_for(year)
        # Every site: this is the operator's or office's tool on the server, not a web view.
        rows = [row for row in selectors.overview(year, Site.objects.all())
                if row.status in (selectors.NOT_STARTED, "draft")]
        today = timezone.localdate()
        if deadline is None:
            head = f"{year}: no deadline set"
        elif deadline < today:
            head = f"{year}: deadline {deadline.isoformat()} has passed"
        else:
            head = f"{year}: deadline {deadline.isoformat()} ({(deadline - today).days} days left)"
        self.stdout.write(f"{head}; {len(rows)} site(s) not submitted")
        for row in rows:
            own = row.deadline.isoformat() if row.deadline else "-"
            status = "not started" if row.status == selectors.NOT_STARTED else row.status
            self.stdout.write(f"{row.site.code}\t{row.site.name}\t{status}\tdeadline {own}")
