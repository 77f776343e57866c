"""Bar charts as SVG for the feedback report: the same data gives the same bytes, and
each chart comes with its text alternative and its data as a table.

Pure matplotlib (no Django). Drawn with the object API (`matplotlib.figure.Figure`,
saved through the SVG backend), never pyplot, whose global figures are not safe in a
web process; `rc_context` still changes matplotlib's settings for the whole process,
so charts are drawn one at a time under a lock. Determinism: a fixed hash salt per
chart (the ids of its clip paths) and no date in the metadata; the text is laid out
with matplotlib's own DejaVu Sans, so the layout is the same on every machine.

Accessibility: 12-point text, one dark bar colour on white (#1d70b8, 5.2:1) with near
black text, the value written beside each bar, and the text kept as <text> (fonts not
embedded) so it can be selected and read. The SVG holds paths and text only, no script
(matplotlib writes none); the XML prolog and DOCTYPE are dropped so it can be inlined,
and its root gets role="img" and a <title> with the text alternative.
"""

import io
import textwrap
import threading
from dataclasses import dataclass
from xml.sax.saxutils import escape

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

BAR_COLOUR = "#1d70b8"
TEXT_COLOUR = "#0b0c0c"
WIDTH = 6.4  # inches: a 460-point wide SVG
STYLE = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 12,
    "text.color": TEXT_COLOUR,
    "axes.labelcolor": TEXT_COLOUR,
    "axes.edgecolor": TEXT_COLOUR,
    "xtick.color": TEXT_COLOUR,
    "ytick.color": TEXT_COLOUR,
    "text.parse_math": False,  # an option such as "$5 to $10" is text, not mathematics
}
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str  # an <svg> element, ready to inline
    alt: str  # one sentence listing every value
    header: tuple[str, ...]  # the chart's data as a table, its cells as text
    rows: tuple[tuple[str, ...], ...]


def bar_chart(
    *,
    salt: str,
    title: str,
    labels: list[str],
    values: list[float],
    value_labels: list[str],
    axis_label: str,
    alt: str,
    header: tuple[str, ...],
    rows: tuple[tuple[str, ...], ...],
    horizontal: bool = False,
    category_label: str = "",
    percent_axis: bool = False,
) -> Chart:
    """One bar per label, `value_labels` written beside the bars. Vertical bars suit a
    scale's few short values; horizontal ones leave room for long option names.
    `salt` must differ between the charts of one page: the ids inside an inlined SVG
    are page-wide. `percent_axis` fixes the value axis at 0 to 100."""
    wrapped = [textwrap.fill(label, 24) for label in labels]
    lines = sum(label.count("\n") + 1 for label in wrapped)
    height = 1.6 + 0.3 * lines + 0.25 * len(labels) if horizontal else 3.8
    with _DRAWING, rc_context({**STYLE, "svg.hashsalt": f"civichack-chart-{salt}"}):
        figure = Figure(figsize=(WIDTH, height), layout="constrained")
        axes = figure.add_subplot()
        positions = np.arange(len(labels))
        top = 100.0 if percent_axis else max(max(values, default=0), 1)
        if horizontal:
            bars = axes.barh(positions, values, color=BAR_COLOUR)
            axes.set_yticks(positions, labels=wrapped)
            axes.invert_yaxis()  # the first option on top, as the form lists it
            axes.set_xlim(0, top * 1.45)  # room for the value beside the longest bar
            axes.set_xlabel(axis_label)
            axes.set_ylabel(category_label)
            value_axis = axes.xaxis
        else:
            bars = axes.bar(positions, values, color=BAR_COLOUR)
            axes.set_xticks(positions, labels=wrapped)
            axes.set_ylim(0, top * 1.15)
            axes.set_xlabel(category_label)
            axes.set_ylabel(axis_label)
            value_axis = axes.yaxis
        if percent_axis:
            value_axis.set_ticks([0, 25, 50, 75, 100])
        else:
            value_axis.set_major_locator(MaxNLocator(integer=True))  # people come whole
        axes.bar_label(bars, labels=value_labels, padding=3)
        # The figure's title, not the axes': it starts at the left edge, not after the labels.
        figure.suptitle(textwrap.fill(title, 55), x=0.02, ha="left", fontsize=13)
        axes.spines[["top", "right"]].set_visible(False)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _inline(buffer.getvalue(), alt)
    return Chart(title=title, svg=svg, alt=alt, header=header, rows=rows)


def _inline(document: str, alt: str) -> str:
    """The <svg> element alone, named for assistive technology."""
    element = document[document.index("<svg") :].replace("<svg ", '<svg role="img" ', 1)
    opening_end = element.index(">") + 1
    return element[:opening_end] + f"\n <title>{escape(alt)}</title>" + element[opening_end:]
