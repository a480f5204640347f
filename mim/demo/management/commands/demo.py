import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from mim.demo import generator
from mim.demo.data import SITES


class Command(BaseCommand):
    help = "Fill the database with realistic synthetic demo data (deterministic per seed)."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true",
                            help="remove existing data first (the access log stays)")
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None,
                            metavar="JJJJ-MM-DD",
                            help="the demo's day (default: today): records run up to it, "
                                 "the previous year's returns are under review")

    def handle(self, *args, reset=False, seed=2025, today=None, **options):
        console = Console(file=self.stdout, highlight=False)
        if reset:
            generator.reset()
        elif not generator.database_is_empty():
            raise CommandError("the database already holds data; use --reset to replace it",
                               returncode=1)
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Demogegevens aanmaken", total=len(SITES) + 2)
            result = generator.build(seed, progress=lambda step, n=1: progress.advance(task, n),
                                     today=today)
        console.print(f"{result.sites} locaties, {result.mothers} moeders, "
                      f"{result.volunteers} vrijwilligers, {result.matches} koppelingen, "
                      f"{result.visits} bezoeken (seed {seed}, dag "
                      f"{result.today.isoformat()}).")
        table = Table(title=f"Demo-logins (wachtwoord voor allen: {generator.DEMO_PASSWORD})")
        for column in ("gebruikersnaam", "rol", "bereik"):
            table.add_column(column)
        for login in result.logins:
            table.add_row(login.username, login.role, login.scope)
        console.print(table)
        console.print("Na het wachtwoord vraagt de site een code (tweede stap). Vraag de "
                      "actuele code op met [bold]MIM_DEBUG=true .venv/bin/mim otp-code "
                      "GEBRUIKERSNAAM[/bold], of voeg de sleutel die deze opdracht toont toe "
                      "aan een authenticator-app.")
