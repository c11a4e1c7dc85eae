"""The one error type of the cost estimate."""

from __future__ import annotations


class CostInputError(ValueError):
    """Input the estimate cannot use (not an assembly, a template that does not parse, a bad price file...).

    Its message is one line that names the input and what is wrong; the CLI prints it and exits 1."""
