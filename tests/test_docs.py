"""The docs site: it builds strictly, its generated pages are current, its examples run, and the README points into it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import cdk_sagemaker_monitoring as package
from cdk_sagemaker_monitoring.cli.help_page import HELP_PAGE, current_section, help_markdown

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def build_site(config_dir: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` of the site whose ``mkdocs.yml`` is in ``config_dir``."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)],
                          cwd=config_dir, env=env, capture_output=True, text=True, timeout=300)


def copy_site_sources(target: Path) -> Path:
    for name in ("docs", "docs_ext"):
        shutil.copytree(ROOT / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", target / "mkdocs.yml")
    return target


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    result = build_site(ROOT, site_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir


def test_site_builds_strictly_without_warnings(site: Path) -> None:
    for page in ("index.html", "getting-started/index.html", "guides/monitoring/index.html",
                 "reference/configuration/index.html", "reference/api/index.html", "reference/cli/index.html",
                 "reference/alarms/index.html", "architecture/index.html", "concepts/scale/index.html",
                 "contributing/index.html"):
        assert (site / page).is_file(), page


def test_site_loads_nothing_from_outside(site: Path) -> None:
    """No web fonts, scripts or styles from elsewhere: the pages work offline (links to elsewhere are fine)."""
    html = (site / "index.html").read_text(encoding="utf-8")
    loaded = re.findall(r'<(?:script|img|link)\b[^>]*\b(?:src|href)="((?:https?:)?//[^"]+)"', html)
    assert loaded == []
    assert re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)  # the pattern sees local assets


def test_api_reference_is_rendered_from_the_docstrings(site: Path) -> None:
    html = (site / "reference" / "api" / "index.html").read_text(encoding="utf-8")
    assert "Dashboards and alarms for SageMaker endpoints" in html  # SageMakerMonitoring's docstring
    assert "alarm_emails" in html and "guardrail_alarm_names" in html
    assert ":class:" not in html and ":func:" not in html  # Sphinx roles read as code (docs_ext/sphinx_roles.py)


def test_a_broken_link_fails_the_build(tmp_path: Path) -> None:
    sources = copy_site_sources(tmp_path / "src")
    index = sources / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\n[gone](guides/no-such-page.md)\n", encoding="utf-8")
    result = build_site(sources, tmp_path / "site")
    assert result.returncode != 0
    assert "no-such-page.md" in result.stdout + result.stderr


def test_api_page_documents_every_export() -> None:
    text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^::: (cdk_sagemaker_monitoring\.[\w.]+)$", text, re.MULTILINE))
    exports = {name: package._EXPORTS.get(name, ".errors") for name in package.__all__ if name != "__version__"}
    missing = sorted(name for name, module in exports.items() if f"{package.__name__}{module}.{name}" not in documented)
    assert missing == [], f"add to docs/reference/api.md: {missing}"


def test_cli_help_page_is_current() -> None:
    page = (ROOT / HELP_PAGE).read_text(encoding="utf-8")
    assert current_section(page) == "\n\n" + help_markdown() + "\n", \
        "run: python -m cdk_sagemaker_monitoring.cli.help_page --write"


def test_cli_help_page_has_every_command() -> None:
    from cdk_sagemaker_monitoring.cli.main import COMMANDS

    text = help_markdown()
    for command in COMMANDS:
        assert f"## `sagemaker-monitoring {command}`\n\n```text\nusage: sagemaker-monitoring {command} " in text
    assert "-o, --output FILE" in text  # the same layout on every Python version


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)


def run_example(code: str, tmp_path: Path) -> dict[str, Any]:
    """Run a whole-app example as ``app.py`` (as a visitor would copy it); the template it wrote."""
    app = tmp_path / "app.py"
    app.write_text(code, encoding="utf-8")
    out = tmp_path / "cdk.out"
    result = subprocess.run([sys.executable, str(app)], cwd=tmp_path, env={**os.environ, "CDK_OUTDIR": str(out)},
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    template: dict[str, Any] = json.loads((out / "MlMonitoring.template.json").read_text(encoding="utf-8"))
    return template


@pytest.mark.parametrize("path", [ROOT / "README.md", DOCS / "getting-started.md"], ids=lambda p: p.name)
def test_first_example_synthesizes(path: Path, tmp_path: Path) -> None:
    template = run_example(python_blocks(path)[0], tmp_path)
    types = [r["Type"] for r in template["Resources"].values()]
    assert types.count("AWS::CloudTrail::Trail") == 1
    assert types.count("AWS::CloudWatch::Alarm") >= 10  # the default alarms of two endpoints
    assert "AWS::SNS::Subscription" in types and "AWS::CloudWatch::Dashboard" in types


def test_extending_guide_example_routes_by_severity_adds_a_metric_and_a_widget(tmp_path: Path) -> None:
    """The guide's app: Critical alarms to one topic, Warning to another, a custom metric, a widget of one's own."""
    template = run_example(python_blocks(DOCS / "guides" / "extending.md")[0], tmp_path)
    resources = template["Resources"]
    topics = sorted(k for k, r in resources.items() if r["Type"] == "AWS::SNS::Topic")
    assert [t.rstrip("0123456789ABCDEF") for t in topics] == ["Chat", "Pager"]  # no alarm topic of the construct's
    alarms = {r["Properties"]["AlarmName"]: r["Properties"] for r in resources.values()
              if r["Type"] == "AWS::CloudWatch::Alarm"}
    chat, pager = ([{"Ref": t}] for t in topics)
    assert {n: p["AlarmActions"] for n, p in alarms.items()} == {
        n: (pager if n.endswith("/Critical") else chat) for n in alarms}
    assert any(n.endswith("/Critical") for n in alarms) and any(n.endswith("/Warning") for n in alarms)
    custom = alarms["SageMaker/Endpoint/recsys/TokensPerSecond/Warning"]
    assert custom["ComparisonOperator"] == "LessThanThreshold" and custom["Threshold"] == 10
    assert "Runbook: https://wiki.example.com/runbooks/sagemaker" in custom["AlarmDescription"]
    team = next(r for k, r in resources.items() if k.startswith("TeamDashboard"))
    body = json.dumps(team["Properties"]["DashboardBody"])
    assert "MyCompany/Inference" in body and "TokensPerSecond" in body and "ModelLatency" in body


def test_readme_is_short_and_links_into_the_docs() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 200
    links = re.findall(r"\]\((docs/[^)#]+)(?:#[^)]*)?\)", text)
    assert len(links) >= 10
    assert [link for link in links if not (ROOT / link).is_file()] == []


def test_cost_figures_of_the_cli_guide_are_current() -> None:
    from docs_ext.cost_figures import PAGE, cost_table, current_section

    page = PAGE.read_text(encoding="utf-8")
    assert current_section(page) == "\n\n" + cost_table() + "\n", "run: python -m docs_ext.cost_figures --write"


def test_the_monitoring_guides_figures_of_a_plain_endpoint_are_the_plans() -> None:
    import re

    from cdk_sagemaker_monitoring.config.validate import validate
    from cdk_sagemaker_monitoring.config.resources import MonitoringConfig
    from cdk_sagemaker_monitoring.plan import plan_monitoring
    from cdk_sagemaker_monitoring.plan.limits import MAX_RESOURCES_PER_STACK

    page = (ROOT / "docs" / "guides" / "monitoring.md").read_text(encoding="utf-8")
    found = re.search(r"Each plain endpoint costs (\d+) resources \((\d+) alarms and a composite alarm\), so one "
                      r"stack holds\s+about (\d+) endpoints", page)
    assert found, "the sentence about a plain endpoint's resources is gone from docs/guides/monitoring.md"
    resources, alarms, per_stack = map(int, found.groups())
    (planned,) = plan_monitoring(validate(MonitoringConfig, {"endpoints": ["plain"]}), dashboard_base="D").resources
    assert (planned.resource_count, len(planned.alarms)) == (resources, alarms)
    assert abs(MAX_RESOURCES_PER_STACK // resources - per_stack) <= 5  # "about": room for the stack's own resources


def test_install_commands_in_the_docs_name_a_clone_or_the_wheel() -> None:
    # The package is on no index: `pip install 'cdk-sagemaker-monitoring[...]'` would fail where it is copied.
    from cdk_sagemaker_monitoring.install_hint import WHEEL_NAME

    pages = [ROOT / "README.md", *DOCS.rglob("*.md")]
    wrong = [f"{p.relative_to(ROOT)}: {line.strip()}" for p in pages for line in p.read_text(encoding="utf-8").splitlines()
             if re.search(r"pip install '?cdk-sagemaker-monitoring[\[ ]|cdk-sagemaker-monitoring-0\.1\.0-", line)]
    assert wrong == []
    assert WHEEL_NAME in (DOCS / "getting-started.md").read_text(encoding="utf-8")
