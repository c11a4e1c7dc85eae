"""Many alarms in one jsii call: the planned resources as a CloudFormation template, included with ``CfnInclude``.

Building each ``CfnAlarm`` from Python costs a jsii round trip (about 1 ms); ``CfnInclude`` builds
the same L1 objects (``CfnAlarm``, ``CfnCompositeAlarm``, ``CfnOutput``: cdk-nag and aspects see them
as usual) on the Node.js side from one template, about twice as fast, and keeps the plan's logical
ids exactly (derived from names: stable however the rest of the configuration changes). The alarm
topic comes in as the template parameter :data:`TOPIC_PARAMETER`, which ``CfnInclude`` replaces by the
topic's ARN (a cross-stack reference when the scope is a nested stack).
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Sequence

from aws_cdk import cloudformation_include as cfn_include
from constructs import Construct

from ..plan.model import AlarmPlan, ResourcePlan
from ..plan.template import TOPIC_PARAMETER, template_of

__all__ = ["TOPIC_PARAMETER", "include_template", "render_resources", "template_of"]


def render_resources(scope: Construct, id: str, resources: Sequence[ResourcePlan], topic_arn: str, *,
                     alarms: Sequence[AlarmPlan] = (), guardrail_outputs: bool = True) -> cfn_include.CfnInclude | None:
    """Render ``resources`` (alarms, composite alarms, guardrail outputs) and ``alarms`` into ``scope`` at once.

    Returns the ``CfnInclude`` (``get_resource(logical_id)`` gives an alarm), or ``None`` when there is nothing.
    """
    template = template_of(resources, alarms, guardrail_outputs=guardrail_outputs)
    if not template["Resources"]:
        return None
    return include_template(scope, id, json.dumps(template, separators=(",", ":")), topic_arn)


def include_template(scope: Construct, id: str, text: str, topic_arn: str) -> cfn_include.CfnInclude:
    """``CfnInclude`` of a template given as JSON text (one jsii call), its topic parameter set to ``topic_arn``."""
    handle, path = tempfile.mkstemp(prefix="sagemaker-monitoring-", suffix=".json")
    try:
        with os.fdopen(handle, "w") as out:
            out.write(text)
        return cfn_include.CfnInclude(scope, id, template_file=path, parameters={TOPIC_PARAMETER: topic_arn})
    finally:
        os.unlink(path)  # CfnInclude reads the file while it is constructed
