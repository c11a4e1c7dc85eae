#!/usr/bin/env python3
"""The bundled CDK app: the experiment-metrics trail (monitoring from configuration comes next)."""

import aws_cdk as cdk

from cdk_sagemaker_monitoring import ExperimentMetricsTrail

app = cdk.App()
stack = cdk.Stack(app, "SageMakerMonitoring")
ExperimentMetricsTrail(stack, "ExperimentMetricsTrail", event_names=["BatchPutMetrics"])
app.synth()
