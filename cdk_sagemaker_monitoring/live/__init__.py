"""Code that runs in AWS Lambda, shipped inside the package (stdlib only).

This directory is the Lambda asset of :class:`~cdk_sagemaker_monitoring.ExperimentMetricsStream`
(``lambda.Code.from_asset`` of this folder, no bundling): keep it free of imports from the rest
of the package. In Lambda the handler is ``handler.handler``; in Python it is
``cdk_sagemaker_monitoring.live.handler.handler``.
"""
