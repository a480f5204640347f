"""Dashboard charts: the report charts (mim.reports.charts, deterministic SVG from matplotlib's
Figure API, no pyplot) inlined into a page as accessible images.

Each chart is one `<svg role="img">` with a `<title>` naming what it shows; the numbers
themselves are in the table beside it, so the chart carries no information the table lacks.
"""

import functools
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from mim.reports.charts import BarChart, LineChart, Series, to_svg

_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)
_SIZE = re.compile(r'<svg([^>]*?) width="[^"]*" height="[^"]*"')


def inline(spec: BarChart | LineChart, *, chart_id: str, alt: str) -> SafeString:
    """The chart as an inline `<svg role="img">`, titled with `alt`, ids prefixed by chart_id."""
    return mark_safe(_inline(spec_key(spec), chart_id, alt))  # noqa: S308 (our own SVG, alt escaped)


def spec_key(spec: BarChart | LineChart) -> tuple:
    """A hashable form of a chart spec, so equal charts are drawn once per process."""
    series = tuple((s.name, tuple(s.values), tuple(s.labels) if s.labels else None)
                   for s in spec.series)
    if isinstance(spec, BarChart):
        return ("bar", spec.title, tuple(spec.categories), series, spec.horizontal,
                spec.value_label, spec.decimals, spec.unit)
    return ("line", spec.title, tuple(spec.years), series, spec.value_label, spec.decimals,
            spec.unit, spec.missing_label)


@functools.lru_cache(maxsize=256)
def _inline(key: tuple, chart_id: str, alt: str) -> str:
    spec = _from_key(key)
    svg = to_svg(spec, include_title=False, id_prefix=f"{chart_id}-")
    svg = _PROLOG.sub("", svg, count=1)
    svg = _SIZE.sub(r"<svg\1", svg, count=1)  # scale with the page; the viewBox keeps the shape
    title_id = f"{chart_id}-title"
    return svg.replace(
        "<svg ", f'<svg role="img" aria-labelledby="{title_id}" class="chart" ', 1).replace(
        ">", f'><title id="{title_id}">{escape(alt)}</title>', 1)


def _from_key(key: tuple) -> BarChart | LineChart:
    series = [Series(name, list(values), list(labels) if labels else None)
              for name, values, labels in key[3]]
    if key[0] == "bar":
        _, title, cats, _s, horizontal, value_label, decimals, unit = key
        return BarChart(title, list(cats), series, horizontal=horizontal,
                        value_label=value_label, decimals=decimals, unit=unit)
    _, title, years, _s, value_label, decimals, unit, missing = key
    return LineChart(title, list(years), series, value_label=value_label, decimals=decimals,
                     unit=unit, missing_label=missing)
