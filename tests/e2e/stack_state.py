"""What one deployment left behind: the synthesized template and the stack's physical resources."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: LocalStack 4.4.0's physical id for resource types its CloudFormation accepts but does not create.
NOT_CREATED = "unknown"


@dataclass(frozen=True)
class Deployment:
    """A deployed stack: its template (from the cloud assembly) and physical ids (from CloudFormation)."""

    stack_name: str
    template: dict[str, Any]
    physical_ids: dict[str, str | None]

    @property
    def resources(self) -> dict[str, dict[str, Any]]:
        return self.template.get("Resources", {})

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """Template resources of one CloudFormation type, by logical id."""
        return {lid: r for lid, r in self.resources.items() if r.get("Type") == resource_type}

    def mentioning(self, text: str) -> set[str]:
        """Logical ids of the resources whose properties contain ``text`` (a resource's name, say)."""
        return {lid for lid, r in self.resources.items() if text in json.dumps(r.get("Properties", {}))}

    def by_path(self, construct_path: str) -> str:
        """The logical id of the resource at ``<stack>/<construct_path>`` (``aws:cdk:path`` metadata)."""
        wanted = f"{self.stack_name}/{construct_path}"
        found = [lid for lid, r in self.resources.items() if r.get("Metadata", {}).get("aws:cdk:path") == wanted]
        if len(found) != 1:
            raise AssertionError(f"expected one resource at {wanted}, found {found}")
        return found[0]

    def created(self, logical_id: str) -> bool:
        """False when the emulator accepted the resource without creating it (see :data:`NOT_CREATED`)."""
        return self.physical_ids.get(logical_id) not in (None, NOT_CREATED)


def stack_template(assembly_dir: Path, stack_name: str) -> dict[str, Any]:
    """The template of ``stack_name`` in a cloud assembly (``cdk synth/deploy --output``)."""
    manifest = json.loads((assembly_dir / "manifest.json").read_text())
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        props = artifact.get("properties", {})
        # stackName is left out of the manifest when it equals the artifact id
        if artifact.get("type") == "aws:cloudformation:stack" and props.get("stackName", artifact_id) == stack_name:
            return json.loads((assembly_dir / props["templateFile"]).read_text())
    raise AssertionError(f"no stack {stack_name!r} in {assembly_dir}/manifest.json")


def read_deployment(cloudformation: Any, assembly_dir: Path, stack_name: str) -> Deployment:
    """The deployed stack's template and every resource's physical id (``None`` when it has none)."""
    physical: dict[str, str | None] = {}
    for page in cloudformation.get_paginator("list_stack_resources").paginate(StackName=stack_name):
        for summary in page["StackResourceSummaries"]:
            physical[summary["LogicalResourceId"]] = summary.get("PhysicalResourceId")
    return Deployment(stack_name, stack_template(assembly_dir, stack_name), physical)
