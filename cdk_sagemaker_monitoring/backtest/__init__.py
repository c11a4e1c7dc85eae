"""Replay a metric history against the alarms a configuration plans (``sagemaker-monitoring backtest``).

The evaluator reads the same :class:`~cdk_sagemaker_monitoring.plan.model.AlarmPlan` objects the
renderer writes into templates, so what is tried is what is deployed:

- :mod:`.series`: the history (a CSV of raw samples, or GetMetricData's period values)
- :mod:`.evaluate`: statistics per period, M of N, missing data, ``MAX()``, SLO burn rates
- :mod:`.suggest`: a threshold per alarm from the history (printed, never applied)
- :mod:`.plot`: each alarm's series, threshold and alarm spans (matplotlib, the ``plot`` extra)
"""

from .evaluate import AlarmReplay, Transition, replay, replay_all
from .series import History, SeriesError, from_cloudwatch, load_csv

__all__ = ["AlarmReplay", "History", "SeriesError", "Transition", "from_cloudwatch", "load_csv", "replay",
           "replay_all"]
