"""Plain data → inline SVG charts (matplotlib, imported lazily), deterministic and self-contained.

Every chart has a title, labelled axes, a legend and text kept as text (searchable, small), and
uses colours that stay distinguishable for colour-blind readers (Okabe–Ito palette) plus markers
or hatching, so meaning never depends on colour alone.
"""

from __future__ import annotations

import io
from typing import Sequence

#: Okabe–Ito colours: distinguishable with the common forms of colour blindness.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
HATCHES = ("", "//", "..", "xx", "\\\\", "++")


def _figure(width: float, height: float):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "svg.hashsalt": "hfspec", "font.family": "DejaVu Sans", "font.size": 9,
                         "axes.spines.top": False, "axes.spines.right": False})
    fig, ax = plt.subplots(figsize=(width, height), dpi=100)
    return plt, fig, ax


def _svg(plt, fig) -> str:
    buffer = io.StringIO()
    fig.tight_layout()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": "hfspec"})
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # inline: drop the XML prolog and doctype


def line_chart(series: dict[str, Sequence[tuple[object, float | None]]], title: str, ylabel: str = "", xlabel: str = "",
               zero_line: bool = False, width: float = 7.0, height: float = 3.4, percent: bool = False,
               legend_below: bool = False) -> str:
    """Lines with markers, one per series of (x, y) points; None values leave gaps.
    `legend_below` puts the legend under the plot, where it cannot hide a line."""
    plt, fig, ax = _figure(width, height)
    xs_all: list = []
    for x_list in ([x for x, _ in pts] for pts in series.values()):
        for x in x_list:
            if x not in xs_all:
                xs_all.append(x)
    positions = {x: i for i, x in enumerate(xs_all)}
    for i, (name, points) in enumerate(series.items()):
        xs = [positions[x] for x, _ in points]
        ys = [float("nan") if y is None else (y * 100 if percent else y) for _, y in points]
        ax.plot(xs, ys, marker=MARKERS[i % len(MARKERS)], color=PALETTE[i % len(PALETTE)], label=name, linewidth=1.8, markersize=4)
    ax.set_xticks(range(len(xs_all)), [str(x) for x in xs_all], rotation=0 if len(xs_all) < 12 else 45)
    if zero_line:
        ax.axhline(0, color="#444444", linewidth=0.8)
    ax.set_title(title, loc="left", fontsize=10)
    ax.set_ylabel(ylabel + (" (%)" if percent and ylabel else ""))
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    if len(series) > 1 and legend_below:
        offset = -0.14 - (0.22 if len(xs_all) >= 12 else 0.0) - (0.1 if xlabel else 0.0)  # clear the (rotated) x labels
        ax.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, offset), ncol=min(4, len(series)))
    elif len(series) > 1:
        ax.legend(frameon=False, fontsize=8)
    return _svg(plt, fig)


def bar_chart(groups: Sequence[str], series: dict[str, Sequence[float | None]], title: str, ylabel: str = "",
              percent: bool = False, lines: dict[str, Sequence[float | None]] | None = None, line_label: str = "",
              width: float = 7.0, height: float = 3.4, reference: float | None = None,
              line_range: tuple[float, float] | None = None, legend_below: bool = False,
              missing_label: str | None = None) -> str:
    """Grouped bars (one bar per series in each group), optionally with lines on a second axis
    (the double bottom line: time used as bars, goal curves as lines). `line_range` fixes the
    second axis (e.g. an instrument's whole scale, so that a small change is not blown up);
    `legend_below` puts the legend under the plot, where it cannot hide bars or curves.
    `missing_label` writes that text (e.g. `diskr.`) where a value is None, so that a suppressed
    value reads as suppressed rather than as an empty (zero) bar."""
    plt, fig, ax = _figure(width, height)
    n = max(1, len(series))
    bar_width = 0.8 / n
    for i, (name, values) in enumerate(series.items()):
        xs = [g + (i - (n - 1) / 2) * bar_width for g in range(len(groups))]
        ys = [0 if v is None else (v * 100 if percent else v) for v in values]
        ax.bar(xs, ys, width=bar_width, color=PALETTE[i % len(PALETTE)], hatch=HATCHES[i % len(HATCHES)], edgecolor="white", label=name)
        if missing_label:
            for x, v in zip(xs, values):
                if v is None:
                    ax.text(x, 0, missing_label, rotation=90, ha="center", va="bottom", fontsize=7, color="#5f6b7a")
    if reference is not None:
        ax.axhline(reference * 100 if percent else reference, color="#444444", linewidth=0.8, linestyle="--")
    ax.set_xticks(range(len(groups)), list(groups), rotation=0 if len(groups) < 10 else 45)
    ax.set_ylabel(ylabel + (" (%)" if percent and ylabel else ""))
    ax.set_title(title, loc="left", fontsize=10)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    handles, labels = ax.get_legend_handles_labels()
    if lines:
        ax2 = ax.twinx()
        ax2.spines["top"].set_visible(False)
        for j, (name, values) in enumerate(lines.items()):
            ys = [float("nan") if v is None else v for v in values]
            ax2.plot(range(len(groups)), ys, marker=MARKERS[(j + 1) % len(MARKERS)], color=PALETTE[(j + 3) % len(PALETTE)],
                     linestyle="-" if j == 0 else "--", linewidth=1.8, label=name)
        ax2.set_ylabel(line_label)
        if line_range is not None:
            ax2.set_ylim(*line_range)
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    if len(labels) > 1 and legend_below:
        offset = -0.1 - (0.12 if len(groups) >= 10 else 0.0)  # clear the (rotated) group labels
        ax.legend(handles, labels, frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, offset), ncol=min(4, len(labels)))
    elif len(labels) > 1:
        ax.legend(handles, labels, frameon=False, fontsize=8, loc="upper left")
    return _svg(plt, fig)


def tornado_chart(rows: Sequence[tuple[str, float, float]], base: float, title: str, xlabel: str = "",
                  labels: tuple[str, str] = ("lav", "høj")) -> str:
    """One-way sensitivity: for each input, the result at its low and high value around the base.
    `labels` names the two bars in the legend (Danish by default)."""
    plt, fig, ax = _figure(7.0, max(2.0, 0.35 * len(rows) + 1.0))
    for i, (name, low, high) in enumerate(reversed(list(rows))):
        ax.barh(i, low - base, left=base, color=PALETTE[0], label=labels[0] if i == 0 else None)
        ax.barh(i, high - base, left=base, color=PALETTE[1], hatch="//", label=labels[1] if i == 0 else None)
    ax.set_yticks(range(len(rows)), [r[0] for r in reversed(list(rows))])
    ax.axvline(base, color="#444444", linewidth=0.8)
    ax.set_title(title, loc="left", fontsize=10)
    ax.set_xlabel(xlabel)
    if rows:
        ax.legend(frameon=False, fontsize=8)
    return _svg(plt, fig)
