"""boto3 clients for the emulator."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import botocore.session

from .emulator_process import REGION, Emulator


@dataclass
class Aws:
    """boto3 clients for the emulator (CloudWatch through the query-only model)."""

    emulator: Emulator
    data_path: Path
    _clients: dict[str, Any] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        """A client of ``service`` at the emulator (one per service, reused)."""
        if service not in self._clients:
            self._clients[service] = self._new_client(service)
        return self._clients[service]

    def _new_client(self, service: str) -> Any:
        core = botocore.session.Session()
        core.set_config_variable("data_path", str(self.data_path))
        session = boto3.session.Session(
            botocore_session=core, aws_access_key_id="test", aws_secret_access_key="test", region_name=REGION
        )
        return session.client(service, endpoint_url=self.emulator.endpoint)

    def env(self) -> dict[str, str]:
        """Environment for a process (the ``sagemaker-monitoring`` command) that talks to the emulator."""
        return {**self.emulator.client_env(), "AWS_DATA_PATH": str(self.data_path)}

