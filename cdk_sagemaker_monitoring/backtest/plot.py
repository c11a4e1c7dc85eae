"""A picture of a backtest: per alarm, each watched series, the threshold, and the ALARM spans shaded.

Needs matplotlib (the ``plot`` extra). Deterministic: the same history and plan give the same bytes.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Sequence

from ..curves import _matplotlib
from .evaluate import AlarmReplay, periods, series_values
from .series import History

MAX_PANELS = 12
"""Alarms drawn at most (the first ones with a transition, then the others)."""


def _time(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc).replace(tzinfo=None)


def draw(history: History, replays: Sequence[AlarmReplay], path: str) -> int:
    """Write the picture of ``replays`` to ``path`` (PNG or SVG by suffix); returns the panels drawn."""
    matplotlib, Figure = _matplotlib()
    import matplotlib.dates as mdates

    shown = [r for r in replays if r.replayable and r.values]
    shown = sorted(shown, key=lambda r: not r.transitions)[:MAX_PANELS]
    rows = max(1, len(shown))
    with matplotlib.rc_context({"svg.hashsalt": "cdk-sagemaker-monitoring", "svg.fonttype": "path"}):
        figure: Any = Figure(figsize=(12, 2.6 * rows), dpi=90, layout="constrained")
        axes = figure.subplots(rows, 1, squeeze=False)[:, 0]
        if not shown:
            axes[0].text(0.5, 0.5, "no replayable alarm has history here", ha="center", va="center")
            axes[0].set_axis_off()
        end = int(history.end or 0)
        for ax, replay in zip(axes, shown, strict=False):
            alarm = replay.alarm
            starts = periods(history, alarm.period)
            if alarm.burn is None and len(alarm.sources) > 1:
                for source in alarm.sources:
                    each = series_values(history, source, alarm.statistic, alarm.period)
                    label = "/".join(v for _, v in source.dimensions[1:]) or source.metric
                    ax.step([_time(t) for t in starts if t in each], [each[t] for t in starts if t in each],
                            where="post", linewidth=1, label=label)
            else:
                ax.step([_time(t) for t in starts if t in replay.values],
                        [replay.values[t] for t in starts if t in replay.values], where="post", linewidth=1,
                        label=f"{replay.metric} ({alarm.statistic}, {alarm.period} s)")
            if replay.threshold is not None:
                ax.axhline(replay.threshold, color="tab:red", linestyle="--", linewidth=1,
                           label=f"threshold {replay.threshold:g}")
            for i, (a, b) in enumerate(replay.alarm_spans(end)):
                ax.axvspan(_time(a), _time(b), color="tab:red", alpha=0.15, label="ALARM" if i == 0 else None)
            ax.set_title(f"{alarm.name}  ({alarm.datapoints_to_alarm} of {alarm.evaluation_periods}, "
                         f"missing: {alarm.treat_missing_data})", fontsize=9, loc="left")
            ax.set_xlim(_time(int(history.start or 0)), _time(end))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d %H:%M"))
            ax.legend(fontsize=7, loc="upper right")
            ax.grid(True, alpha=0.3)
        figure.savefig(path, metadata={"Software": None} if path.lower().endswith(".png") else {"Date": None})
    return len(shown)
