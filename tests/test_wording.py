"""Counts agree with their nouns in every message people read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cdk_sagemaker_monitoring.cost.prices import ITEMS
from cdk_sagemaker_monitoring.wording import counted


@pytest.mark.parametrize("plural, one", [
    ("composite alarms", "1 composite alarm"),
    ("metrics analyzed by Metrics Insights alarms", "1 metric analyzed by Metrics Insights alarms"),
    ("GB of trail logs", "1 GB of trail logs"),
    ("training jobs", "1 training job"),
    ("more runs", "1 more run"),
])
def test_one_is_singular_and_more_are_plural(plural: str, one: str) -> None:
    assert counted(1, plural) == one
    assert counted(Decimal(1), plural) == one
    assert counted(2, plural) == f"2 {plural}"
    assert counted(1_000, plural) == f"1,000 {plural}"


def test_every_priced_item_reads_right_for_one() -> None:
    for item in ITEMS:
        text = counted(1, item.label)
        assert not any(f"1 {word}" in text for word in ("alarms", "metrics", "dashboards", "events")), text
