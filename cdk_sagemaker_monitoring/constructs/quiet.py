"""Annotations without a JavaScript stack trace: the CDK CLI prints a trace's first frame (jsii's
``.../lib/program.js:1:5591``) above every annotation, a stray line on every synth."""

from __future__ import annotations

from constructs import Construct

__all__ = ["DISABLE_STACK_TRACE", "without_stack_traces"]

DISABLE_STACK_TRACE = "aws:cdk:disable-stack-trace"
"""Context key aws-cdk-lib reads: metadata (annotations) of the construct's tree records no stack trace."""


def without_stack_traces(construct: Construct) -> None:
    """No stack traces in the annotations of ``construct`` and below; call it before it has children."""
    construct.node.set_context(DISABLE_STACK_TRACE, True)
