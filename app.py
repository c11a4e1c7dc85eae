#!/usr/bin/env python3
"""The bundled CDK app: the stacks of the YAML file named by the context value ``config``.

    npx cdk synth -c config=prod.yaml     (default in cdk.json: examples/monitoring.yaml)

One MonitoringStack, or with ``environments`` one per environment and the central stacks (``build_stacks``).

A bad configuration is refused before anything is constructed: the message (file, line, field and
what would be valid) goes to stderr, the exit code is 1 and no template is written. A relative path
is looked up where the command was run (``INIT_CWD``, set by ``./dev``), then here. Alarms that would
notify no one are a warning: an annotation the CDK CLI prints, or one line on stderr without the CLI.
"""

import os
import sys

from cdk_sagemaker_monitoring.config.config_path import find_config
from cdk_sagemaker_monitoring.config.loader import load_config
from cdk_sagemaker_monitoring.errors import ConfigurationError
from cdk_sagemaker_monitoring.install_hint import install_command
from cdk_sagemaker_monitoring.jsii_node import missing_node_message
from cdk_sagemaker_monitoring.stacks.cdk_context import context_value

DEFAULT_CONFIG = "examples/monitoring.yaml"
CLI_VERSION_ENV = "CDK_CLI_VERSION"
"""Set by the CDK CLI when it runs the app (the CLI prints the stacks' annotations itself)."""


def main() -> None:
    given = context_value("config", DEFAULT_CONFIG)
    try:
        path = find_config(given)  # relative: to where the user ran the command, then to this directory
        config = load_config(path)
    except ConfigurationError as err:
        sys.exit(f"error: {err}")
    no_node = missing_node_message(install_command("node"))
    if no_node is not None:
        sys.exit(f"error: {no_node}")

    import aws_cdk as cdk

    from cdk_sagemaker_monitoring.stacks.app_stacks import build_stacks

    app = cdk.App()
    try:
        stacks = build_stacks(app, config)
    except ConfigurationError as err:  # limits only known once planned (e.g. too many alarms for a region)
        sys.exit(f"error: {err}" if err.source else f"error: {path}: {err}")
    app.synth()
    if CLI_VERSION_ENV not in os.environ:
        for stack in stacks.all:
            monitoring = getattr(stack, "monitoring", None)
            if monitoring is not None and monitoring.notifies_nobody:
                print(f"warning: {stack.stack_name}: {monitoring.nobody_notified_text(construct=False)}", file=sys.stderr)


if __name__ == "__main__":
    main()
