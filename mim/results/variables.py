"""The results variables (docs/results.md): names, groups and the months they are read at.

Tidy rows of the data standard (mim.figures.tidy.Figure) with `value` holding the statistic and
`base` the persons behind it; `count` stays empty, since none of these is a count of persons in
a category. Every name starts with `results.`, so nothing that reads the person figures
mistakes one for them (mim.figures.standard.is_protected says they are not suppression's).
"""

import datetime as dt

PREFIX = "results"
COHORTS = 3  # the year's start cohort and the two before it
# Months at which the share still in the programme is read; 6, 12 and 18 are the ones the
# report states, the others draw the chart.
GRID = (3, 6, 9, 12, 15, 18, 21, 24)
STATED = (6, 12, 18)
COMPLETED = "completed"  # the one end reason of the whole programme; any other is early
GROUPS_END = (COMPLETED, "stopped_early")
VISIT_ITEMS = ("per_volunteer_month", "per_mother_month", "monthly_share")


def cutoff_of(year: int, today: dt.date | None = None) -> dt.date:
    return min(dt.date(year, 12, 31), today or dt.date.today())


def retention_variable(population: str, months: int) -> str:
    return f"{PREFIX}.{population}.retention_{months}m"


def median_variable(population: str) -> str:
    return f"{PREFIX}.{population}.median_months"


def visits_variable(item: str) -> str:
    return f"{PREFIX}.visits.{item}"


def cohort_category(year: int) -> str:
    return f"start_{year}"


def is_results(variable: str) -> bool:
    return variable.startswith(PREFIX + ".")


def months_of(variable: str) -> int | None:
    """6 for results.mothers.retention_6m."""
    tail = variable.rpartition(".")[2]
    if tail.startswith("retention_") and tail.endswith("m"):
        return int(tail[len("retention_"):-1])
    return None
