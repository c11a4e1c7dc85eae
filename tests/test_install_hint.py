"""Install commands in error messages name what this package was installed from (it is on no index)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import pytest

from cdk_sagemaker_monitoring import install_hint
from cdk_sagemaker_monitoring.install_hint import WHEEL_NAME, install_command, missing_extra_message


class FakeDistribution:
    def __init__(self, direct_url: Optional[dict[str, Any]]) -> None:
        self.direct_url = direct_url

    def read_text(self, name: str) -> Optional[str]:
        return json.dumps(self.direct_url) if name == "direct_url.json" and self.direct_url is not None else None


def installed_from(monkeypatch: pytest.MonkeyPatch, direct_url: Optional[dict[str, Any]]) -> None:
    monkeypatch.setattr(install_hint.metadata, "distribution", lambda name: FakeDistribution(direct_url))


def test_a_clone_installed_editable_or_not_is_named_by_its_path(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clone = tmp_path / "my clone"
    installed_from(monkeypatch, {"url": clone.as_uri(), "dir_info": {"editable": True}})
    assert install_command("plot") == f"pip install -e '{clone}[plot]'"
    installed_from(monkeypatch, {"url": clone.as_uri(), "dir_info": {}})
    assert install_command("query") == f"pip install '{clone}[query]'"


def test_a_wheel_is_named_by_its_path_or_its_file_name_once_moved(monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    wheel = tmp_path / WHEEL_NAME
    installed_from(monkeypatch, {"url": wheel.as_uri(), "archive_info": {}})
    assert install_command("plot") == f"pip install '{WHEEL_NAME}[plot]'"  # moved or deleted: its name only
    wheel.write_bytes(b"")
    assert install_command("plot") == f"pip install '{wheel}[plot]'"


def test_an_index_install_and_a_checkout_on_the_path(monkeypatch: pytest.MonkeyPatch) -> None:
    installed_from(monkeypatch, None)
    assert install_command("plot") == "pip install 'cdk-sagemaker-monitoring[plot]'"

    def missing(name: str) -> Any:
        raise install_hint.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(install_hint.metadata, "distribution", missing)
    checkout = Path(install_hint.__file__).resolve().parent.parent
    assert install_command("plot") == f"pip install '{checkout}[plot]'"


def test_the_message_names_the_extras_packages_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(install_hint.metadata, "requires", lambda name: [
        'duckdb>=1.0; extra == "query"', 'pyarrow>=14; extra == "query"', 'matplotlib>=3.7; extra == "plot"'])
    message = missing_extra_message("this", "DuckDB", "query")
    assert message.startswith(f"this needs DuckDB, which is not installed: {install_command('query')}")
    assert message.endswith("(or only its packages: pip install 'duckdb>=1.0' 'pyarrow>=14')")
