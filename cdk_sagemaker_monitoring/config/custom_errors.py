"""How the models' own checks refuse a value: a pydantic error that carries the problem, the fix and the place.

A field or model validator raises :func:`invalid`; :mod:`.validation_errors` reads the context back:
``problem`` is the message, ``fix`` becomes the :class:`~cdk_sagemaker_monitoring.errors.ConfigurationError`'s
fix and ``loc`` (keys and indexes below the validated value) extends its field path.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Optional, Sequence

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

__all__ = ["LEFT_OUT_KEYS", "LENIENT_METRICS", "closest", "did_you_mean", "invalid", "matching", "raise_all"]

#: Validation context keys set when a configuration is validated again without the values already refused
#: (:func:`.validation_errors.check`), so that a check across fields does not report their absence as well:
LENIENT_METRICS = "lenient_metrics"
"""Metric names alarm overrides may name although no row has them (custom metrics whose entry was refused)."""
LEFT_OUT_KEYS = "left_out_keys"
"""Top-level keys with a refused value left out (``monitoring_account``, ``environments``)."""


def invalid(kind: str, problem: str, fix: str | None = None, loc: Sequence[Any] = ()) -> PydanticCustomError:
    """A validation error of type ``kind``; ``loc`` points below the validated value (``(1, "name")``).

    The problem is passed as context, never as the message template, so braces in user input stay as written.
    """
    ctx: dict[str, Any] = {}
    if fix:
        ctx["fix"] = fix
    if loc:
        ctx["loc"] = tuple(loc)
    ctx["problem"] = problem  # last: pydantic fills the template one context key after another
    return PydanticCustomError(kind, "{problem}", ctx)


def raise_all(errors: Sequence[PydanticCustomError], title: str = "configuration") -> None:
    """Raise every error of ``errors`` at once (nothing when there is none): a check reports all it finds.

    One error is raised as it is; several as one ``ValidationError`` that pydantic merges into the
    validation's errors, each still carrying its own ``loc`` below the validated value.
    """
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ValidationError.from_exception_data(title, [InitErrorDetails(type=e, loc=(), input=None) for e in errors])


def matching(value: Optional[str], pattern: re.Pattern[str], kind: str, what: str, fix: str) -> Optional[str]:
    """``value`` when it is ``None`` or ``pattern`` matches all of it; else :func:`invalid`: "'v' is not <what>"."""
    if value is not None and not pattern.fullmatch(value):
        raise invalid(kind, f"{value!r} is not {what}", fix)
    return value


def closest(word: str, choices: Sequence[str]) -> str | None:
    """The choice closest to ``word`` when one is close enough to be a likely typo, else ``None``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Sequence[str]) -> str:
    """``"did you mean 'x'? "`` for the :func:`closest` choice, or ``""``: the start of a fix."""
    match = closest(word, choices)
    return f"did you mean {match!r}? " if match else ""
