"""The project's exception types.

Every mistake a user can make in configuration or construct arguments is raised as
:class:`ConfigurationError` (a ``ValueError``), before any template is written. Its message
names the field, what was wrong, and what would be valid.
"""

from __future__ import annotations


class ConfigurationError(ValueError):
    """A bad argument or configuration value, refused at synth time.

    ``field`` is the path of the offending value (``endpoints[3].variants``, ``trail_name``);
    ``source`` is the file it came from, when there is one.
    """

    def __init__(self, field: str, problem: str, *, fix: str | None = None, source: str | None = None) -> None:
        self.field = field
        self.problem = problem
        self.fix = fix
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        where = f"{self.source}: " if self.source else ""
        text = f"{where}{self.field}: {self.problem}"
        if self.fix:
            text += f" ({self.fix})"
        return text


class ConfigurationErrors(ConfigurationError):
    """Several configuration errors found at once; ``errors`` holds each of them."""

    def __init__(self, errors: list[ConfigurationError], *, source: str | None = None) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.field, first.problem, fix=first.fix, source=source)

    def _render(self) -> str:
        where = f"{self.source}: " if self.source else ""
        if len(self.errors) == 1 and not self.errors[0].source:  # one mistake reads like one error
            one = self.errors[0]
            return f"{where}{one.field}: {one.problem}" + (f" ({one.fix})" if one.fix else "")
        lines = [f"{where}{len(self.errors)} configuration error(s):"]
        for err in self.errors:
            line = f"  {err.field}: {err.problem}"
            if err.fix:
                line += f" ({err.fix})"
            lines.append(line)
        return "\n".join(lines)
