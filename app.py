#!/usr/bin/env python3
"""The bundled CDK app: the stacks of the YAML file named by the context value ``config``.

    npx cdk synth -c config=prod.yaml     (default in cdk.json: examples/monitoring.yaml)

One MonitoringStack, or with ``environments`` one per environment and the central stacks (``build_stacks``).

A bad configuration is refused before anything is constructed: the message (file, line, field and
what would be valid) goes to stderr, the exit code is 1 and no template is written.
"""

import sys

from cdk_sagemaker_monitoring.config.config_path import find_config
from cdk_sagemaker_monitoring.config.loader import load_config
from cdk_sagemaker_monitoring.errors import ConfigurationError
from cdk_sagemaker_monitoring.stacks.cdk_context import context_value

DEFAULT_CONFIG = "examples/monitoring.yaml"


def main() -> None:
    given = context_value("config", DEFAULT_CONFIG)
    try:
        path = find_config(given)  # relative: to where the user ran the command, then to this directory
        config = load_config(path)
    except ConfigurationError as err:
        sys.exit(f"error: {err}")

    import aws_cdk as cdk

    from cdk_sagemaker_monitoring.stacks.app_stacks import build_stacks

    app = cdk.App()
    try:
        build_stacks(app, config)
    except ConfigurationError as err:  # limits only known once planned (e.g. too many alarms for a region)
        sys.exit(f"error: {err}" if err.source else f"error: {path}: {err}")
    app.synth()


if __name__ == "__main__":
    main()
