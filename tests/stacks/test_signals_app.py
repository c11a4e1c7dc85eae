"""The signals example through the YAML app (a bare ``cdk.App``): what the issue checks from outside, in the
template; cfn-lint clean; a snapshot of its alarms and dashboards."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from support.synth import TEST_ENV, cfn_lint, new_app, template_of

from cdk_sagemaker_monitoring import MonitoringStack, load_config

ROOT = Path(__file__).resolve().parents[2]
SIGNALS = ROOT / "examples" / "signals.yaml"

Template = dict[str, Any]


@pytest.fixture(scope="module")
def template() -> Template:
    return template_of(MonitoringStack(new_app(), config=load_config(SIGNALS), env=TEST_ENV))


def alarms(template: Template) -> dict[str, dict[str, Any]]:
    return {r["Properties"]["AlarmName"]: r["Properties"] for r in template["Resources"].values()
            if r["Type"] == "AWS::CloudWatch::Alarm"}


def bodies(template: Template) -> str:
    """Every dashboard body, as the text CloudFormation substitutes."""
    out = []
    for r in template["Resources"].values():
        if r["Type"] == "AWS::CloudWatch::Dashboard":
            body = r["Properties"]["DashboardBody"]
            out.append(body["Fn::Sub"] if isinstance(body, dict) else body)
    return "\n".join(out)


def test_algorithm_metrics_by_training_job_name(template: Template) -> None:
    text = bodies(template)
    assert '"/aws/sagemaker/TrainingJobs","train:loss","TrainingJobName","churn-xgb-2026-12-01"' in text
    auc = alarms(template)["SageMaker/TrainingJob/churn-xgb-2026-12-01/validation:auc/Warning"]
    assert auc["Dimensions"] == [{"Name": "TrainingJobName", "Value": "churn-xgb-2026-12-01"}]
    assert "SageMaker/TrainingJob/churn-xgb-2026-12-01/validation:auc/Silent/Warning" in alarms(template)


def test_endpoint_widgets_by_instance_id_and_accelerator_id(template: Template) -> None:
    text = bodies(template)
    assert "WHERE EndpointName = 'llm' GROUP BY InstanceId ORDER BY MAX() DESC LIMIT 10" in text
    assert "WHERE EndpointName = 'llm' GROUP BY InstanceId, AcceleratorId ORDER BY MAX() DESC LIMIT 10" in text
    worst = alarms(template)["SageMaker/Endpoint/_fleet/MemoryUtilization/WorstInstance/Warning"]
    assert "GROUP BY EndpointName, InstanceId" in worst["Metrics"][0]["Expression"]


def test_an_alarm_on_no_capacity_invocation_failures(template: Template) -> None:
    a = alarms(template)["SageMaker/InferenceComponent/llm-chat/NoCapacityInvocationFailures/Warning"]
    assert (a["Namespace"], a["MetricName"]) == ("AWS/SageMaker", "NoCapacityInvocationFailures")


def test_container_latency_by_container_name(template: Template) -> None:
    text = bodies(template)
    for container in ("tabular", "text"):
        assert f'"ContainerLatency","EndpointName","ensemble","VariantName","AllTraffic","ContainerName","{container}"' \
            in text
    assert "SageMaker/Endpoint/ensemble/ContainerLatency/Warning" in alarms(template)


def test_hyperpod_node_health_widget_and_alarm_by_cluster(template: Template) -> None:
    text = bodies(template)
    assert '"ContainerInsights","hyperpod_node_health_status_unschedulable","ClusterName","foundation-pretrain"' in text
    names = alarms(template)
    assert ("SageMaker/HyperPodCluster/foundation-pretrain/hyperpod_node_health_status_unschedulable_pending_replacement/"
            "Critical") in names


def test_a_data_quality_drift_widget_for_the_schedule(template: Template) -> None:
    text = bodies(template)
    assert '"title":"Feature drift (baseline distance per feature)"' in text
    assert "SEARCH('feature baseline drift (MonitoringSchedule OR ScheduleName) llm data quality', 'Sum', 3600)" in text


def test_cfn_lint_clean(template: Template) -> None:
    assert cfn_lint(template) == []


def test_snapshot(template: Template, snapshot) -> None:
    monitoring = {k: v for k, v in template["Resources"].items()
                  if v["Type"] in ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::Dashboard")}
    assert json.loads(json.dumps(monitoring, sort_keys=True)) == snapshot


def test_the_new_lists_in_environments_and_the_central_overview() -> None:
    from cdk_sagemaker_monitoring.stacks.app_stacks import build_stacks

    app = new_app()
    build_stacks(app, {
        "stack_name": "Org", "monitoring_account": {"account": "111111111111", "region": "us-east-1"},
        "environments": [
            {"name": "prod", "account": "222222222222", "region": "us-east-1",
             "endpoints": [{"name": "llm", "enhanced_metrics": True, "gpu": 2}], "hyperpod_clusters": ["pretrain"]},
            {"name": "research", "account": "333333333333", "region": "us-east-1",
             "training_jobs": [{"name": "job", "metrics": [{"name": "train:loss", "silent_minutes": 20}]}],
             "monitoring_schedules": [{"name": "dq", "endpoint": "llm"}]},
        ],
    })
    stacks = {s.stack_name: s.template for s in app.synth().stacks}
    text = json.dumps(stacks)
    assert "SageMaker/HyperPodCluster/pretrain/" in text and "SageMaker/TrainingJob/job/train:loss/Silent/" in text
    assert "GROUP BY InstanceId, AcceleratorId" in text and "feature baseline drift" in text
    assert all(cfn_lint(t) == [] for t in stacks.values())
