"""A relative configuration path means the user's directory (INIT_CWD from ./dev or npm), then the app's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cdk_sagemaker_monitoring import ConfigurationError
from cdk_sagemaker_monitoring.config.config_path import config_candidates, find_config

ROOT = Path(__file__).resolve().parents[2]


def test_the_users_directory_comes_first_then_the_apps(tmp_path: Path) -> None:
    user, app = tmp_path / "user", tmp_path / "app"
    (user / "conf").mkdir(parents=True)
    (app / "conf").mkdir(parents=True)
    assert config_candidates("conf/m.yaml", cwd=app, original=str(user)) == [user / "conf/m.yaml", app / "conf/m.yaml"]
    (app / "conf/m.yaml").write_text("{}")
    assert find_config("conf/m.yaml", cwd=app, original=str(user)) == app / "conf/m.yaml"  # cdk.json's default
    (user / "conf/m.yaml").write_text("{}")
    assert find_config("conf/m.yaml", cwd=app, original=str(user)) == user / "conf/m.yaml"  # the user's -c config=
    assert config_candidates("conf/m.yaml", cwd=app, original=str(app)) == [app / "conf/m.yaml"]  # each once
    assert config_candidates(user / "x.yaml", cwd=app, original=None) == [user / "x.yaml"]


def test_a_missing_file_names_every_absolute_path_tried(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        find_config("my.yaml", cwd=tmp_path / "app", original=str(tmp_path / "user"))
    text = str(caught.value)
    assert text.startswith("my.yaml: config: the configuration file does not exist: looked for "
                           f"{tmp_path / 'user' / 'my.yaml'} and {tmp_path / 'app' / 'my.yaml'}")
    assert "where you ran the command" in text


def run_app(config: str, init_cwd: Path, outdir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps({"config": config}), "CDK_OUTDIR": str(outdir),
           "INIT_CWD": str(init_cwd)}
    return subprocess.run([sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_the_app_reads_a_relative_path_from_where_the_user_ran_the_command(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("stack_name: Mine\ntrail: {enabled: false}\n", encoding="utf-8")
    done = run_app("mine.yaml", tmp_path, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "Mine.template.json").is_file()
    missing = run_app("nope.yaml", tmp_path, tmp_path / "out2")
    assert missing.returncode == 1
    assert missing.stderr.startswith(f"error: nope.yaml: config: the configuration file does not exist: looked for "
                                     f"{tmp_path / 'nope.yaml'} and {ROOT / 'nope.yaml'}")
