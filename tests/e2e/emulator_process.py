"""Start and stop the LocalStack emulator (host mode, no Docker) for the end-to-end tests.

The emulator runs from its own virtual environment (``.venv-localstack``, made by
``tests/e2e/setup_localstack.sh``) through ``tests/e2e/emulator/run_localstack.py``, which applies
the ``DeletionPolicy: Retain`` fix before handing over to LocalStack's runtime.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EMULATOR_VENV = Path(os.environ.get("LOCALSTACK_VENV", REPO / ".venv-localstack"))
PATCH_DIR = Path(__file__).resolve().parent / "emulator"

ACCOUNT = "000000000000"
REGION = "us-east-1"

# What the bundled app and `cdk bootstrap` touch: CloudFormation and the services its resources
# live in (ssm, iam, s3, kms for the bootstrap stack; cloudwatch, sns, sqs, logs for ours). The
# bootstrap stack's ECR repository is not among them: ECR is not in LocalStack's free edition, and
# its CloudFormation accepts the repository without creating it (nothing here pushes images).
# events: the metrics stream's EventBridge rule.
SERVICES = ("cloudformation", "cloudwatch", "s3", "sns", "sqs", "kms", "logs", "iam", "sts", "ssm", "lambda",
            "events")


class EmulatorError(RuntimeError):
    """The emulator could not be installed, started or reached."""


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Emulator:
    """A running LocalStack process: its endpoint, the environment clients need, how to stop it."""

    endpoint: str
    process: subprocess.Popen[bytes]
    log_path: Path
    started_in_s: float
    services: dict[str, str] = field(default_factory=dict)

    def client_env(self) -> dict[str, str]:
        """Environment variables that point AWS SDKs and the CDK CLI at this emulator."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "CDK_DEFAULT_ACCOUNT": ACCOUNT,
            "CDK_DEFAULT_REGION": REGION,
        }

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the emulator's output, for failure messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no emulator log)"

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the emulator's own process group (it was started in a new session)."""
        if self.process.poll() is not None:
            return
        pgid = self.process.pid  # start_new_session=True: the group id is the process id
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.process.wait(timeout=timeout)


def _health(endpoint: str) -> dict[str, str] | None:
    try:
        with urllib.request.urlopen(f"{endpoint}/_localstack/health", timeout=2) as response:
            return json.loads(response.read()).get("services", {})
    except (urllib.error.URLError, OSError, ValueError):
        return None


def start_emulator(work_dir: Path, timeout: float = 90.0) -> Emulator:
    """Start LocalStack on a free loopback port with its files under ``work_dir``; wait until healthy.

    Raises :class:`EmulatorError` (with the emulator's output) if it is not installed, exits, or does
    not report every service in :data:`SERVICES` as available within ``timeout`` seconds.
    """
    python = EMULATOR_VENV / "bin" / "python"
    if not python.exists():
        raise EmulatorError(
            f"the LocalStack emulator is not installed ({python} missing); "
            "run tests/e2e/setup_localstack.sh (./dev test does it)"
        )
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    work_dir.mkdir(parents=True, exist_ok=True)
    log_path = work_dir / "localstack.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AWS_", "LOCALSTACK_", "PYTHON", "VIRTUAL_ENV"))
    }
    env.update(
        {
            "GATEWAY_LISTEN": f"127.0.0.1:{port}",
            "SERVICES": ",".join(SERVICES),
            # This machine looks like a container (/.dockerenv), which would make LocalStack use
            # /var/lib/localstack; host mode keeps every file under FILESYSTEM_ROOT.
            "OVERRIDE_IN_DOCKER": "0",
            "FILESYSTEM_ROOT": str(work_dir / "filesystem"),
            "DNS_ADDRESS": "0",  # no DNS server (needs root, and port 53 is not ours)
            "SKIP_SSL_CERT_DOWNLOAD": "1",
            "DISABLE_EVENTS": "1",  # no analytics calls
            "PYTHONPATH": str(PATCH_DIR),  # run_localstack: the Retain fix, for this process only
            "PATH": f"{python.parent}{os.pathsep}{os.environ.get('PATH', '')}",
        }
    )
    started = time.monotonic()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [str(python), "-m", "run_localstack"],
            env=env,
            cwd=work_dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    emulator = Emulator(endpoint=endpoint, process=process, log_path=log_path, started_in_s=0.0)
    deadline = started + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmulatorError(
                f"LocalStack exited with code {process.returncode} before it was ready:\n{emulator.log_tail()}"
            )
        services = _health(endpoint)
        if services and all(services.get(name) in ("available", "running") for name in SERVICES):
            emulator.services = services
            emulator.started_in_s = time.monotonic() - started
            return emulator
        time.sleep(0.25)
    emulator.stop()
    raise EmulatorError(f"LocalStack did not become healthy within {timeout:.0f} s:\n{emulator.log_tail()}")
