"""CentralStack: the monitoring account's part of a configuration with ``environments`` and ``monitoring_account``.

``<stack_name>-Central`` (the monitoring account's region) holds the observability sink of that region, the
role source accounts use to find sinks, the overview dashboards of every environment and, with
``trail.organization``, the organization trail and its queries. Environments in other regions link to a
sink of their own region, in a stack ``<stack_name>-Central-<region>`` of the same account.
"""

from __future__ import annotations

from typing import Sequence

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cloudwatch
from constructs import Construct

from ..config.app_config import AppConfig
from ..constructs.experiment_metrics_queries import ExperimentMetricsQueries
from ..constructs.experiment_metrics_trail import ExperimentMetricsTrail
from ..constructs.observability import MetricsSink, lookup_role, sink_lookup_role_name
from ..plan.app_layout import CENTRAL_SUFFIX, central_stack_name
from ..plan.central import EnvironmentPlan, central_dashboards
from ..render import render_dashboard
from .monitoring_stack import make_queries, make_trail

__all__ = ["CENTRAL_SUFFIX", "CentralStack", "central_stack_name", "sink_name"]

def sink_name(stack_name: str) -> str:
    """The sink's name (letters, digits, '_', '.', '-'; at most 255 characters)."""
    return f"{stack_name}-Sink"


class CentralStack(cdk.Stack):
    """A stack of the monitoring account: a sink for ``sources`` (accounts linking in ``region``) and, in the
    main region, the lookup role, the overview dashboards and the organization trail.

    :param config: the whole configuration (``monitoring_account`` set).
    :param region: the region of this stack (``monitoring_account.region`` for the main one).
    :param sources: accounts that link to this region's sink (not the monitoring account itself).
    :param environments: the environments' plans, for the overview (main stack only).
    :param all_sources: every account that links anywhere (trusted by the lookup role; main stack only).
    """

    def __init__(self, scope: Construct, *, config: AppConfig, region: str, sources: Sequence[str],
                 environments: Sequence[EnvironmentPlan] = (), all_sources: Sequence[str] = ()) -> None:
        monitoring = config.monitoring_account
        assert monitoring is not None
        main = region == monitoring.region
        name = central_stack_name(config.stack_name, None if main else region)
        super().__init__(scope, name, stack_name=name, env=cdk.Environment(account=monitoring.account, region=region),
                         description="Amazon SageMaker monitoring, central account: CloudWatch cross-account "
                                     "observability sink" + (", overview dashboards of every environment" if main
                                                             else f" for {region}") + " (cdk-sagemaker-monitoring)")
        self.config = config
        self.sink: MetricsSink | None = (
            MetricsSink(self, "ObservabilitySink", name=sink_name(config.stack_name), accounts=sources)
            if sources else None
        )
        self.dashboards: list[cloudwatch.CfnDashboard] = []
        self.trail: ExperimentMetricsTrail | None = None
        self.queries: ExperimentMetricsQueries | None = None
        if not main:
            return
        if all_sources:
            lookup_role(self, "SinkLookupRole", role_name=sink_lookup_role_name(config.stack_name),
                        accounts=all_sources)
        plans = central_dashboards(environments, central_stack_name(config.stack_name))
        self.dashboards = [render_dashboard(self, page) for page in plans]
        if config.central_trail:
            self.trail = make_trail(self, config.trail)
            if config.queries_enabled:
                self.queries = make_queries(self, config.queries, self.trail, accounts=config.accounts())
