"""Starts LocalStack 4.4.0 in host mode with one fix applied: ``DeletionPolicy: Retain`` is honoured.

Run by the end-to-end fixture as ``python -m run_localstack`` from the emulator's own virtual
environment (``.venv-localstack``), with this directory on ``PYTHONPATH`` for that process only.

Why: LocalStack 4.4.0's CloudFormation engine deletes every resource of a stack on ``DeleteStack``,
including resources whose ``DeletionPolicy`` is ``Retain`` (AWS keeps them; LocalStack fixed this
upstream in releases that need Python 3.12). The deletes go through
``ResourceProviderExecutor.deploy_loop`` with the action ``"Remove"`` (both from
``TemplateDeployer.delete_stack`` and from updates that drop a resource), so the fix wraps that
method: a ``Remove`` of a resource whose template entry says ``Retain`` (or ``RetainExceptOnCreate``,
which also keeps the resource once its stack was created) reports success without calling the
resource provider. The stack then no longer lists the resource, and the resource itself stays, as
on AWS. Nothing else about the emulator changes.
"""

from __future__ import annotations

import functools
import logging

RETAINING_POLICIES = frozenset({"Retain", "RetainExceptOnCreate"})

LOG = logging.getLogger("e2e.retain_fix")


def install_retain_fix() -> None:
    """Wrap the CloudFormation resource executor so deletes skip resources marked ``Retain``."""
    from localstack.services.cloudformation import resource_provider as rp

    original = rp.ResourceProviderExecutor.deploy_loop
    if getattr(original, "__retain_fix__", False):
        return

    @functools.wraps(original)
    def deploy_loop(self, resource_provider, resource, raw_payload, *args, **kwargs):
        if raw_payload.get("action") == "Remove" and resource.get("DeletionPolicy") in RETAINING_POLICIES:
            LOG.info(
                "retain fix: keeping %s (%s), DeletionPolicy %s",
                raw_payload.get("requestData", {}).get("logicalResourceId"),
                raw_payload.get("resourceType"),
                resource.get("DeletionPolicy"),
            )
            return rp.ProgressEvent(status=rp.OperationStatus.SUCCESS, resource_model={})
        return original(self, resource_provider, resource, raw_payload, *args, **kwargs)

    deploy_loop.__retain_fix__ = True  # type: ignore[attr-defined]
    rp.ResourceProviderExecutor.deploy_loop = deploy_loop


def main() -> None:
    """Apply the fix, then hand over to LocalStack's own runtime entry point."""
    install_retain_fix()
    from localstack.runtime.main import main as localstack_main

    localstack_main()


if __name__ == "__main__":
    main()
