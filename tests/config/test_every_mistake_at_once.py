"""One run names every independent mistake of a file, in line order, whichever check finds it.

Checks across fields (overrides against the catalog and custom metrics, environments, trail and queries)
only run once the fields they read are valid; the loader validates again without the refused values, so
a misspelt metric is not held back by a type error elsewhere, and leaving a value out is not reported as a
mistake of its own.
"""

from __future__ import annotations

import textwrap

import pytest

from cdk_sagemaker_monitoring.config.loader import ConfigFileError, parse_config


def mistakes(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(ConfigFileError) as caught:
        parse_config(textwrap.dedent(text).lstrip("\n"), source="m.yaml")
    return [(int(e.source.rsplit(":", 1)[1]), e.field, e.problem) for e in caught.value.errors]


def test_four_mistakes_of_four_stages_in_one_run() -> None:
    found = mistakes("""
        trail:
          enabled: false
        queries:
          enabled: true
        endpoints:
          - name: churn
            alarms:
              ModelLatncy: 500000
          - name: fraud
            varaints: [A]
        shards: many
    """)
    assert [(line, field) for line, field, _ in found] == [
        (4, "queries.enabled"),                  # a check across sections (AppConfig)
        (8, "endpoints[0].alarms.ModelLatncy"),  # an override against the catalog (MonitoringConfig)
        (10, "endpoints[1].varaints"),           # an unknown key (the walk of the data)
        (11, "shards"),                          # a type (pydantic)
    ]
    assert "trail.enabled is false" in found[0][2]
    assert "'ModelLatncy' is not a metric of endpoints" in found[1][2]


def test_every_override_and_custom_metric_mistake_is_named() -> None:
    found = mistakes("""
        custom_metrics:
          - kind: endpoint
            namespace: MyCompany/Inference
            metric: TokensPerSecond
            dimensions: {EndpointName: "{name}"}
            unit: Bananas
        endpoints:
          - name: churn
            alarms:
              ModelLatncy: 500000
              Invocation5XXErrors: {statistic: Median}
              TokensPerSecond: 5
          - churn
    """)
    assert [(line, field) for line, field, _ in found] == [
        (6, "custom_metrics[0].unit"),
        (10, "endpoints[0].alarms.ModelLatncy"),
        (11, "endpoints[0].alarms.Invocation5XXErrors.statistic"),
        # TokensPerSecond is not "unknown": its custom_metrics entry is the mistake, reported above
        (13, "endpoints[1].name"),
    ]
    assert "listed twice" in found[-1][2]


def test_environments_are_checked_beside_the_mistakes_inside_them() -> None:
    found = mistakes("""
        monitoring_account: {account: "111111111111", region: eu-wst-1}
        environments:
          - name: prod
            account: "222222222222"
            region: us-east-1
            endpoints:
              - name: churn
                alarms: {ModelLatncy: 5}
          - name: Prod
            account: "333333333333"
            region: eu-west-1
        alarm_emails: [ops@example.com]
    """)
    assert [(line, field) for line, field, _ in found] == [
        (1, "monitoring_account.region"),
        (8, "environments[0].endpoints[0].alarms.ModelLatncy"),
        (9, "environments[1].name"),
        (12, "alarm_emails"),
    ]
    assert "listed twice" in found[2][2] and "each environment has its own" in found[3][2]


def test_a_value_left_out_is_not_a_mistake_of_its_own() -> None:
    # The central stack's account is wrong: the organization trail still has its monitoring_account.
    found = mistakes("""
        trail: {organization: true, organization_id: o-abcdefghij}
        monitoring_account: {account: "12", region: us-east-1}
        environments:
          - {name: prod, account: "222222222222", region: us-east-1}
    """)
    assert [field for _, field, _ in found] == ["monitoring_account.account"]
    # Refusing the only event name does not also report an empty list.
    assert [field for _, field, _ in mistakes("trail: {event_names: [batchPutMetrics]}")] == ["trail.event_names[0]"]
