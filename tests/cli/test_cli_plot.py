"""`sagemaker-monitoring plot`: training curves of generated trails; the drawn data is the rows `metrics` returns."""

from __future__ import annotations

import csv
import io
import math
import random
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image
from support.cloudtrail import metric_event, write_tree

from cdk_sagemaker_monitoring.cli.main import main
from cdk_sagemaker_monitoring.curves import figure, group_curves
from cdk_sagemaker_monitoring.install_hint import install_command
from cdk_sagemaker_monitoring.trail_reader import read_metric_rows

DAYS = (date(2024, 5, 1), date(2024, 5, 2))


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory):
    return write_tree(tmp_path_factory.mktemp("plot"), days=DAYS, damaged=(), seed=21)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def metrics_rows(capsys: pytest.CaptureFixture[str], source: Path, *filters: str) -> list[dict[str, str]]:
    code, out, _ = run(capsys, "metrics", str(source), "--no-progress", *filters)
    assert code == 0
    return list(csv.DictReader(io.StringIO(out)))


def expected_lines(rows: list[dict[str, str]]) -> dict[tuple[str, str], tuple[bool, list[tuple[object, float]]]]:
    """(metric, run) -> (by step?, [(x, y)...] sorted), from the CSV `metrics` printed, computed here."""
    grouped: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        grouped[(row["metric_name"], row["trial_component"])].append(row)
    out = {}
    for key, items in grouped.items():
        finite = [r for r in items if r["value"] and math.isfinite(float(r["value"]))]
        by_step = all(r["step"] for r in finite)
        if by_step:
            points = sorted((int(r["step"]), float(r["value"])) for r in finite)
        else:
            points = sorted((datetime.strptime(r["timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc),
                             float(r["value"])) for r in finite)
        out[key] = (by_step, points)
    return out


def drawn_lines(fig) -> dict[tuple[str, str], tuple[bool, list[tuple[object, float]]]]:
    """(panel title, legend label) -> (x axis is step?, sorted points) of every line matplotlib holds."""
    import matplotlib.dates as mdates

    out = {}
    for ax in fig.axes:
        title = ax.get_title() or next(a.get_title() for a in fig.axes if a.bbox.bounds == ax.bbox.bounds
                                       and a.get_title())
        for line in ax.get_lines():
            by_step = ax.get_xlabel() == "step"
            xs = list(line.get_xdata())
            if not by_step:
                xs = [x if isinstance(x, datetime) else mdates.num2date(x) for x in xs]
            out[(title, line.get_label())] = (by_step, sorted(zip(xs, map(float, line.get_ydata()), strict=True)))
    return out


def png_size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        assert image.format == "PNG"
        return image.size


def test_plot_writes_a_png_of_the_asked_size(tree, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "curves.png"
    code, out, err = run(capsys, "plot", str(tree.root), "-o", str(target), "--size", "1200x800", "--no-progress")
    assert code == 0 and out == ""
    assert png_size(target) == (1200, 800)
    assert f"{len(tree.points)} points" in err and "8 runs" in err and "6 metrics" in err


def test_default_size_grows_with_the_panels(tree, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "one.png"
    assert run(capsys, "plot", str(tree.root), "-o", str(target), "--metric", "train:loss", "--no-progress")[0] == 0
    assert png_size(target) == (1600, 450 + 120)
    target = tmp_path / "six.png"
    assert run(capsys, "plot", str(tree.root), "-o", str(target), "--no-progress")[0] == 0
    assert png_size(target) == (1600, 3 * 450 + 120)


def test_the_plotted_data_is_the_rows_metrics_returns(tree, capsys: pytest.CaptureFixture[str]) -> None:
    expected = expected_lines(metrics_rows(capsys, tree.root))
    rows = list(read_metric_rows(tree.root))
    curves = group_curves(rows, max_runs=100)
    fig = figure(curves)
    assert drawn_lines(fig) == expected
    assert sorted(curves.panels) == sorted({m for m, _ in expected})
    assert sum(len(points) for _, points in expected.values()) == len(tree.points)


def test_filters_narrow_the_plot_like_metrics(tree, capsys: pytest.CaptureFixture[str]) -> None:
    filters = ("--trial-component", "train-run-00", "--metric", "validation:loss", "--since", "2024-05-02")
    expected = expected_lines(metrics_rows(capsys, tree.root, *filters))
    rows = list(read_metric_rows(tree.root, trial_component_prefix="train-run-00", metric_name="validation:loss",
                                 since="2024-05-02"))
    assert drawn_lines(figure(group_curves(rows, max_runs=100))) == expected
    assert {m for m, _ in expected} == {"validation:loss"}


def test_at_most_n_runs_those_that_logged_last_the_rest_named(tree, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(read_metric_rows(tree.root))
    last: dict[str, str] = {}
    for row in rows:
        last[row.trial_component] = max(last.get(row.trial_component, ""), row.timestamp or "")
    latest = sorted(last, key=lambda r: last[r], reverse=True)
    curves = group_curves(rows, max_runs=3)
    assert set(curves.runs) == set(latest[:3]) and set(curves.left_out) == set(latest[3:])
    fig = figure(curves)
    legend = fig.legends[0]
    assert sorted(t.get_text() for t in legend.get_texts()) == sorted(latest[:3])
    note = legend.get_title().get_text()
    assert note.startswith("5 more runs not drawn (at most 3 are)")
    assert all(run in note for run in latest[3:])
    code, _, err = run(capsys, "plot", str(tree.root), "-o", str(tmp_path / "few.png"), "--max-runs", "3",
                       "--no-progress")
    assert code == 0 and "5 more runs not drawn" in err


def _steady_tree(root: Path) -> None:
    """Two runs that log loss by step (falling) and one that logs it without steps."""
    import gzip
    import json

    rng = random.Random(4)
    moment = datetime(2024, 6, 1, 10, 0, tzinfo=timezone.utc)
    records = []
    for run, step_every, scale in (("run-a", 10**9, 2.0), ("run-b", 10**9, 3.0), ("run-c", 1, 2.5)):
        for batch in range(5):
            record, _ = metric_event(rng, "111111111111", "us-east-1", moment + timedelta(minutes=batch), run, 6,
                                     step_every=step_every)
            for i, datum in enumerate(record["requestParameters"]["metricData"]):
                datum["metricName"] = "loss"
                datum["value"] = scale / (1 + batch * 6 + i)
                if "step" in datum:
                    datum["step"] = batch * 6 + i
            records.append(record)
    path = root / "AWSLogs/111111111111/CloudTrail/us-east-1/2024/06/01/x_CloudTrail_us-east-1_20240601T1010Z_a.json.gz"
    path.parent.mkdir(parents=True)
    path.write_bytes(gzip.compress(json.dumps({"Records": records}).encode(), mtime=0))


def test_x_is_the_step_and_time_for_a_run_without_steps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _steady_tree(tmp_path / "trail")
    curves = group_curves(read_metric_rows(tmp_path / "trail"))
    (lines,) = curves.panels.values()
    assert {s.run: s.by_step for s in lines} == {"run-a": True, "run-b": True, "run-c": False}
    assert list(lines[0].x) == list(range(30)) and list(lines[0].y) == sorted(lines[0].y, reverse=True)
    fig = figure(curves)
    labels = sorted(ax.get_xlabel() for ax in fig.axes)
    assert labels == ["step", "time (UTC)"]  # steps below, time on the twin axis above
    expected = expected_lines(metrics_rows(capsys, tmp_path / "trail"))
    assert drawn_lines(fig) == expected
    target = tmp_path / "steady.png"
    assert run(capsys, "plot", str(tmp_path / "trail"), "-o", str(target), "--no-progress")[0] == 0
    assert png_size(target) == (1600, 570)


def test_svg_and_html_are_written_and_byte_identical_run_to_run(tree, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    texts = {}
    for name in ("a.svg", "b.svg", "a.html", "b.html", "a.png", "b.png"):
        assert run(capsys, "plot", str(tree.root), "-o", str(tmp_path / name), "--no-progress")[0] == 0
        texts[name] = (tmp_path / name).read_bytes()
    assert texts["a.svg"] == texts["b.svg"] and texts["a.html"] == texts["b.html"] and texts["a.png"] == texts["b.png"]
    svg = ET.fromstring(texts["a.svg"])
    assert svg.tag.endswith("svg") and svg.get("width") == "1152pt"  # 1600 px at 100 dpi = 16 in = 1152 pt
    page = texts["a.html"].decode()
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "<script" not in page


def test_without_matplotlib_one_line_names_the_extra(tree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    target = tmp_path / "x.png"
    code, _, err = run(capsys, "plot", str(tree.root), "-o", str(target))
    assert code == 1 and not target.exists()
    assert err.startswith(f"error: plot needs matplotlib, which is not installed: {install_command('plot')}")
    assert err.count("\n") == 1 and "[plot]" in err


@pytest.mark.parametrize(("argv", "message"), [
    (["-o", "{tmp}/x.jpg"], "cannot tell the image format from the name (use .png, .svg or .html)"),
    (["-o", "{tmp}/x.png", "--size", "big"], "--size 'big': expected WIDTHxHEIGHT in pixels"),
    (["-o", "{tmp}/x.png", "--max-runs", "0"], "--max-runs must be at least 1"),
    (["-o", "{tmp}/x.png", "--metric", "no-such-metric"], "no metric data points to plot"),
])
def test_mistakes_are_one_line_errors_and_write_nothing(tree, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        argv: list[str], message: str) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = run(capsys, "plot", str(tree.root), "--no-progress", *argv)
    assert code == 1 and message in err and err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_partial_read_still_draws_and_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    damaged = write_tree(tmp_path / "trail", days=DAYS[:1], seed=3)
    target = tmp_path / "partial.png"
    code, _, err = run(capsys, "plot", str(damaged.root), "-o", str(target), "--no-progress")
    assert code == 2 and target.exists() and "partial read" in err
