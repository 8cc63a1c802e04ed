"""Plain data → inline SVG charts, written as text: deterministic, self-contained and safe.

Three charts: `line_chart` (one line per series over ordered categories), `bar_chart` (grouped
bars, optionally with lines on a second value axis) and `tornado_chart` (one-way sensitivity).
Each returns one `<svg>` element with the SVG namespace, so it works inline in HTML and on its
own (a file, a data URI). No plotting library: the drawing is a few hundred lines of string
building, which is why a report with thirty charts takes milliseconds for them.

The rules every chart follows:

- **Value axes do not mislead.** Ticks are 1, 2 or 5 × 10^n apart, as many as the plot's height
  allows (at most `MAX_TICK_INTERVALS`). Every axis with a unit includes zero (counts, days,
  kroner: the quantities of the catalogue are all measured from zero), and bars always start at
  zero. Only an axis without a unit (`unit=None`, e.g. a score) is fitted to its data. A share
  (`unit="share"`, a fraction 0–1) is shown in percent and its axis runs to 100 % unless every
  value is below `SHARE_FULL_FROM` (50 %); then it ends at the first tick above the largest value.
  A share above 100 % (time used of a plan) extends the axis.
- **Numbers in the reader's language** by `hfspec.words.format_number`: decimal comma and
  thousands point in Danish (`2,5`, `250.000`, `40 %`), with as many decimals as the tick step
  needs and never an exponent. A kroner axis (`unit="kr"`) whose ticks reach a million is drawn
  in millions and labelled `mio. kr.`.
- **Meaning never depends on colour alone.** Okabe–Ito colours (`PALETTE`) plus a marker shape
  per line (`MARKERS`) and a hatching per bar series (`HATCHES`, SVG patterns), so a chart reads
  in black and white and for colour-blind readers. Legends sit outside the plot.
- **Text is text.** Every label is XML-escaped and drawn as it is: no markup, no math text
  (`$\\frac{1}{$` is those nine characters), characters XML cannot hold are dropped.
- **Accessible and deterministic.** `role="img"`, an `aria-label` and a `<title>`; the same input
  gives the same bytes (pattern ids come from a hash of the chart, so charts on one page never
  share an id with different content).

Sizes are given in inches, as before: one inch is 72 units of the viewBox, and text is 8–10
units high, readable when a template shows the chart between 70 % and 130 % of that size.
"""

from __future__ import annotations

import hashlib
import math
import numbers
import re
from dataclasses import dataclass
from typing import Sequence

from hfspec.words import KRONER, format_number

#: Okabe–Ito colours: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
#: Marker shapes, one per line series: circle, square, triangle up, diamond, triangle down, plus, cross, star.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
#: Hatchings, one per bar series (the first bar series is plain).
HATCHES = ("", "//", "..", "xx", "\\\\", "++")

#: A share axis runs to 100 % when the largest value is at least this.
SHARE_FULL_FROM = 0.5
#: A kroner axis is drawn in millions when a tick reaches this.
MILLIONS_FROM = 1_000_000
#: At most this many intervals between value ticks; fewer on small charts (one per `TICK_SPACING`).
MAX_TICK_INTERVALS = 6
TICK_SPACING = 26.0
#: A span below this is no span (float noise, subnormal numbers): the axis is made around the value.
TINY = 1e-200
#: Units of the viewBox per inch of the `width`/`height` arguments.
UNITS_PER_INCH = 72.0

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'Noto Sans', sans-serif"
INK, MUTED, AXIS, GRID = "#1f2933", "#5f6b7a", "#444444", "#dddddd"
TITLE_SIZE, LABEL_SIZE, TICK_SIZE, LEGEND_SIZE, NOTE_SIZE = 10.5, 9.5, 9.5, 8.5, 7.5
PAD = 6.0
LEGEND_ROW = 12.0
ID = "\x00"  # stands for the chart's id prefix until the text is complete; user text cannot hold it


# --------------------------------------------------------------------------- text


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def escape(text: object) -> str:
    """Text for an SVG element or attribute: escaped, on one line, without characters XML forbids.

    >>> escape('$\\\\frac{1}{$ <b> & "x"')
    '$\\\\frac{1}{$ &lt;b&gt; &amp; &quot;x&quot;'
    """
    s = _NOT_XML.sub("", " ".join(str(text).split()))
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&#39;")


_NARROW = set("il.,:;'|!jft()[]{} ")
_WIDE = set("mwMW%@")


def text_width(text: str, size: float) -> float:
    """An estimate of the width of `text` in a sans-serif font (no font metrics at hand; generous,
    so labels get enough room)."""
    em = 0.0
    for ch in text:
        em += 0.32 if ch in _NARROW else 0.88 if ch in _WIDE else 0.7 if ch.isupper() else 0.6
    return em * size


def shorten(text: str, width: float, size: float) -> str:
    """`text`, cut with an ellipsis to fit `width`."""
    if text_width(text, size) <= width:
        return text
    room, cut = width - text_width("…", size), 0
    for ch in text:  # one pass: a hostile title of 100,000 characters costs no more than its length
        room -= text_width(ch, size)
        if room < 0:
            break
        cut += 1
    return text[:cut].rstrip() + "…"


def wrap(text: str, width: float, size: float, max_lines: int = 2) -> list[str]:
    """`text` in at most `max_lines` lines of `width`, the last one cut when it still does not fit."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(lines[-1] + " " + word, size) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines - 1] + [" ".join(lines[max_lines - 1:])]
    return [shorten(line, width, size) for line in lines]


def _f(x: float) -> str:
    """A coordinate: two decimals at most, no `-0`."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --------------------------------------------------------------------------- value axes


def nice_step(span: float, intervals: int) -> float:
    """The smallest step of 1, 2 or 5 × 10^n that cuts `span` into at most `intervals` parts.

    >>> nice_step(1.0, 5), nice_step(62, 5), nice_step(4_953_226, 4), nice_step(0.3, 6)
    (0.2, 20.0, 2000000.0, 0.05)
    """
    raw = span / max(1, intervals)
    exponent = math.floor(math.log10(raw))
    for m in (1, 2, 5, 10):
        step = m * 10.0 ** exponent
        if step >= raw * (1 - 1e-9):
            return round(step, max(0, -exponent + 1))  # 0.2, not 0.20000000000000001
    raise AssertionError("unreachable")


def _decimals(step: float) -> int:
    """Decimals that show a tick step: 0 for 5, 1 for 0,5, 2 for 0,05."""
    return max(0, math.ceil(-math.log10(step) - 1e-9))


@dataclass(frozen=True, slots=True)
class Axis:
    """A value axis: its range, its ticks with their labels, and the unit it writes beside its title."""

    lo: float
    hi: float
    ticks: tuple[float, ...]
    labels: tuple[str, ...]
    unit_label: str = ""

    def at(self, value: float, start: float, end: float) -> float:
        """The coordinate of `value` on an axis drawn from `start` (at `lo`) to `end` (at `hi`)."""
        return start + (value - self.lo) / (self.hi - self.lo) * (end - start)

    def title(self, label: str) -> str:
        """The axis title: the caller's label, with the unit the axis chose (`mio. kr.`) in brackets."""
        if label and self.unit_label:
            return f"{label} ({self.unit_label})"
        return label or self.unit_label


def value_axis(values: Sequence[float | None], unit: str | None, lang: str, intervals: int,
               fixed: tuple[float, float] | None = None, zero: bool | None = None) -> Axis:
    """The value axis for `values` in `unit`, with at most `intervals` tick intervals.

    `fixed` is a range the caller chose (an instrument's whole scale); `zero` forces zero in (True)
    or leaves it to the data (False); by default zero is in for every unit but None.

    >>> a = value_axis([0.42, 0.61], "share", "da", 5); (a.lo, a.hi, a.labels[-1])
    (0.0, 1.0, '100 %')
    >>> value_axis([0.02, 0.08], "share", "da", 5).labels
    ('0 %', '2 %', '4 %', '6 %', '8 %')
    >>> a = value_axis([-2_025_026, 4_953_226], "kr", "da", 5); (a.labels, a.unit_label)
    (('-4', '-2', '0', '2', '4', '6'), 'mio. kr.')
    >>> value_axis([95], "citizens", "da", 4).labels
    ('0', '50', '100')
    """
    intervals = max(1, intervals)
    if fixed is not None:
        lo, hi = float(fixed[0]), float(fixed[1])
        step = nice_step(hi - lo, intervals)
        ticks = [k * step for k in range(math.ceil(lo / step - 1e-12), math.floor(hi / step + 1e-12) + 1)]
    else:
        data = [float(v) for v in values if v is not None and math.isfinite(v)]
        lo, hi = min(data, default=0.0), max(data, default=0.0)
        with_zero = zero if zero is not None else unit is not None
        if with_zero:
            lo, hi = min(lo, 0.0), max(hi, 0.0)
        if unit == "share" and (hi >= SHARE_FULL_FROM or not data):
            hi = max(hi, 1.0)
        if hi - lo < TINY:  # one value, or none: a range around it (with zero in, only 0 = 0 gets here)
            lo, hi = (lo - abs(lo) / 2, lo + abs(lo) / 2) if abs(lo) >= TINY else (min(lo, 0.0), max(lo, 0.0) + 1.0)
        step = nice_step(hi - lo, intervals)
        while True:  # rounding both ends outwards can take one interval more: then the next nice step
            first, last = math.floor(lo / step + 1e-12), math.ceil(hi / step - 1e-12)
            if last - first <= intervals:
                break
            step = nice_step(step * 1.5, 1)
        ticks = [k * step for k in range(first, last + 1)]
    ticks = [0.0 if abs(t) < step * 1e-9 else round(float(t), _decimals(step) + 2) for t in ticks]  # 0.30000000000000004 → 0.3
    if fixed is None:
        lo, hi = ticks[0], ticks[-1]
    unit_label = ""
    if unit == "share":
        labels = [format_number(t, "share", lang, _decimals(step * 100)) for t in ticks]
    elif unit == "kr" and max(abs(t) for t in ticks) >= MILLIONS_FROM:
        labels = [format_number(t / 1e6, None, lang, _decimals(step / 1e6)) for t in ticks]
        unit_label = KRONER[lang][1]
    else:
        labels = [format_number(float(t), None, lang, _decimals(step)) for t in ticks]
        unit_label = KRONER[lang][0] if unit == "kr" else ""
    return Axis(lo, hi, tuple(ticks), tuple(labels), unit_label)


def _intervals(length: float) -> int:
    return max(2, min(MAX_TICK_INTERVALS, int(length // TICK_SPACING)))


# --------------------------------------------------------------------------- drawing


def marker(shape: str, x: float, y: float, colour: str, r: float = 3.2) -> str:
    """One marker as an SVG path: o circle, s square, ^ v triangles, D diamond, P plus, X cross, * star."""
    def poly(points: list[tuple[float, float]]) -> str:
        return "M" + " L".join(f"{_f(x + px)},{_f(y + py)}" for px, py in points) + " Z"

    match shape:
        case "o":
            d = f"M{_f(x - r)},{_f(y)} a{_f(r)},{_f(r)} 0 1,0 {_f(2 * r)},0 a{_f(r)},{_f(r)} 0 1,0 {_f(-2 * r)},0 Z"
        case "s":
            s = r * 0.88
            d = poly([(-s, -s), (s, -s), (s, s), (-s, s)])
        case "^":
            d = poly([(0, -r * 1.15), (r * 1.05, r * 0.75), (-r * 1.05, r * 0.75)])
        case "v":
            d = poly([(0, r * 1.15), (r * 1.05, -r * 0.75), (-r * 1.05, -r * 0.75)])
        case "D":
            d = poly([(0, -r * 1.15), (r * 0.85, 0), (0, r * 1.15), (-r * 0.85, 0)])
        case "P" | "X":
            a, b = r * 1.1, r * 0.38
            pts = [(-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b), (b, a), (-b, a), (-b, b), (-a, b), (-a, -b), (-b, -b)]
            if shape == "X":
                c = math.sqrt(0.5)
                pts = [(c * (px - py), c * (px + py)) for px, py in pts]
            d = poly(pts)
        case _:  # "*"
            pts = []
            for k in range(10):
                radius = r * 1.3 if k % 2 == 0 else r * 0.55
                angle = math.pi * k / 5 - math.pi / 2
                pts.append((radius * math.cos(angle), radius * math.sin(angle)))
            d = poly(pts)
    return f'<path class="marker" d="{d}" fill="{colour}" stroke="#ffffff" stroke-width="0.6"/>'


_HATCH_PATHS = {
    "//": "M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6",
    "\\\\": "M0,0 L8,8 M-2,6 L2,10 M6,-2 L10,2",
    "xx": "M0,8 L8,0 M-2,2 L2,-2 M6,10 L10,6 M0,0 L8,8 M-2,6 L2,10 M6,-2 L10,2",
    "++": "M4,0 L4,8 M0,4 L8,4",
}


class Canvas:
    """The elements of one chart, in drawing order, and the hatch patterns they use."""

    def __init__(self, width: float, height: float) -> None:
        self.width, self.height = width, height
        self.parts: list[str] = []
        self.patterns: dict[tuple[str, str, str], tuple[str, str]] = {}  # (colour, hatch, ink) → (id, <pattern>)

    def fill(self, colour: str, hatch: str, ink: str = "#ffffff") -> str:
        """A fill: the colour, or a pattern of `hatch` lines in `ink` over the colour."""
        if not hatch:
            return colour
        key = (colour, hatch, ink)
        if key not in self.patterns:
            pid = f"{ID}-h{len(self.patterns)}"
            if hatch == "..":
                lines = f'<circle cx="2" cy="2" r="1.1" fill="{ink}"/><circle cx="6" cy="6" r="1.1" fill="{ink}"/>'
            else:
                lines = f'<path d="{_HATCH_PATHS[hatch]}" stroke="{ink}" stroke-width="1.1"/>'
            self.patterns[key] = (pid, f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="8" height="8">'
                                       f'<rect width="8" height="8" fill="{colour}"/>{lines}</pattern>')
        return f"url(#{self.patterns[key][0]})"

    def add(self, element: str) -> None:
        self.parts.append(element)

    def text(self, x: float, y: float, text: str, size: float = TICK_SIZE, anchor: str = "start", fill: str = INK,
             rotate: float | None = None, weight: str | None = None, cls: str | None = None) -> None:
        """Text whose baseline starts (ends, is centred) at (x, y); `rotate` turns it about that point."""
        attrs = f'x="{_f(x)}" y="{_f(y)}"'
        if size != TICK_SIZE:
            attrs += f' font-size="{_f(size)}"'
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        if fill != INK:
            attrs += f' fill="{fill}"'
        if weight:
            attrs += f' font-weight="{weight}"'
        if rotate is not None:
            attrs += f' transform="rotate({_f(rotate)} {_f(x)} {_f(y)})"'
        if cls:
            attrs = f'class="{cls}" ' + attrs
        self.add(f"<text {attrs}>{escape(text)}</text>")

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = AXIS, width: float = 0.8,
             dash: str | None = None, cls: str | None = None) -> None:
        extra = (f' stroke-dasharray="{dash}"' if dash else "") + (f' class="{cls}"' if cls else "")
        self.add(f'<path d="M{_f(x1)},{_f(y1)} L{_f(x2)},{_f(y2)}" stroke="{stroke}" stroke-width="{_f(width)}"{extra}/>')

    def svg(self, label: str) -> str:
        """The finished `<svg>` element; `label` names it for screen readers."""
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="hf-chart" width="{_f(self.width)}pt" height="{_f(self.height)}pt" '
                f'viewBox="0 0 {_f(self.width)} {_f(self.height)}" role="img" aria-label="{escape(label)}" '
                f'font-family="{FONT}" font-size="{_f(TICK_SIZE)}" fill="{INK}">')
        defs = f"<defs>{''.join(p for _, p in self.patterns.values())}</defs>" if self.patterns else ""
        body = f"{head}<title>{escape(label)}</title>{defs}" + "".join(self.parts) + "</svg>"
        prefix = "c" + hashlib.sha1(body.encode("utf-8")).hexdigest()[:10]
        return body.replace(ID, prefix) + "\n"  # a final newline, as SVG files (and the charts before) end


@dataclass(frozen=True, slots=True)
class LegendItem:
    """One entry of a legend: a line with its marker and dash, or a bar with its fill."""

    label: str
    colour: str
    kind: str  # "line" or "bar"
    marker: str = ""
    hatch: str = ""
    dash: str | None = None
    ink: str = "#ffffff"  # the colour of the hatch lines


def _legend_rows(items: Sequence[LegendItem], width: float) -> list[list[tuple[LegendItem, float]]]:
    """The items in rows that fit `width`, each with its width."""
    rows: list[list[tuple[LegendItem, float]]] = []
    used = width + 1
    for item in items:
        w = 22 + text_width(shorten(item.label, width - 34, LEGEND_SIZE), LEGEND_SIZE) + 12
        if not rows or used + w > width:
            rows.append([])
            used = 0.0
        rows[-1].append((item, w))
        used += w
    return rows


def _draw_legend(canvas: Canvas, rows: list[list[tuple[LegendItem, float]]], left: float, width: float, top: float) -> None:
    """Rows of legend items, each centred in `width` from `left`; the first row's middle at `top + 6`."""
    canvas.add('<g class="legend">')
    for r, row in enumerate(rows):
        x = left + (width - sum(w for _, w in row) + 12) / 2
        y = top + 6 + r * LEGEND_ROW
        for item, w in row:
            if item.kind == "bar":
                canvas.add(f'<rect x="{_f(x)}" y="{_f(y - 4)}" width="16" height="8" fill="{canvas.fill(item.colour, item.hatch, item.ink)}"/>')
            else:
                canvas.line(x, y, x + 16, y, item.colour, 1.8, item.dash)
                if item.marker:
                    canvas.add(marker(item.marker, x + 8, y, item.colour, 2.8))
            canvas.text(x + 20, y + LEGEND_SIZE * 0.35, shorten(item.label, width - 34, LEGEND_SIZE), LEGEND_SIZE)
            x += w
    canvas.add("</g>")


# --------------------------------------------------------------------------- the frame of a chart with categories


@dataclass
class _Frame:
    """The layout of a chart with categories along x and values up (and an optional right axis)."""

    canvas: Canvas
    left: float
    top: float
    plot_w: float
    plot_h: float
    n: int
    axis: Axis
    axis2: Axis | None

    @property
    def bottom(self) -> float:
        return self.top + self.plot_h

    @property
    def slot(self) -> float:
        return self.plot_w / max(1, self.n)

    def x(self, i: float) -> float:
        return self.left + self.slot * (i + 0.5)

    def y(self, value: float) -> float:
        return self.axis.at(value, self.bottom, self.top)

    def y2(self, value: float) -> float:
        assert self.axis2 is not None
        return self.axis2.at(value, self.bottom, self.top)


def _frame(width: float, height: float, title: str, categories: Sequence[str], values: Sequence[float | None],
           unit: str | None, lang: str, ylabel: str, xlabel: str, legend: Sequence[LegendItem], legend_below: bool,
           zero: bool | None, values2: Sequence[float | None] = (), range2: tuple[float, float] | None = None,
           label2: str = "", right_axis: bool = False) -> _Frame:
    """Lay out title, legend, axes and category labels, and draw them (grid first) on a new canvas."""
    W, H = width * UNITS_PER_INCH, height * UNITS_PER_INCH
    title_lines = wrap(title, W - 2 * PAD, TITLE_SIZE) if title else []
    rows = _legend_rows(legend, W - 2 * PAD) if legend else []
    top = PAD + (len(title_lines) * (TITLE_SIZE + 3) + 4 if title_lines else 0)
    legend_top = top
    if rows and not legend_below:
        top += len(rows) * LEGEND_ROW + 4
    top += TICK_SIZE * 0.6  # room for the top tick label
    labels = [shorten(str(c), 110, TICK_SIZE) for c in categories]
    label_w = max((text_width(c, TICK_SIZE) for c in labels), default=0.0)

    def bottom_room(rotated: bool) -> float:
        room = PAD + (LABEL_SIZE + 6 if xlabel else 0) + (len(rows) * LEGEND_ROW + 6 if rows and legend_below else 0)
        return room + (label_w * 0.72 + TICK_SIZE + 6 if rotated else TICK_SIZE + 8)

    def left_and_right(axis: Axis, axis2: Axis | None) -> tuple[float, float]:
        left = PAD + (LABEL_SIZE + 6 if axis.title(ylabel) else 0) + max(text_width(t, TICK_SIZE) for t in axis.labels) + 6
        if axis2 is None:
            return left, PAD + 4
        return left, PAD + (LABEL_SIZE + 6 if axis2.title(label2) else 0) + max(text_width(t, TICK_SIZE) for t in axis2.labels) + 6

    def axes(plot_h: float) -> tuple[Axis, Axis | None]:
        axis2 = value_axis(values2, None, lang, _intervals(plot_h), fixed=range2, zero=False) if right_axis else None
        return value_axis(values, unit, lang, _intervals(plot_h), zero=zero), axis2

    # The ticks depend on the plot's height, the left margin on the ticks' labels, the rotation of
    # the category labels on the plot's width, and the height on the rotation: settle them in turn.
    rotated = False
    for _ in range(2):
        axis, axis2 = axes(max(40.0, H - top - bottom_room(rotated)))
        left, right = left_and_right(axis, axis2)
        rotated = label_w > (W - left - right) / max(1, len(categories)) - 4
    plot_h = max(40.0, H - top - bottom_room(rotated))
    axis, axis2 = axes(plot_h)
    left, right = left_and_right(axis, axis2)
    H = top + plot_h + bottom_room(rotated)
    frame = _Frame(Canvas(W, H), left, top, W - left - right, plot_h, len(categories), axis, axis2)
    c = frame.canvas
    for i, line in enumerate(title_lines):
        c.text(PAD, PAD + TITLE_SIZE + i * (TITLE_SIZE + 3), line, TITLE_SIZE, weight="600", cls="title")
    c.add('<g class="grid">')
    for t in axis.ticks:
        c.line(left, frame.y(t), left + frame.plot_w, frame.y(t), GRID, 0.6)
    c.add("</g>")
    # the axes, their ticks and labels
    c.add('<g class="axis">')
    for t, text in zip(axis.ticks, axis.labels):
        c.line(left - 3, frame.y(t), left, frame.y(t))
        c.text(left - 5, frame.y(t) + TICK_SIZE * 0.35, text, anchor="end", cls="value-tick")
    if axis2 is not None:
        x2 = left + frame.plot_w
        for t, text in zip(axis2.ticks, axis2.labels):
            c.line(x2, frame.y2(t), x2 + 3, frame.y2(t))
            c.text(x2 + 5, frame.y2(t) + TICK_SIZE * 0.35, text, cls="value-tick2")
        if axis2.title(label2):
            c.text(W - PAD, top + plot_h / 2, shorten(axis2.title(label2), plot_h, LABEL_SIZE), LABEL_SIZE, "middle", rotate=-90)
    for i, text in enumerate(labels):
        x = frame.x(i)
        c.line(x, frame.bottom, x, frame.bottom + 3)
        if rotated:
            c.text(x + 3, frame.bottom + 8, text, anchor="end", rotate=-45, cls="category")
        else:
            c.text(x, frame.bottom + 5 + TICK_SIZE, text, anchor="middle", cls="category")
    if axis.title(ylabel):
        c.text(PAD + LABEL_SIZE - 1, top + plot_h / 2, shorten(axis.title(ylabel), plot_h, LABEL_SIZE), LABEL_SIZE, "middle", rotate=-90)
    below = frame.bottom + bottom_room(rotated) - PAD - (len(rows) * LEGEND_ROW + 6 if rows and legend_below else 0)
    if xlabel:
        c.text(left + frame.plot_w / 2, below - 2, xlabel, LABEL_SIZE, "middle")
    c.add("</g>")
    if rows:
        _draw_legend(c, rows, PAD, W - 2 * PAD, below + 4 if legend_below else legend_top)
    return frame


def _spines(frame: _Frame, right: bool = False) -> None:
    c = frame.canvas
    c.add('<g class="spines">')
    c.line(frame.left, frame.top, frame.left, frame.bottom)
    c.line(frame.left, frame.bottom, frame.left + frame.plot_w, frame.bottom)
    if right:
        c.line(frame.left + frame.plot_w, frame.top, frame.left + frame.plot_w, frame.bottom)
    c.add("</g>")


def _zero_line(frame: _Frame) -> None:
    """A dark line at zero when the axis runs below zero (otherwise the bottom axis is at zero, or
    zero is not on a unit-less axis)."""
    if frame.axis.lo < 0 <= frame.axis.hi:
        frame.canvas.line(frame.left, frame.y(0), frame.left + frame.plot_w, frame.y(0), AXIS, 0.9, cls="zero")


#: The target's line (and band, for `between`): dark, dashed, under the data.
TARGET_INK, TARGET_BAND = "#2e7d5b", "#2e7d5b"


def _target(frame: _Frame, target: tuple[float, float | None] | None) -> None:
    """The target drawn across the plot: a dashed line at its value, or for `between A and B` a
    light band between the bounds. The legend names it (`_target_legend`)."""
    if target is None:
        return
    c = frame.canvas
    low, high = float(target[0]), (float(target[1]) if target[1] is not None else None)
    right = frame.left + frame.plot_w
    c.add('<g class="target">')
    if high is not None:
        y0, y1 = sorted((frame.y(low), frame.y(high)))
        c.add(f'<rect x="{_f(frame.left)}" y="{_f(y0)}" width="{_f(frame.plot_w)}" height="{_f(y1 - y0)}" fill="{TARGET_BAND}" fill-opacity="0.12"/>')
        for v in (low, high):
            c.line(frame.left, frame.y(v), right, frame.y(v), TARGET_INK, 1.1, "6 3")
    else:
        c.line(frame.left, frame.y(low), right, frame.y(low), TARGET_INK, 1.1, "6 3")
    c.add("</g>")


def _target_legend(target: tuple[float, float | None] | None, label: str) -> list["LegendItem"]:
    """The legend entry of a target: its dashed line and its words (`mål: højst 40 %`)."""
    return [LegendItem(label, TARGET_INK, "line", dash="6 3")] if target is not None and label else []


def _target_values(target: tuple[float, float | None] | None) -> list[float]:
    return [] if target is None else [float(v) for v in target if v is not None]


def _polyline(frame: _Frame, ys: Sequence[float | None], colour: str, shape: str, dash: str | None, to_y) -> None:
    """A line through the non-empty points (a gap where a value is None), a marker on each point."""
    c = frame.canvas
    c.add('<g class="series">')
    segments: list[list[tuple[float, float]]] = [[]]
    for i, v in enumerate(ys):
        if v is None or not math.isfinite(v):
            segments.append([])
        else:
            segments[-1].append((frame.x(i), to_y(v)))
    d = " ".join("M" + " L".join(f"{_f(x)},{_f(y)}" for x, y in seg) for seg in segments if len(seg) > 1)
    if d:
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        c.add(f'<path class="line" d="{d}" fill="none" stroke="{colour}" stroke-width="1.8" stroke-linejoin="round"{extra}/>')
    for seg in segments:
        for x, y in seg:
            c.add(marker(shape, x, y, colour))
    c.add("</g>")


def _clean(v: object) -> float | None:
    """A value to draw, or None for a gap: missing, not a number (a numpy number is one), not finite."""
    if v is None or isinstance(v, bool) or not isinstance(v, numbers.Real) or not math.isfinite(v):
        return None
    return float(v)


# --------------------------------------------------------------------------- the charts


def line_chart(series: dict[str, Sequence[tuple[object, float | None]]], title: str, ylabel: str = "", xlabel: str = "",
               zero_line: bool = False, width: float = 7.0, height: float = 3.4, percent: bool = False,
               legend_below: bool = False, *, unit: str | None = None, lang: str = "da",
               target: tuple[float, float | None] | None = None, target_label: str = "") -> str:
    """Lines with markers, one per series of (x, y) points over the union of the x values (in
    order of appearance); None values leave gaps. `unit` is the values' unit (`share`, `kr`, a
    count such as `citizens`; `percent=True` means `share`); `legend_below` puts the legend under
    the plot rather than under the title. `zero_line` puts zero on the axis also without a unit
    (zero is drawn darker wherever the axis runs below it). `target` (a value, or the bounds of
    `between`) is drawn as a dashed line (a band) labelled `target_label`; the axis includes it."""
    unit = "share" if percent else unit
    xs_all: list = []
    for points in series.values():
        for x, _ in points:
            if x not in xs_all:
                xs_all.append(x)
    position = {x: i for i, x in enumerate(xs_all)}
    names = list(series)
    legend = [LegendItem(str(name), PALETTE[i % len(PALETTE)], "line", MARKERS[i % len(MARKERS)]) for i, name in enumerate(names)]
    legend = (legend if len(legend) > 1 else []) + _target_legend(target, target_label)
    values = [_clean(y) for points in series.values() for _, y in points] + _target_values(target)
    frame = _frame(width, height, title, [str(x) for x in xs_all], values, unit, lang, ylabel, xlabel, legend, legend_below,
                   zero=True if zero_line else None)
    _target(frame, target)
    _zero_line(frame)
    for i, (name, points) in enumerate(series.items()):
        ys: list[float | None] = [None] * len(xs_all)
        for x, y in points:
            ys[position[x]] = _clean(y)
        _polyline(frame, ys, PALETTE[i % len(PALETTE)], MARKERS[i % len(MARKERS)], None, frame.y)
    _spines(frame)
    return frame.canvas.svg(title or ", ".join(str(n) for n in names))


def bar_chart(groups: Sequence[str], series: dict[str, Sequence[float | None]], title: str, ylabel: str = "",
              percent: bool = False, lines: dict[str, Sequence[float | None]] | None = None, line_label: str = "",
              width: float = 7.0, height: float = 3.4, reference: float | None = None,
              line_range: tuple[float, float] | None = None, legend_below: bool = False,
              missing_label: str | None = None, *, unit: str | None = None, lang: str = "da",
              target: tuple[float, float | None] | None = None, target_label: str = "") -> str:
    """Grouped bars (one bar per series in each group), from zero, optionally with lines on a
    second axis on the right (the double bottom line: time used as bars, goal curves as lines).
    `unit` is the bars' unit (`percent=True` means `share`); `line_range` fixes the second axis
    (e.g. an instrument's whole scale, so that a small change is not blown up); `reference` draws
    a dashed line at that value (100 % of the plan). `missing_label` writes that text (e.g.
    `diskr.`) where a value is None, so that a suppressed value reads as suppressed rather than
    as an empty (zero) bar. `target` and `target_label` as in `line_chart`."""
    unit = "share" if percent else unit
    lines = lines or {}
    legend = [LegendItem(str(name), PALETTE[i % len(PALETTE)], "bar", hatch=HATCHES[i % len(HATCHES)]) for i, name in enumerate(series)]
    legend += [LegendItem(str(name), PALETTE[(j + 3) % len(PALETTE)], "line", MARKERS[(j + 1) % len(MARKERS)], dash=None if j == 0 else "5 3")
               for j, name in enumerate(lines)]
    legend = (legend if len(legend) > 1 else []) + _target_legend(target, target_label)
    values = [_clean(v) for vs in series.values() for v in vs] + ([reference] if reference is not None else []) + _target_values(target)
    values2 = [_clean(v) for vs in lines.values() for v in vs]
    frame = _frame(width, height, title, [str(g) for g in groups], values, unit, lang, ylabel, "", legend, legend_below,
                   zero=True, values2=values2, range2=line_range, label2=line_label, right_axis=bool(lines))
    c = frame.canvas
    n = max(1, len(series))
    bar_w = frame.slot * 0.8 / n
    base = frame.y(0.0)
    c.add('<g class="bars">')
    for i, (name, vs) in enumerate(series.items()):
        fill = c.fill(PALETTE[i % len(PALETTE)], HATCHES[i % len(HATCHES)])
        for g, v in enumerate(vs):
            x = frame.x(g) + (i - (n - 1) / 2) * bar_w - bar_w / 2
            value = _clean(v)
            if value is None:
                if missing_label:
                    c.text(x + bar_w / 2 + NOTE_SIZE * 0.35, base - 3, missing_label, NOTE_SIZE, fill=MUTED, rotate=-90, cls="missing")
                continue
            y0, y1 = sorted((base, frame.y(value)))
            c.add(f'<rect class="bar" x="{_f(x)}" y="{_f(y0)}" width="{_f(bar_w)}" height="{_f(y1 - y0)}" fill="{fill}" '
                  f'stroke="#ffffff" stroke-width="0.5"/>')
    c.add("</g>")
    _target(frame, target)
    _zero_line(frame)
    if reference is not None:
        c.line(frame.left, frame.y(reference), frame.left + frame.plot_w, frame.y(reference), AXIS, 0.8, "4 3", "reference")
    for j, (name, vs) in enumerate(lines.items()):
        _polyline(frame, [_clean(v) for v in vs], PALETTE[(j + 3) % len(PALETTE)], MARKERS[(j + 1) % len(MARKERS)],
                  None if j == 0 else "5 3", frame.y2)
    _spines(frame, right=bool(lines))
    return c.svg(title or ", ".join(str(n) for n in series))


def tornado_chart(rows: Sequence[tuple[str, float, float]], base: float, title: str, xlabel: str = "",
                  labels: tuple[str, str] = ("lav", "høj"), *, unit: str | None = None, lang: str = "da") -> str:
    """One-way sensitivity: for each input (top to bottom in the given order), the result at its
    low and high value as bars from the base result. `labels` names the two bars in the legend
    (Danish by default); `unit` formats the value axis (`kr`: in millions when large). The axis
    is fitted to the results (the bars' lengths are differences from the base, not from zero)."""
    W = 7.0 * UNITS_PER_INCH
    legend = [LegendItem(labels[0], PALETTE[0], "bar"), LegendItem(labels[1], PALETTE[1], "bar", hatch="//", ink=INK)]
    title_lines = wrap(title, W - 2 * PAD, TITLE_SIZE) if title else []
    top = PAD + (len(title_lines) * (TITLE_SIZE + 3) + 4 if title_lines else 0)
    legend_top = top
    legend_rows = _legend_rows(legend, W - 2 * PAD) if rows else []
    top += len(legend_rows) * LEGEND_ROW + 4 if legend_rows else 0
    names = [shorten(str(r[0]), W * 0.4, TICK_SIZE) for r in rows]
    left = PAD + max((text_width(nm, TICK_SIZE) for nm in names), default=0.0) + 8
    plot_w = W - left - PAD - 12
    base = float(base)
    axis = value_axis([_clean(v) for r in rows for v in r[1:]] + [base], unit, lang, max(2, min(MAX_TICK_INTERVALS, int(plot_w // 70))), zero=False)
    row_h = 0.35 * UNITS_PER_INCH
    plot_h = max(1, len(rows)) * row_h
    x_title = axis.title(xlabel)
    H = top + plot_h + TICK_SIZE + 10 + (LABEL_SIZE + 6 if x_title else 0) + PAD
    c = Canvas(W, H)
    for i, line in enumerate(title_lines):
        c.text(PAD, PAD + TITLE_SIZE + i * (TITLE_SIZE + 3), line, TITLE_SIZE, weight="600", cls="title")

    def x(value: float) -> float:
        return axis.at(value, left, left + plot_w)

    bottom = top + plot_h
    c.add('<g class="grid">')
    for t in axis.ticks:
        c.line(x(t), top, x(t), bottom, GRID, 0.6)
    c.add("</g>")
    low_fill, high_fill = c.fill(PALETTE[0], ""), c.fill(PALETTE[1], "//", INK)
    c.add('<g class="bars">')
    for i, (name, low, high) in enumerate(rows):
        y = top + i * row_h + row_h * 0.1
        for value, fill in ((_clean(low), low_fill), (_clean(high), high_fill)):
            if value is None:
                continue
            x0, x1 = sorted((x(base), x(value)))
            c.add(f'<rect class="bar" x="{_f(x0)}" y="{_f(y)}" width="{_f(x1 - x0)}" height="{_f(row_h * 0.8)}" fill="{fill}"/>')
    c.add("</g>")
    c.add('<g class="axis">')
    for i, name in enumerate(names):
        y = top + (i + 0.5) * row_h
        c.line(left - 3, y, left, y)
        c.text(left - 5, y + TICK_SIZE * 0.35, name, anchor="end", cls="category")
    for t, text in zip(axis.ticks, axis.labels):
        c.line(x(t), bottom, x(t), bottom + 3)
        c.text(x(t), bottom + 5 + TICK_SIZE, text, anchor="middle", cls="value-tick")
    if x_title:
        c.text(left + plot_w / 2, bottom + TICK_SIZE + 10 + LABEL_SIZE, x_title, LABEL_SIZE, "middle")
    c.add("</g>")
    if axis.lo < 0 < axis.hi:
        c.line(x(0), top, x(0), bottom, MUTED, 0.8, "2 2", "zero")
    c.line(x(base), top - 2, x(base), bottom, AXIS, 1.0, cls="base")
    c.add('<g class="spines">')
    c.line(left, top, left, bottom)
    c.line(left, bottom, left + plot_w, bottom)
    c.add("</g>")
    if legend_rows:
        _draw_legend(c, legend_rows, PAD, W - 2 * PAD, legend_top)
    return c.svg(title or ", ".join(labels))
