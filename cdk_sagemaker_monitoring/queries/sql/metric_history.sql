-- name: metric-history
-- description: Each run's metric history in order (time, then step), numbered, with the running minimum and maximum and the change from the previous point.
SELECT
    account_id, region, trial_component, metric_name, step, "timestamp", value,
    row_number() OVER (
        PARTITION BY account_id, region, trial_component, metric_name
        ORDER BY "timestamp" NULLS LAST, step NULLS LAST, event_time NULLS LAST, value NULLS LAST
    ) AS point,
    min(value) OVER (
        PARTITION BY account_id, region, trial_component, metric_name
        ORDER BY "timestamp" NULLS LAST, step NULLS LAST, event_time NULLS LAST, value NULLS LAST
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS running_min,
    max(value) OVER (
        PARTITION BY account_id, region, trial_component, metric_name
        ORDER BY "timestamp" NULLS LAST, step NULLS LAST, event_time NULLS LAST, value NULLS LAST
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
    ) AS running_max,
    value - lag(value) OVER (
        PARTITION BY account_id, region, trial_component, metric_name
        ORDER BY "timestamp" NULLS LAST, step NULLS LAST, event_time NULLS LAST, value NULLS LAST
    ) AS change
FROM metrics
ORDER BY account_id, region, trial_component, metric_name, point
