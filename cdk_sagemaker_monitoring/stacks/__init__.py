"""Deployable stacks composed of the package's constructs."""
