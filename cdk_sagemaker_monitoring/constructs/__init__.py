"""Reusable CDK constructs. Import them from the package root: ``from cdk_sagemaker_monitoring import ...``."""
