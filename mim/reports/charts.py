"""Report charts: small data objects and a deterministic matplotlib renderer.

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
"""

from __future__ import annotations

import contextlib
import io
import math
import re
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

# No pyplot and no matplotlib.use(): Figure.savefig picks the Agg/SVG canvas by output format,
# so nothing global (backend, current figure) is touched.
import matplotlib
from matplotlib import rc_context, rcdefaults
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

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
    # Optional ready-made value labels (e.g. "<5" for a suppressed cell); default: formatted value.
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
    buffer = io.StringIO()
    with _chart_settings():
        _draw(spec, include_title).savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    if id_prefix:
        svg = _prefix_ids(svg, id_prefix)
    return svg


def to_png(spec: BarChart | LineChart, dpi: int = 200, *, include_title: bool = True) -> bytes:
    buffer = io.BytesIO()
    with _chart_settings():
        _draw(spec, include_title).savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


_RC = {"svg.hashsalt": "mim-reports", "svg.fonttype": "path", "svg.id": None}
# rcParams are process-global: the lock keeps two threads of a threaded server from changing
# them under each other while a chart is drawn.
_RC_LOCK = threading.Lock()


@contextlib.contextmanager
def _chart_settings():
    """matplotlib's defaults plus ours, whatever a matplotlibrc or other code has set."""
    with _RC_LOCK, rc_context():
        rcdefaults()
        matplotlib.rcParams.update(_RC)
        yield


def _prefix_ids(svg: str, prefix: str) -> str:
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{prefix}\1"', svg)
    return re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)


def _draw(spec: BarChart | LineChart, include_title: bool) -> Figure:
    if isinstance(spec, BarChart):
        fig = _bar_chart(spec)
    elif isinstance(spec, LineChart):
        fig = _line_chart(spec)
    else:
        raise TypeError(f"not a chart spec: {type(spec).__name__}")
    if include_title and spec.title:
        fig.suptitle(spec.title, x=0.01, ha="left", fontsize=BASE_SIZE + 2, fontweight="bold")
    _use_shipped_font(fig)
    return fig


def _new_figure(height: float) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height), layout="constrained", facecolor="white")
    fig.get_layout_engine().set(h_pad=0.08, w_pad=0.08)
    return fig


def _style_axes(ax, value_axis: str) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.spines["left"].set_color(MUTED)
    ax.spines["bottom"].set_color(MUTED)
    ax.tick_params(colors=MUTED, labelcolor=INK, labelsize=BASE_SIZE)
    ax.grid(axis=value_axis, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def _value_formatter(decimals: int) -> FuncFormatter:
    return FuncFormatter(lambda v, _pos: format_number(v, 0 if float(v).is_integer() else decimals))


def _value_locator() -> MaxNLocator:
    # Round steps (10, 20, 25, 50, ...) rather than matplotlib's default 8, 16, 24.
    return MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10])


def _value_range(spec: BarChart | LineChart, headroom: float) -> tuple[float, float]:
    """Axis limits from zero (or the lowest negative value) with room for value labels."""
    values = [v for s in spec.series for v in s.values if v is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    return (low - span * headroom if low < 0 else 0.0), high + span * headroom


def _labels_for(series: Series, spec: BarChart | LineChart) -> list[str]:
    if series.labels is not None:
        return list(series.labels)
    return [
        "" if v is None else format_number(v, spec.decimals) + spec.unit for v in series.values
    ]


def _bar_chart(spec: BarChart) -> Figure:
    n_cat, n_ser = len(spec.categories), len(spec.series)
    # Horizontal bars grow with the number of categories so bar thickness stays readable.
    height = 0.9 + n_cat * (0.28 + 0.2 * n_ser) if spec.horizontal else 3.4
    fig = _new_figure(height)
    ax = fig.add_subplot()
    group = 0.8
    thickness = group / n_ser
    positions = list(range(n_cat))
    for i, series in enumerate(spec.series):
        offsets = [p - group / 2 + thickness * (i + 0.5) for p in positions]
        values = [0 if v is None else v for v in series.values]
        draw = ax.barh if spec.horizontal else ax.bar
        bars = draw(offsets, values, thickness * 0.92, color=PALETTE[i], label=series.name)
        ax.bar_label(bars, labels=_labels_for(series, spec), padding=3,
                     fontsize=BASE_SIZE - 1, color=INK)
    value_axis = "x" if spec.horizontal else "y"
    _style_axes(ax, value_axis)
    limits = _value_range(spec, 0.15)  # room beyond the longest bar for its value label
    if spec.horizontal:
        ax.set_yticks(positions, labels=spec.categories)
        ax.invert_yaxis()  # first category on top, as in a table
        ax.set_xlim(*limits)
        ax.xaxis.set_major_formatter(_value_formatter(spec.decimals))
        ax.set_xlabel(spec.value_label, color=INK)
        ax.set_ylabel(spec.category_label, color=INK)
        ax.tick_params(axis="y", length=0)
    else:
        ax.set_xticks(positions, labels=spec.categories)
        ax.set_ylim(*limits)
        ax.yaxis.set_major_formatter(_value_formatter(spec.decimals))
        ax.set_ylabel(spec.value_label, color=INK)
        ax.set_xlabel(spec.category_label, color=INK)
        ax.tick_params(axis="x", length=0)
    (ax.xaxis if spec.horizontal else ax.yaxis).set_major_locator(_value_locator())
    if limits[0] < 0:  # a baseline makes clear which bars go below zero
        (ax.axvline if spec.horizontal else ax.axhline)(0, color=MUTED, linewidth=0.8)
    if n_ser > 1:
        _legend(fig, ax, n_ser)
    return fig


def _line_chart(spec: LineChart) -> Figure:
    fig = _new_figure(3.2)
    ax = fig.add_subplot()
    years = list(spec.years)
    for i, series in enumerate(spec.series):
        values = [math.nan if v is None else v for v in series.values]
        ax.plot(years, values, color=PALETTE[i], linestyle=LINE_STYLES[i % 4],
                marker=MARKERS[i % 4], markersize=5, linewidth=1.8, label=series.name)
        if spec.show_values and len(spec.series) <= 2:
            # Second series labelled below its points so two series do not collide.
            dy = 7 if i == 0 else -12
            for x, v, text in zip(years, series.values, _labels_for(series, spec), strict=True):
                if v is not None:
                    ax.annotate(text, (x, v), textcoords="offset points", xytext=(0, dy),
                                ha="center", fontsize=BASE_SIZE - 1, color=INK)
    _style_axes(ax, "y")
    ax.set_xticks(years, labels=[str(y) for y in years])
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.set_ylim(*_value_range(spec, 0.2))
    ax.yaxis.set_major_locator(_value_locator())
    ax.yaxis.set_major_formatter(_value_formatter(spec.decimals))
    ax.set_ylabel(spec.value_label, color=INK)
    # Say so where a year has no data at all, instead of leaving an unexplained hole.
    for x, column in zip(years, zip(*(s.values for s in spec.series), strict=True), strict=True):
        if all(v is None for v in column):
            ax.annotate(spec.missing_label, (x, 0), textcoords="offset points", xytext=(0, 6),
                        ha="center", va="bottom", rotation=90, fontsize=BASE_SIZE - 1,
                        color=MUTED, fontstyle="italic")
    if len(spec.series) > 1:
        _legend(fig, ax, len(spec.series))
    return fig


def _legend(fig: Figure, ax, count: int) -> None:
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower center", ncols=count,
               frameon=False, fontsize=BASE_SIZE)


def _use_shipped_font(fig: Figure) -> None:
    """Point every text at the shipped font file, keeping its size, weight and style.

    Selecting by family name could pick matplotlib's own or the system's DejaVu Sans (different
    versions), so the file is named explicitly. Mathtext is switched off because report text
    may contain "$".
    """
    for text in fig.findobj(Text):
        props = text.get_fontproperties()
        weight = props.get_weight()
        bold = weight in ("bold", "heavy", "black", "semibold", "demibold", "extra bold") or (
            isinstance(weight, int) and weight >= 600
        )
        italic = props.get_style() in ("italic", "oblique")
        text.set_fontproperties(
            FontProperties(fname=FONT_FILES[bold, italic], size=props.get_size_in_points())
        )
        text.set_parse_math(False)
