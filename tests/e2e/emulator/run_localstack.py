"""Starts LocalStack 4.4.0 in host mode with two fixes to its CloudFormation stack deletion and one to Lambda.

Run by the end-to-end fixture as ``python -m run_localstack`` from the emulator's own virtual
environment (``.venv-localstack``), with this directory on ``PYTHONPATH`` for that process only.
Nothing else about the emulator changes.

1. ``DeletionPolicy: Retain`` is honoured. LocalStack 4.4.0 deletes every resource of a stack on
   ``DeleteStack``, including those whose ``DeletionPolicy`` is ``Retain`` (AWS keeps them;
   LocalStack fixed this upstream in releases that need Python 3.12). Deletes go through
   ``ResourceProviderExecutor.deploy_loop`` with the action ``"Remove"`` (from
   ``TemplateDeployer.delete_stack`` and from updates that drop a resource), so the fix wraps that
   method: a ``Remove`` of a resource whose template entry says ``Retain`` (or
   ``RetainExceptOnCreate``, which also keeps the resource once its stack was created) reports
   success without calling the resource provider. The stack no longer lists the resource; the
   resource itself stays, as on AWS.
2. A stack whose update removed resources can be deleted. After such an update 4.4.0 drops the
   removed resources from the stack's template but not from its copy of the original template,
   which ``TemplateDeployer.delete_stack`` walks to order the deletes; the first removed resource
   then fails the whole ``DeleteStack`` with a ``KeyError``. The fix drops, just before a stack is
   deleted, the entries of that copy that the stack no longer has (AWS deletes a stack's current
   resources).
3. A Lambda function can be created without Docker. 4.4.0 prepares every new function version for
   invocation at once (``DockerRuntimeExecutor.prepare_version``): it downloads its runtime-init binary
   from GitHub and pulls the runtime's container image, and without network or Docker the function,
   and the stack with it, fails to create. The fix skips that preparation, so the function is created
   with its configuration and code (what the metrics-stream test checks) and is ``Active``; invoking it
   still fails here, as it would without the fix.
"""

from __future__ import annotations

import functools
import logging

RETAINING_POLICIES = frozenset({"Retain", "RetainExceptOnCreate"})

LOG = logging.getLogger("e2e.emulator_fixes")


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


def install_delete_after_update_fix() -> None:
    """Make ``DeleteStack`` order only the resources the stack still has."""
    from localstack.services.cloudformation.engine import template_deployer as td

    original = td.TemplateDeployer.delete_stack
    if getattr(original, "__delete_fix__", False):
        return

    @functools.wraps(original)
    def delete_stack(self, *args, **kwargs):
        stack = self.stack
        if stack is not None:
            current = stack.template.get("Resources", {})
            ordered = stack.template_original.get("Resources", {})
            for logical_id in [lid for lid in ordered if lid not in current]:
                LOG.info("delete fix: %s was removed by an update; not deleting it again", logical_id)
                del ordered[logical_id]
        return original(self, *args, **kwargs)

    delete_stack.__delete_fix__ = True  # type: ignore[attr-defined]
    td.TemplateDeployer.delete_stack = delete_stack


def install_lambda_without_docker_fix() -> None:
    """Create Lambda function versions without preparing them to run (no runtime download, no image pull)."""
    from localstack.services.lambda_.invocation import docker_runtime_executor as dre

    executor = dre.DockerRuntimeExecutor
    if getattr(executor.prepare_version, "__lambda_fix__", False):
        return

    def prepare_version(cls, function_version):  # noqa: ANN001 - LocalStack's own signature
        LOG.info("lambda fix: %s created without preparing it for invocation (no Docker here)",
                 function_version.id.qualified_arn())

    prepare_version.__lambda_fix__ = True  # type: ignore[attr-defined]
    executor.prepare_version = classmethod(prepare_version)


def main() -> None:
    """Apply the fixes, then hand over to LocalStack's own runtime entry point."""
    install_retain_fix()
    install_delete_after_update_fix()
    install_lambda_without_docker_fix()
    from localstack.runtime.main import main as localstack_main

    localstack_main()


if __name__ == "__main__":
    main()
