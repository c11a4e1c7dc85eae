"""Training curves from metric rows: a panel per metric name, a line per run (``sagemaker-monitoring plot``).

:func:`group_curves` is plain Python (which runs, which x, which points); :func:`draw_curves` draws
them with matplotlib (the ``plot`` extra) into a PNG, an SVG or a self-contained HTML page (the SVG
inline, so no JavaScript library is needed). Output is byte-identical for the same rows.

The x axis of a line is the step when every point of that run and metric has one, else the time of
the points (UTC). A panel whose lines disagree gets both axes: steps below, time above.
"""

from __future__ import annotations

import html
import io
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Optional

from .trail_reader.rows import MetricRow
from .trail_reader.table import MissingExtraError

FORMATS = {".png": "png", ".svg": "svg", ".html": "html", ".htm": "html"}
DEFAULT_MAX_RUNS = 10
DEFAULT_WIDTH, ROW_HEIGHT, DPI = 1600, 450, 100
NAMED_IN_NOTE = 30
"""At most this many left-out runs are named in the note (the rest are counted)."""


@dataclass(frozen=True)
class Series:
    """One line: a run's points of one metric, ordered by x (then time), x a step or a UTC time."""

    run: str
    by_step: bool
    x: tuple[Any, ...]
    y: tuple[float, ...]


@dataclass
class Curves:
    """What is drawn: panels (metric name -> lines), the runs left out, and the points that cannot be drawn."""

    panels: dict[str, list[Series]] = field(default_factory=dict)
    runs: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()
    undrawable: int = 0
    """Points without a finite value (or without a time where the line is by time)."""


def _time(text: Optional[str]) -> Optional[datetime]:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def group_curves(rows: Iterable[MetricRow], max_runs: int = DEFAULT_MAX_RUNS) -> Curves:
    """Group rows into panels and lines; keep the ``max_runs`` runs that logged last, name the others."""
    if max_runs < 1:
        raise ValueError("max_runs must be at least 1")
    points: dict[str, dict[str, list[MetricRow]]] = {}
    last: dict[str, str] = {}
    for row in rows:
        points.setdefault(row.metric_name, {}).setdefault(row.trial_component, []).append(row)
        stamp = row.timestamp or row.event_time
        if stamp > last.get(row.trial_component, ""):
            last[row.trial_component] = stamp
    ranked = sorted(last, key=lambda run: (last[run], run), reverse=True)
    kept, left_out = sorted(ranked[:max_runs]), tuple(sorted(ranked[max_runs:]))
    curves = Curves(runs=tuple(kept), left_out=left_out)
    keep = set(kept)
    for metric in sorted(points):
        lines: list[Series] = []
        for run in sorted(points[metric]):
            if run not in keep:
                continue
            series, skipped = _series(run, points[metric][run])
            curves.undrawable += skipped
            if series is not None:
                lines.append(series)
        if lines:
            curves.panels[metric] = lines
    return curves


def _series(run: str, rows: list[MetricRow]) -> tuple[Optional[Series], int]:
    drawable = [r for r in rows if r.value is not None and math.isfinite(r.value)]
    skipped = len(rows) - len(drawable)
    by_step = bool(drawable) and all(r.step is not None for r in drawable)
    if by_step:
        ordered = sorted(drawable, key=lambda r: (r.step, r.timestamp or "", r.value))
        xs: list[Any] = [r.step for r in ordered]
    else:
        timed = [r for r in drawable if r.timestamp]
        skipped += len(drawable) - len(timed)
        ordered = sorted(timed, key=lambda r: (r.timestamp, r.value))
        xs = [_time(r.timestamp) for r in ordered]
    if not ordered:
        return None, skipped
    return Series(run, by_step, tuple(xs), tuple(float(r.value) for r in ordered)), skipped  # type: ignore[arg-type]


def output_format(path: str) -> str:
    """``png``, ``svg`` or ``html`` from the file name's suffix; ValueError for another."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise PlotError(f"{path}: cannot tell the image format from the name (use .png, .svg or .html)")
    return fmt


class PlotError(ValueError):
    """Nothing to draw, or an output the command cannot write."""


def _matplotlib() -> Any:
    try:
        import matplotlib
        from matplotlib.figure import Figure
    except ImportError:
        from .install_hint import missing_extra_message

        raise MissingExtraError(missing_extra_message("plot", "matplotlib", "plot")) from None
    return matplotlib, Figure


def figure(curves: Curves, *, size: Optional[tuple[int, int]] = None, title: Optional[str] = None) -> Any:
    """A matplotlib ``Figure`` of ``curves`` (``size`` in pixels; default 1600 wide, 450 per row of panels)."""
    matplotlib, Figure = _matplotlib()
    if not curves.panels:
        raise PlotError("no metric data points to plot (check SOURCE and the filters)")
    import matplotlib.dates as mdates

    count = len(curves.panels)
    columns = 1 if count == 1 else 2
    rows = math.ceil(count / columns)
    width, height = size or (DEFAULT_WIDTH, ROW_HEIGHT * rows + 120)
    fig = Figure(figsize=(width / DPI, height / DPI), dpi=DPI, layout="constrained")
    colors = matplotlib.colormaps["tab10" if len(curves.runs) <= 10 else "tab20"]
    color_of = {run: colors(i % colors.N) for i, run in enumerate(curves.runs)}
    axes = fig.subplots(rows, columns, squeeze=False)
    legend: dict[str, Any] = {}
    for index, (metric, lines) in enumerate(curves.panels.items()):
        ax = axes[index // columns][index % columns]
        ax.set_title(metric)
        ax.set_ylabel("value")
        ax.grid(True, alpha=0.3)
        by_step = [s for s in lines if s.by_step]
        by_time = [s for s in lines if not s.by_step]
        step_ax = time_ax = None
        if by_step:
            step_ax = ax
            ax.set_xlabel("step")
        if by_time:
            time_ax = ax if not by_step else ax.twiny()
            time_ax.set_xlabel("time (UTC)")
            locator = mdates.AutoDateLocator()
            time_ax.xaxis.set_major_locator(locator)
            time_ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=timezone.utc))
        for series in lines:
            target = step_ax if series.by_step else time_ax
            target.plot(series.x, series.y, label=series.run, color=color_of[series.run],  # type: ignore[union-attr]
                        linewidth=1.4, marker="." if len(series.x) < 50 else None)
        for target in {id(a): a for a in (step_ax, time_ax) if a is not None}.values():
            for handle, label in zip(*target.get_legend_handles_labels(), strict=True):
                legend.setdefault(label, handle)
    for index in range(count, rows * columns):
        axes[index // columns][index % columns].set_visible(False)
    notes = []
    if curves.left_out:
        named = list(curves.left_out[:NAMED_IN_NOTE])
        more = len(curves.left_out) - NAMED_IN_NOTE
        lines_of_names = [", ".join(named[i:i + 5]) for i in range(0, len(named), 5)]
        notes.append(f"{len(curves.left_out)} more runs not drawn (at most {len(curves.runs)} are): "
                     + ",\n".join(lines_of_names) + (f" and {more} more" if more > 0 else ""))
    if curves.undrawable:
        notes.append(f"{curves.undrawable} points without a finite value or a time are not drawn")
    fig.suptitle(title or "Training curves", fontsize="large")
    # one legend for the figure (a run has the same color in every panel), the notes under it
    ordered = sorted(legend)
    fig.legend([legend[label] for label in ordered], ordered, loc="outside lower center",
               ncols=min(4, len(ordered)), fontsize="small", frameon=False,
               title="\n".join(notes) or None, title_fontsize="small")
    return fig


def draw_curves(rows: Iterable[MetricRow], path: str, *, max_runs: int = DEFAULT_MAX_RUNS,
                size: Optional[tuple[int, int]] = None, title: Optional[str] = None) -> Curves:
    """Draw ``rows`` into ``path`` (``.png``, ``.svg`` or ``.html``); return what was drawn."""
    fmt = output_format(path)
    matplotlib, _ = _matplotlib()
    curves = group_curves(rows, max_runs)
    with matplotlib.rc_context({"svg.hashsalt": "cdk-sagemaker-monitoring", "svg.fonttype": "path"}):
        fig = figure(curves, size=size, title=title)
        if fmt == "png":
            fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None})
        else:
            buffer = io.StringIO()
            fig.savefig(buffer, format="svg", dpi=DPI, metadata={"Date": None, "Creator": None})
            text = buffer.getvalue()
            if fmt == "html":
                text = _html(text, title or "Training curves")
            Path(path).write_text(text, encoding="utf-8")
    return curves


def _html(svg: str, title: str) -> str:
    body = svg[svg.index("<svg"):]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)}</title></head>\n<body style=\"margin:0\">\n{body}</body></html>\n")
