"""A botocore data directory in which CloudWatch speaks only the ``query`` protocol.

Current botocore sends CloudWatch requests in ``smithy-rpc-v2-cbor`` (its model lists
``smithy-rpc-v2-cbor``, ``json`` and ``query``, in that order of preference); LocalStack 4.4.0's
CloudWatch understands only ``query`` and answers the others with HTTP 500. botocore looks for
service models in the directories of ``AWS_DATA_PATH`` before its own, so a copy of the installed
CloudWatch model whose metadata lists only ``query`` makes every boto3 client in a process with
that variable (the tests' clients, the ``sagemaker-monitoring verify`` run) talk query to the
emulator. The copy is written at test time from the installed botocore, so it always matches it;
no model is committed.
"""

from __future__ import annotations

import json
from pathlib import Path

import botocore.loaders
import botocore.session


def write_query_only_cloudwatch_model(data_dir: Path) -> Path:
    """Write ``cloudwatch/<api-version>/service-2.json`` (query protocol only) under ``data_dir``.

    Returns ``data_dir``, the value for ``AWS_DATA_PATH``.
    """
    loader = botocore.loaders.Loader()  # botocore's own data only: ignores any AWS_DATA_PATH
    api_version = loader.determine_latest_version("cloudwatch", "service-2")
    model = loader.load_service_model("cloudwatch", "service-2", api_version)
    metadata = model["metadata"]
    if "query" not in metadata.get("protocols", [metadata.get("protocol")]):
        raise RuntimeError(f"botocore's CloudWatch model no longer offers the query protocol: {metadata}")
    metadata["protocol"] = "query"
    metadata["protocols"] = ["query"]
    target = data_dir / "cloudwatch" / api_version / "service-2.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(model))
    return data_dir


def cloudwatch_protocol(data_path: Path) -> str:
    """The protocol a CloudWatch client uses with ``data_path`` first on botocore's search path."""
    session = botocore.session.get_session()
    loader = botocore.loaders.Loader(extra_search_paths=[str(data_path)])
    session.register_component("data_loader", loader)
    return session.get_service_model("cloudwatch").protocol
