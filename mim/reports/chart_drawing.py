"""Drawing a report chart (mim.reports.charts) with matplotlib: imported only when a chart is
drawn, never to read or compare specs.

See mim.reports.charts for the design (Figure without pyplot, rcParams reset inside a lock,
glyphs as outlines, byte-for-byte reproducible output). A change here gives every chart a new
drawing key (charts.drawing_key), so no drawing kept from before it is used again.
"""

from __future__ import annotations

import contextlib
import functools
import io
import math
import textwrap
import threading

# No pyplot and no matplotlib.use(): Figure.savefig picks the Agg/SVG canvas by output format,
# so nothing global (backend, current figure) is touched.
import matplotlib
from matplotlib import rc_context, rcdefaults
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator
from matplotlib.transforms import offset_copy

from mim.reports.charts import (
    BASE_SIZE,
    FONT_FILES,
    GRID,
    INK,
    LINE_STYLES,
    MARKERS,
    MUTED,
    PALETTE,
    WIDTH_IN,
    BarChart,
    LineChart,
    Series,
    format_number,
)


def svg(spec: BarChart | LineChart, include_title: bool) -> str:
    buffer = io.StringIO()
    with _chart_settings():
        _draw(spec, include_title).savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def png(spec: BarChart | LineChart, dpi: int, include_title: bool) -> bytes:
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


def _draw(spec: BarChart | LineChart, include_title: bool) -> Figure:
    title = include_title and bool(spec.title)
    if isinstance(spec, BarChart):
        fig = _bar_chart(spec, title)
    elif isinstance(spec, LineChart):
        fig = _line_chart(spec, title)
    else:
        raise TypeError(f"not a chart spec: {type(spec).__name__}")
    if title:
        fig.suptitle(spec.title, x=0.01, y=1 - 0.06 / fig.get_figheight(), ha="left",
                     va="top", fontsize=BASE_SIZE + 2, fontweight="bold")
    _use_shipped_font(fig)
    return fig


# The layout is computed here, in inches, from the texts' widths in the shipped font, rather
# than by matplotlib's constrained layout: that measures every text in an extra drawing pass
# and took half of a chart's time, and a report has a dozen charts.
TITLE_IN = 0.34  # room for a title above the axes
LEGEND_IN = 0.32  # room for a legend of one row below them
LINE_IN = BASE_SIZE * 1.25 / 72  # one line of axis text
LABEL_CHARS = 34  # category labels wrap after this many characters


@functools.cache
def _advances() -> tuple[dict, int]:
    from fontTools.ttLib import TTFont

    font = TTFont(FONT_FILES[False, False], lazy=True)
    metrics = font["hmtx"].metrics
    return ({code: metrics[name][0] for code, name in font.getBestCmap().items()},
            font["head"].unitsPerEm)


def text_inches(text: str, size: float = BASE_SIZE) -> float:
    widths, per_em = _advances()
    fallback = widths.get(ord("M"), per_em)
    return sum(widths.get(ord(c), fallback) for c in text) / per_em * size / 72


def _wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, LABEL_CHARS, break_long_words=False)) or label


def _new_figure(height: float, *, left: float, bottom: float, top: float,
                right: float = 0.12) -> Figure:
    fig = Figure(figsize=(WIDTH_IN, height), facecolor="white")
    fig.subplots_adjust(left=left / WIDTH_IN, right=1 - right / WIDTH_IN,
                        bottom=bottom / height, top=1 - top / height)
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


def _bar_chart(spec: BarChart, title: bool) -> Figure:
    n_cat, n_ser = len(spec.categories), len(spec.series)
    labels = [_wrap(c) for c in spec.categories]
    top = 0.1 + (TITLE_IN if title else 0)
    legend = LEGEND_IN if n_ser > 1 else 0
    if spec.horizontal:
        lines = max(label.count("\n") + 1 for label in labels)
        # Bars grow with the number of series; a row is never lower than its label.
        row = max(0.1 + 0.17 * n_ser, lines * LINE_IN + 0.08)
        height = top + n_cat * row + 0.1 + legend
        left = 0.1 + max(text_inches(line) for label in labels for line in label.split("\n"))
        left += LINE_IN + 0.05 if spec.category_label else 0
        fig = _new_figure(height, left=left, bottom=0.1 + legend, top=top, right=0.1)
    else:
        height = 3.4
        fig = _new_figure(height, left=0.75, bottom=0.1 + legend + 2 * LINE_IN + 0.1,
                          top=top)
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
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(colors=MUTED, labelcolor=INK, labelsize=BASE_SIZE, length=0)
    limits = _value_range(spec, 0.15)  # room beyond the longest bar for its value label
    # Every bar carries its value, so the value axis would only repeat them: it is left out,
    # which also saves drawing its ticks and labels.
    if spec.horizontal:
        # Category names as plain texts beside the axis: a tick per category costs two
        # markers and two texts each, and the categories need neither marks nor a locator.
        ax.yaxis.set_major_locator(NullLocator())
        beside = offset_copy(ax.get_yaxis_transform(), fig=fig, x=-4, units="points")
        for position, label in zip(positions, labels, strict=True):
            ax.text(0, position, label, transform=beside, ha="right", va="center",
                    fontsize=BASE_SIZE, color=INK, multialignment="right")
        ax.set_ylim(n_cat - 0.5, -0.5)  # first category on top, as in a table
        ax.set_xlim(*limits)
        ax.xaxis.set_visible(False)
        ax.spines["bottom"].set_visible(False)
        ax.spines["left"].set_color(MUTED)
        ax.set_ylabel(spec.category_label, color=INK)
    else:
        ax.set_xticks(positions, labels=labels)
        ax.set_xlim(-0.5, n_cat - 0.5)
        ax.set_ylim(*limits)
        ax.yaxis.set_visible(False)
        ax.spines["left"].set_visible(False)
        ax.spines["bottom"].set_color(MUTED)
        ax.set_xlabel(spec.category_label, color=INK)
    if limits[0] < 0:  # a baseline makes clear which bars go below zero
        (ax.axvline if spec.horizontal else ax.axhline)(0, color=MUTED, linewidth=0.8)
    if n_ser > 1:
        _legend(fig, ax, n_ser)
    return fig


def _line_chart(spec: LineChart, title: bool) -> Figure:
    top = 0.15 + (TITLE_IN if title else 0)
    legend = LEGEND_IN if len(spec.series) > 1 else 0
    fig = _new_figure(3.2, left=0.8, bottom=0.1 + LINE_IN + 0.1 + legend, top=top, right=0.2)
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
    fig.legend(*ax.get_legend_handles_labels(), loc="lower center", ncols=count,
               frameon=False, fontsize=BASE_SIZE, borderaxespad=0.2)


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
