"""Reading a site's aggregate figures from a tidy CSV file (for sites that keep no records here).

Columns `year,scope,scope_code,variable,category,count,base` (the output of `mim figures`
also has `percent` and `suppressed`; they are accepted and ignored, a suppressed row is
refused). Besides the tidy variables a file may carry the balance rows `mothers.balance` and
`volunteers.balance` with categories `start_of_year`, `new` and `end_of_year` (base: the
population total); they feed the balance check and are kept apart from the figures.

All or nothing: every problem is reported as `<file> row <n>, column <code>: <message>`, with
rows numbered as a spreadsheet shows them (the header is row 1), and nothing is returned to
save when there is any. A category left out of a variable counts 0 (the template lists them
all); a variable left out entirely is an error.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from mim.figures import standard
from mim.figures.tidy import Figure
from mim.returns import checks

REQUIRED_COLUMNS = ("year", "scope", "scope_code", "variable", "category", "count", "base")
OPTIONAL_COLUMNS = ("percent", "suppressed")
MAX_BYTES = 512 * 1024  # a full site-year is about 150 rows, some 8 kB
MAX_ROWS = 2000


@dataclass
class Parsed:
    figures: list[Figure] = field(default_factory=list)
    balances: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def _error(filename, row, column, message) -> str:
    return f"{filename} row {row}, column {column}: {message}"


def _integer(text: str) -> int | None:
    text = (text or "").strip()
    if not text.isdigit() or not text.isascii():  # no sign, no decimals, no exponent
        return None
    return int(text)


def parse_aggregate(*, filename: str, content: bytes, year: int, site_code: str) -> Parsed:
    filename = (filename or "upload.csv").replace("\n", " ")[:80]
    parsed = Parsed()
    if len(content) > MAX_BYTES:
        parsed.errors.append(_("%(file)s: het bestand is te groot (hoogstens %(kb)s kB).")
                             % {"file": filename, "kb": MAX_BYTES // 1024})
        return parsed
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        parsed.errors.append(_("%(file)s: het bestand is geen CSV in UTF-8.") % {"file": filename})
        return parsed
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in next(reader, [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        parsed.errors.append(_error(filename, 1, (missing or unknown)[0], _(
            "de kopregel moet de kolommen %(columns)s hebben (ontbreekt: %(missing)s; "
            "onbekend: %(unknown)s).") % {"columns": ",".join(REQUIRED_COLUMNS),
                                          "missing": ", ".join(missing) or "-",
                                          "unknown": ", ".join(unknown) or "-"}))
        return parsed
    _Reader(parsed, filename, year, site_code).read(header, reader)
    return parsed


class _Reader:
    def __init__(self, parsed: Parsed, filename: str, year: int, site_code: str):
        self.parsed, self.filename, self.year, self.site_code = parsed, filename, year, site_code
        self.variables = standard.variables(year)
        self.balance_variables = standard.balance_variables()
        self.values: dict[tuple[str, str], tuple[int, int]] = {}
        self.first_row: dict[str, int] = {}  # variable -> row of its first line
        self.row_of: dict[tuple[str, str], int] = {}
        self.base_of: dict[str, int] = {}

    def error(self, row, column, message):
        self.parsed.errors.append(_error(self.filename, row, column, message))

    def read(self, header, reader) -> None:
        rows = 0
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue  # an empty line at the end is what spreadsheets write
            rows += 1
            if rows > MAX_ROWS:
                self.error(number, "variable", _("te veel regels (hoogstens %(n)s).")
                           % {"n": MAX_ROWS})
                return
            self.read_row(number, dict(zip(header, (c.strip() for c in cells), strict=False)))
        if not self.parsed.errors:
            self.complete()
        if not self.parsed.errors:
            self.check()

    def read_row(self, number: int, row: dict[str, str]) -> None:
        errors_before = len(self.parsed.errors)
        if _integer(row.get("year", "")) != self.year:
            self.error(number, "year", _("het jaar moet %(year)s zijn.") % {"year": self.year})
        if row.get("scope", "").lower() != "site":
            self.error(number, "scope", _("de scope moet 'site' zijn."))
        if row.get("scope_code", "") != self.site_code:
            self.error(number, "scope_code", _("de locatiecode moet %(code)s zijn.")
                       % {"code": self.site_code})
        if row.get("suppressed", "").lower() == "true":
            self.error(number, "suppressed", _("een afgeschermd cijfer kan niet worden "
                                               "aangeleverd; gebruik de echte aantallen."))
        variable, category = row.get("variable", ""), row.get("category", "")
        categories = self._categories(variable)
        if categories is None:
            self.error(number, "variable", _("'%(value)s' is geen variabele van een "
                                             "locatie in %(year)s.")
                       % {"value": variable[:60], "year": self.year})
        elif category not in categories:
            self.error(number, "category", _("'%(value)s' is geen categorie van %(variable)s "
                                             "(toegestaan: %(allowed)s).")
                       % {"value": category[:40], "variable": variable,
                          "allowed": ", ".join(categories)})
        count, base = _integer(row.get("count", "")), _integer(row.get("base", ""))
        if count is None:
            self.error(number, "count", _("geen geheel getal van 0 of meer."))
        if base is None:
            self.error(number, "base", _("geen geheel getal van 0 of meer."))
        if count is not None and base is not None and count > base:
            self.error(number, "count", _("het aantal (%(count)s) is groter dan de basis "
                                          "(%(base)s).") % {"count": count, "base": base})
        if len(self.parsed.errors) > errors_before:
            return
        key = (variable, category)
        if key in self.values:
            self.error(number, "category", _("%(variable)s %(category)s staat al op regel "
                                             "%(row)s.")
                       % {"variable": variable, "category": category, "row": self.row_of[key]})
            return
        first = self.first_row.setdefault(variable, number)
        previous_base = self.base_of.setdefault(variable, base)
        if previous_base != base:
            self.error(number, "base", _("de basis verschilt van die op regel %(row)s (%(base)s); "
                                         "binnen een variabele is de basis gelijk.")
                       % {"row": first, "base": previous_base})
            return
        if category == "all" and count != base:
            self.error(number, "base", _("bij een totaal is de basis gelijk aan het aantal."))
            return
        self.values[key] = (count, base)
        self.row_of[key] = number

    def _categories(self, variable: str):
        if variable in self.variables:
            return self.variables[variable].categories
        return self.balance_variables.get(variable)

    def complete(self) -> None:
        """Every variable present; missing categories of a present variable count 0."""
        given = {v for v, _c in self.values}
        missing = [v for v in self.variables if v not in given]
        for variable in missing:
            self.parsed.errors.append(_("%(file)s: %(variable)s ontbreekt (%(label)s).") % {
                "file": self.filename, "variable": variable,
                "label": standard.variable_label(self.year, variable)})
        for name, spec in self.variables.items():
            base = self.base_of.get(name, 0)
            for category in spec.categories:
                count, _base = self.values.get((name, category), (0, base))
                self.parsed.figures.append(Figure.of(
                    year=self.year, scope="site", scope_code=self.site_code, variable=name,
                    category=category, count=count, base=base))
        for variable in self.balance_variables:
            population = variable.split(".")[0]
            counts = {c: n for (v, c), (n, _b) in self.values.items() if v == variable}
            if counts:
                self.parsed.balances[population] = counts

    def check(self) -> None:
        """The add-up and balance rules, reported at the first row of the variable."""
        findings = checks.check_add_up(self.year, self.parsed.figures)
        findings += [f for f in checks.check_balances(self.year, self.parsed.figures,
                                                      self.parsed.balances) if f.is_error]
        for finding in findings:
            variable = finding.variable
            if finding.key.startswith("balance"):
                variable = f"{variable.split('.')[0]}.{standard.BALANCE_ITEM}"
            self.error(self.first_row.get(variable, 2), "count", finding.message)


def template_csv(*, year: int, site_code: str, figures: list[Figure],
                 balances: dict[str, dict[str, int]]) -> str:
    """A complete file for the site-year to fill in: every variable and category, with the
    figures given (those already uploaded) and zeros elsewhere."""
    known = {(f.variable, f.category): f for f in figures}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REQUIRED_COLUMNS)
    for name, spec in standard.variables(year).items():
        for category in spec.categories:
            f = known.get((name, category))
            writer.writerow([year, "site", site_code, name, category,
                             f.count if f else 0, f.base if f else 0])
    for variable, categories in standard.balance_variables().items():
        population = variable.split(".")[0]
        total = known.get((f"{population}.total", "all"))
        for category in categories:
            writer.writerow([year, "site", site_code, variable, category,
                             (balances.get(population) or {}).get(category, 0),
                             total.count if total else 0])
    return out.getvalue()
