"""A griffe extension for the docs build: Sphinx roles in docstrings (``:class:`X```) read as code.

The package's docstrings use Sphinx's ``:param name:`` fields (mkdocstrings reads those) and roles
such as ``:class:`EndpointSpec``` or ``:func:`load_config```, which Markdown would show as written.
This turns each role into a code span of its target (``~`` and a leading ``.`` dropped), so the API
reference reads as the docstrings mean. Used by ``mkdocs.yml`` only; the package does not import it.
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Extension, Object

_ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|data|mod|exc|obj|const):`~?\.*([^`]+)`")


def plain_roles(text: str) -> str:
    """``text`` with every Sphinx cross-reference role replaced by a code span of its target."""
    return _ROLE.sub(lambda match: f"`{match.group(1)}`", text)


class SphinxRoles(Extension):
    """Rewrite the roles of every docstring griffe loads."""

    def on_instance(self, *, obj: Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = plain_roles(obj.docstring.value)
