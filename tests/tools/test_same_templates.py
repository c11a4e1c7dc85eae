"""tools/same_templates.py: ./dev other-pythons requires each Python's synthesis to be byte-identical."""

from __future__ import annotations

import base64
import gzip
import json
import subprocess
import sys

from tools_module import ROOT, load

same_templates = load("same_templates")


def assembly(root, templates: dict[str, str]):
    root.mkdir(parents=True, exist_ok=True)
    for name, text in templates.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    (root / "manifest.json").write_text("{}")
    return root


def test_the_same_templates_are_the_same_whatever_else_differs(tmp_path):
    reference = assembly(tmp_path / "a", {"A.template.json": "{\n}\n", "assembly-Stage/B.template.json": "[]"})
    other = assembly(tmp_path / "b", {"A.template.json": "{\n}\n", "assembly-Stage/B.template.json": "[]"})
    (other / "tree.json").write_text("another Python's tree")
    assert same_templates.differences(reference, other) == []


def test_a_different_missing_or_extra_template_is_named(tmp_path):
    reference = assembly(tmp_path / "a", {"A.template.json": '{\n"x": 1\n}\n', "B.template.json": "{}"})
    other = assembly(tmp_path / "b", {"A.template.json": '{\n"x": 2\n}\n', "C.template.json": "{}"})
    found = same_templates.differences(reference, other)
    assert found[0] == f"{other}: B.template.json is missing"
    assert found[1] == f"{other}: C.template.json is not in {reference}"
    assert '-"x": 1' in found[2] and '+"x": 2' in found[2]
    assert len(found) == 3


def test_an_empty_reference_is_not_the_same(tmp_path):
    assert same_templates.differences(assembly(tmp_path / "a", {}), assembly(tmp_path / "b", {})) != []


def test_the_command_exits_1_on_a_difference(tmp_path):
    reference = assembly(tmp_path / "a", {"A.template.json": "1"})
    other = assembly(tmp_path / "b", {"A.template.json": "2"})
    command = [sys.executable, ROOT / "tools" / "same_templates.py"]
    assert subprocess.run([*command, reference, reference], timeout=60).returncode == 0
    done = subprocess.run([*command, reference, other], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "A.template.json" in done.stderr


def with_analytics(reported: str) -> str:
    """A template whose CDK version reporting says this (as the CDK writes it: gzip, then base64)."""
    encoded = base64.b64encode(gzip.compress(reported.encode(), mtime=0)).decode()
    return json.dumps({"Resources": {"CDKMetadata": {"Type": "AWS::CDK::Metadata",
                                                     "Properties": {"Analytics": f"v2:deflate64:{encoded}"}}}}, indent=1)


def test_only_the_python_version_in_the_cdks_version_reporting_may_differ(tmp_path):
    reported = "2.275.0!aws-cdk-lib.{Stack,aws_s3.Bucket},Python/{}!jsii-runtime.Runtime"
    reference = assembly(tmp_path / "a", {"A.template.json": with_analytics(reported.replace("{}", "3.11.7", 1))})
    other = assembly(tmp_path / "b", {"A.template.json": with_analytics(reported.replace("{}", "3.13.0", 1))})
    assert (reference / "A.template.json").read_bytes() != (other / "A.template.json").read_bytes()
    assert same_templates.differences(reference, other) == []
    more = assembly(tmp_path / "c", {"A.template.json": with_analytics(
        reported.replace("Bucket", "Bucket,aws_sns.Topic").replace("{}", "3.13.0", 1))})
    assert len(same_templates.differences(reference, more)) == 1  # another construct is another template
