"""Report charts: small data objects, and their drawings (mim.reports.chart_drawing, matplotlib).

Design choices:

* ``matplotlib.figure.Figure`` is used directly, never pyplot, so no figure or state survives a
  call; the global rcParams used while drawing are reset to matplotlib's defaults plus ours,
  inside ``rc_context`` and a lock, so a matplotlibrc or other code cannot change our charts.
* One colour-blind safe palette (Okabe-Ito), restricted to the colours that reach a 3:1
  contrast against white (WCAG 1.4.11 for graphical objects); lines also differ in dash and
  marker so colour is never the only cue.
* Text is written as glyph outlines (``svg.fonttype='path'``). The chart then looks the same in
  a browser, in Typst and in Word without any font being installed, and Typst needs no font
  lookup while embedding the SVG. The cost, text inside the image that is not selectable, does
  not matter for accessibility: a chart is exposed as one image with an alt text (``role="img"``
  in HTML, ``/Alt`` in the PDF), which hides the image's own text from assistive technology
  anyway, and the figures themselves belong in a table next to the chart.
* Output is byte-for-byte reproducible: fixed hash salt for SVG ids, no creation date, and the
  shipped font file is used explicitly rather than whatever "DejaVu Sans" the system has.
* matplotlib is imported only when a chart is drawn (half a second of a process's start), and a
  drawing is a pure function of its spec: a report keeps its drawings (``kept``,
  mim.reports.services.kept_drawings) under a digest of the spec and of the drawing code, so
  the same chart is never drawn twice, in a process or across processes.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import re
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from importlib import metadata
from pathlib import Path

from mim.figures.tidy import rounded

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVu Sans"
FONT_FILES = {
    (False, False): FONT_DIR / "DejaVuSans.ttf",
    (True, False): FONT_DIR / "DejaVuSans-Bold.ttf",
    (False, True): FONT_DIR / "DejaVuSans-Oblique.ttf",
    (True, True): FONT_DIR / "DejaVuSans-BoldOblique.ttf",
}

# Okabe-Ito blue, vermillion, bluish green, reddish purple, black.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000")
INK = "#1A1A1A"
MUTED = "#595959"  # 7:1 on white, for axis text and notes
GRID = "#D9D9D9"
LINE_STYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D")

WIDTH_IN = 6.3  # 16 cm: the text width of an A4 page with 2.5 cm margins, so 1:1 in the PDF
BASE_SIZE = 9


@dataclass
class Series:
    name: str
    values: list[float | None]
    # Optional ready-made value labels (e.g. "×" for a hidden cell); default: formatted value.
    labels: list[str] | None = None


@dataclass
class BarChart:
    title: str
    categories: list[str]
    # One series, or several to compare (e.g. this year and the previous year), in legend order.
    series: list[Series]
    horizontal: bool = True
    value_label: str = ""  # value axis title, e.g. "Aantal moeders" or "Percentage"
    category_label: str = ""
    decimals: int = 0
    unit: str = ""  # appended to value labels, e.g. "%"

    def __post_init__(self) -> None:
        _check_series(self.series, len(self.categories), self.title)


@dataclass
class LineChart:
    title: str
    years: list[int]
    # Values of None are missing years: the line is broken there and the year is marked.
    series: list[Series]
    value_label: str = ""
    decimals: int = 0
    unit: str = ""
    missing_label: str = "geen gegevens"
    show_values: bool = True  # value labels at the points (drawn for up to two series)

    def __post_init__(self) -> None:
        _check_series(self.series, len(self.years), self.title)


def _check_series(series: list[Series], length: int, title: str) -> None:
    if not series or not length:
        raise ValueError(f"chart {title!r} has no data")
    if len(series) > len(PALETTE):
        raise ValueError(f"chart {title!r}: at most {len(PALETTE)} series")
    for s in series:
        if len(s.values) != length or (s.labels is not None and len(s.labels) != length):
            raise ValueError(f"chart {title!r}: series {s.name!r} has the wrong length")


def format_number(value: float, decimals: int = 0) -> str:
    """Dutch notation, 1.234,5 (point for thousands, comma for decimals), rounding halves up
    as readers expect (2,25 -> 2,3) rather than to even as Python's format does."""
    exact = rounded(Decimal(repr(float(value))), decimals)
    if exact.is_zero():
        exact = abs(exact)  # no "-0,0"
    text = f"{exact:,.{decimals}f}"
    return text.translate(str.maketrans({",": ".", ".": ","}))


def to_svg(spec: BarChart | LineChart, *, include_title: bool = True, id_prefix: str = "") -> str:
    """The chart as a standalone SVG document.

    ``id_prefix`` makes every id in the SVG unique, which matters when several charts are
    inlined in one HTML page (matplotlib reuses glyph ids such as ``DejaVuSans-30``).
    """
    key = spec_key(spec)
    drawings = _KEPT.get()
    if drawings is None:
        svg = _svg(key, include_title)
    else:
        name = drawing_key(key, include_title)
        svg = drawings.get(name)
        if svg is None:
            svg = drawings[name] = _svg(key, include_title)
    if id_prefix:
        svg = _prefix_ids(svg, id_prefix)
    return svg


def to_png(spec: BarChart | LineChart, dpi: int = 150, *, include_title: bool = True) -> bytes:
    # 150 dpi: 945 pixels over the 16 cm text width, sharp on paper, and half the drawing time
    # of 200 dpi.
    return _png(spec_key(spec), dpi, include_title)


# A chart is drawn once per process for each form it is asked in: the same report in three
# formats, a preview of the office's texts drawn again and again, or the same figures on many
# dashboards reuse the drawing. Specs are small; 256 drawings are a few megabytes at most.
@functools.lru_cache(maxsize=256)
def _svg(key: tuple, include_title: bool) -> str:
    from mim.reports import chart_drawing

    return chart_drawing.svg(from_key(key), include_title)


@functools.lru_cache(maxsize=128)
def _png(key: tuple, dpi: int, include_title: bool) -> bytes:
    from mim.reports import chart_drawing

    return chart_drawing.png(from_key(key), dpi, include_title)


def spec_key(spec: BarChart | LineChart) -> tuple:
    """A hashable form of a chart spec: equal specs are equal keys."""
    if not isinstance(spec, BarChart | LineChart):
        raise TypeError(f"not a chart spec: {type(spec).__name__}")
    series = tuple((s.name, tuple(s.values), tuple(s.labels) if s.labels else None)
                   for s in spec.series)
    if isinstance(spec, BarChart):
        return ("bar", spec.title, tuple(spec.categories), series, spec.horizontal,
                spec.value_label, spec.category_label, spec.decimals, spec.unit)
    return ("line", spec.title, tuple(spec.years), series, spec.value_label, spec.decimals,
            spec.unit, spec.missing_label, spec.show_values)


def from_key(key: tuple) -> BarChart | LineChart:
    series = [Series(name, list(values), list(labels) if labels else None)
              for name, values, labels in key[3]]
    if key[0] == "bar":
        _, title, cats, _s, horizontal, value_label, category_label, decimals, unit = key
        return BarChart(title, list(cats), series, horizontal=horizontal,
                        value_label=value_label, category_label=category_label,
                        decimals=decimals, unit=unit)
    _, title, years, _s, value_label, decimals, unit, missing, show_values = key
    return LineChart(title, list(years), series, value_label=value_label, decimals=decimals,
                     unit=unit, missing_label=missing, show_values=show_values)


def _prefix_ids(svg: str, prefix: str) -> str:
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)


# --- drawings kept beyond the process ---------------------------------------------------------

# The drawings of the current render, by drawing_key: set by `kept`, read and filled by to_svg.
# A context variable, so two threads of a server rendering two reports never share one.
_KEPT: ContextVar[dict[str, str] | None] = ContextVar("kept_drawings", default=None)
_DRAWING_CODE = ("charts.py", "chart_drawing.py")


@contextlib.contextmanager
def kept(drawings: dict[str, str]):
    """Within the block, to_svg takes a chart's drawing from `drawings` (by drawing_key) and
    adds each chart it has to draw, so the caller can keep the new ones."""
    token = _KEPT.set(drawings)
    try:
        yield drawings
    finally:
        _KEPT.reset(token)


@functools.cache
def _style() -> str:
    """What a drawing depends on besides its spec: the drawing code, the shipped fonts and
    matplotlib's version. A change of any of them gives every chart a new drawing_key."""
    # matplotlib's own version file: read without importing matplotlib, and without the
    # scan of every installed distribution that importlib.metadata makes (50 ms).
    version = Path(importlib.util.find_spec("matplotlib").origin).with_name("_version.py")
    digest = hashlib.sha256(version.read_bytes() if version.exists()
                            else metadata.version("matplotlib").encode())
    here = Path(__file__).resolve().parent
    for name in _DRAWING_CODE:
        digest.update((here / name).read_bytes())
    for path in sorted(FONT_FILES.values()):
        digest.update(f"{path.name}:{path.stat().st_size}".encode())
    return digest.hexdigest()


def drawing_key(key: tuple, include_title: bool) -> str:
    """The name of a chart's SVG drawing: equal for equal specs (spec_key) drawn the same way.

    JSON keeps 1 and 1.0 apart, and a Decimal is written with its type, so two specs that
    could be drawn differently never share a name; lazy texts are written as translated."""
    def other(value):
        if isinstance(value, Decimal):
            return f"Decimal({value})"
        return str(value)  # a lazy (translatable) text

    text = json.dumps([_style(), key, include_title], default=other, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
