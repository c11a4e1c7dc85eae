"""The bundled app: a bad configuration exits 1 with a clear message on stderr and writes no template.

Run as the CDK CLI runs it (``.venv/bin/python app.py`` with the context in ``CDK_CONTEXT_JSON``), and
once through the real pinned CLI (``cdk synth -c config=...``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CDK = ROOT / "node_modules" / ".bin" / "cdk"

BAD = """\
stack_name: Fine
endpoints:
  - churn
  - name: fraud
    variants: [AllTraffic, AllTraffic]
trail:
  cloudwatch_logs_retention_days: 366
"""


def run_app(config: str, outdir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps({"config": config}), "CDK_OUTDIR": str(outdir)}
    return subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def assert_clean_refusal(result: subprocess.CompletedProcess[str], outdir: Path) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "jsii" not in result.stderr.lower()
    assert not list(outdir.glob("*.template.json")), "a template was written"


def test_bad_configuration_is_refused_before_anything_is_built(tmp_path: Path) -> None:
    config = tmp_path / "prod.yaml"
    config.write_text(BAD, encoding="utf-8")
    outdir = tmp_path / "out"
    result = run_app(str(config), outdir)
    assert_clean_refusal(result, outdir)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"error: {config}: 2 configuration errors:",
        f"  {config}:5: endpoints[1].variants[1]: variant 'AllTraffic' is listed twice (list each variant once)",
        f"  {config}:7: trail.cloudwatch_logs_retention_days: 366 is not a retention CloudWatch Logs accepts "
        "(nearest: 365; allowed: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, "
        "2557, 2922, 3288, 3653)",
    ]
    assert not outdir.exists()


@pytest.mark.parametrize("name, text, expected", [
    ("missing.yaml", None, "missing.yaml: config: the configuration file does not exist"),
    ("syntax.yaml", "endpoints: [churn\n", "syntax.yaml:2: YAML syntax:"),
    ("unknown.yaml", "endpoint: [churn]\n", "unknown.yaml:1: endpoint: is not a known key (did you mean 'endpoints'?)"),
])
def test_each_kind_of_file_problem_is_one_line_on_stderr(tmp_path: Path, name: str, text: str | None,
                                                          expected: str) -> None:
    config = tmp_path / name
    if text is not None:
        config.write_text(text, encoding="utf-8")
    outdir = tmp_path / "out"
    result = run_app(str(config), outdir)
    assert_clean_refusal(result, outdir)
    assert result.stderr.startswith(f"error: {tmp_path}/{expected}")


def test_real_cdk_cli_refuses_a_bad_file_without_writing_a_template(tmp_path: Path) -> None:
    assert CDK.exists(), "run ./dev setup (npm ci) first"
    config = tmp_path / "prod.yaml"
    config.write_text(BAD, encoding="utf-8")
    outdir = tmp_path / "cdk.out"
    env = {**os.environ, "CDK_DISABLE_CLI_TELEMETRY": "true"}
    result = subprocess.run(
        [str(CDK), "synth", "--no-notices", "-c", f"config={config}", "-o", str(outdir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert_clean_refusal(result, outdir)
    assert f"{config}:5: endpoints[1].variants[1]: variant 'AllTraffic' is listed twice" in result.stderr


def test_real_cdk_cli_synth_prints_no_stray_lines(tmp_path: Path) -> None:
    # The example's annotations only: no jsii frame (".../lib/program.js:1:5591"), plurals that agree, no banner.
    assert CDK.exists(), "run ./dev setup (npm ci) first"
    env = {**os.environ, "CDK_DISABLE_CLI_TELEMETRY": "true"}
    result = subprocess.run([str(CDK), "synth", "--quiet", "--no-notices", "-o", str(tmp_path / "cdk.out")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert not [line for line in lines if re.search(r"\.js:\d+:\d+|^b'|!!", line)], result.stderr
    assert not re.search(r"\b1 [a-z-]+ (alarms|metrics|dashboards)\b", result.stderr), result.stderr
    (info,) = [line for line in lines if line.startswith("INFO ")]
    assert info.startswith("INFO Estimated monthly cost of this monitoring")
    assert lines[lines.index(info) + 1:] == ["   SageMakerMonitoring/Monitoring",
                                             "   Acknowledge with 'Annotation::cdk-sagemaker-monitoring:CostEstimate'"]


def test_the_app_under_an_old_system_node_prints_nothing(tmp_path: Path) -> None:
    # A consumer's Node 20 (end of life for jsii): synthesis works, and jsii's eleven-line banner is silenced.
    old = shutil.which("node", path="/usr/bin:/bin")
    if old is None:
        pytest.skip("no system Node.js here")
    env = {k: v for k, v in os.environ.items() if not k.startswith("JSII_")}
    env.update({"JSII_NODE": old, "CDK_OUTDIR": str(tmp_path / "out")})
    result = subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert (tmp_path / "out" / "SageMakerMonitoring.template.json").is_file()
