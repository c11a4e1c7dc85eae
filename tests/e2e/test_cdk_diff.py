"""The ``cdk diff`` reader on output in the CLI's format (no emulator needed)."""

from __future__ import annotations

from .cdk_diff import resource_changes

# Shaped like aws-cdk 2.1148.1's `cdk diff` output (resource lines, property trees, other sections).
OUTPUT = """\
Stack SageMakerMonitoringE2E (aws://000000000000/us-east-1)
IAM Statement Changes
┌───┬──────────────┬────────┐
│ + │ ${Bucket.Arn} │ Allow  │
└───┴──────────────┴────────┘

Resources
[+] AWS::CloudWatch::Alarm Monitoring/AlarmEndpointE2eaddedModelLatency MonitoringAlarmEndpointE2eaddedModelLatencyA1B2C3D4
[-] AWS::CloudWatch::Alarm Monitoring/AlarmEndpointE2egoneModelLatency MonitoringAlarmEndpointE2egoneModelLatency0A1B2C3D destroy
[~] AWS::CloudWatch::Dashboard Monitoring/ResourcesDashboard1 MonitoringResourcesDashboard1D96A110A
 └─ [~] DashboardBody
     └─ [-] {"widgets":[]}
[~] AWS::CloudTrail::Trail ExperimentMetricsTrail/Trail ExperimentMetricsTrailA5E3BA36 replace
 ├─ [~] TrailName (requires replacement)
 │   ├─ [-] trail-one
 │   └─ [+] trail-two
[~] AWS::S3::Bucket ExperimentMetricsTrail/Bucket ExperimentMetricsTrailBucketCC6BBAAA may be replaced
[~] AWS::Logs::LogGroup ExperimentMetricsTrail/LogGroup ExperimentMetricsTrailLogGroup41C6BD16 orphan

Outputs
[+] Output Monitoring/GuardrailsEndpointE2eadded MonitoringGuardrailsEndpointE2eadded6E62213E: {"Value":"a"}

✨  Number of stacks with differences: 1
"""


def test_reads_every_resource_line_with_its_operation_and_impact() -> None:
    changes = resource_changes(OUTPUT)
    assert {lid: (c.op, c.resource_type, c.impact) for lid, c in changes.items()} == {
        "MonitoringAlarmEndpointE2eaddedModelLatencyA1B2C3D4": ("+", "AWS::CloudWatch::Alarm", None),
        "MonitoringAlarmEndpointE2egoneModelLatency0A1B2C3D": ("-", "AWS::CloudWatch::Alarm", "destroy"),
        "MonitoringResourcesDashboard1D96A110A": ("~", "AWS::CloudWatch::Dashboard", None),
        "ExperimentMetricsTrailA5E3BA36": ("~", "AWS::CloudTrail::Trail", "replace"),
        "ExperimentMetricsTrailBucketCC6BBAAA": ("~", "AWS::S3::Bucket", "may be replaced"),
        "ExperimentMetricsTrailLogGroup41C6BD16": ("~", "AWS::Logs::LogGroup", "orphan"),
    }
    assert changes["ExperimentMetricsTrailA5E3BA36"].path == "ExperimentMetricsTrail/Trail"


def test_replacement_means_replace_or_may_be_replaced() -> None:
    replaced = {lid for lid, c in resource_changes(OUTPUT).items() if c.replaced}
    assert replaced == {"ExperimentMetricsTrailA5E3BA36", "ExperimentMetricsTrailBucketCC6BBAAA"}


def test_no_differences_means_no_changes() -> None:
    assert resource_changes("Stack S\nThere were no differences\n\n✨  Number of stacks with differences: 0\n") == {}
