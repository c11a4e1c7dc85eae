"""CDK context values, read the way ``cdk.App`` reads them, without starting the jsii runtime.

The CDK CLI hands an app its context (``cdk.json``'s ``context`` merged with ``-c key=value``) in the
``CDK_CONTEXT_JSON`` environment variable, or in a file named by ``CONTEXT_OVERFLOW_LOCATION_ENV``
when it is too large for the environment. Reading it here lets the app refuse a bad configuration
before it constructs anything.
"""

from __future__ import annotations

import json
import os
from typing import Any

CONTEXT_ENV = "CDK_CONTEXT_JSON"
CONTEXT_OVERFLOW_ENV = "CONTEXT_OVERFLOW_LOCATION_ENV"


def cli_context() -> dict[str, Any]:
    """The context the CDK CLI passed to this process (empty when run without the CLI)."""
    context: dict[str, Any] = {}
    text = os.environ.get(CONTEXT_ENV)
    if text:
        context.update(json.loads(text))
    overflow = os.environ.get(CONTEXT_OVERFLOW_ENV)
    if overflow:
        with open(overflow, encoding="utf-8") as file:
            context.update(json.load(file))
    return context


def context_value(key: str, default: Any = None) -> Any:
    """One context value, or ``default`` when the CLI did not pass it."""
    return cli_context().get(key, default)
