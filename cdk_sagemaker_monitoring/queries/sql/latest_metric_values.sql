-- name: latest-metric-values
-- description: The latest value of each metric of each run (trial component), with how many points it logged and their range.
SELECT account_id, region, trial_component, metric_name, step, "timestamp", value, points, min_value, max_value
FROM (
    SELECT
        account_id, region, trial_component, metric_name, step, "timestamp", value,
        count(*) OVER (PARTITION BY account_id, region, trial_component, metric_name) AS points,
        min(value) OVER (PARTITION BY account_id, region, trial_component, metric_name) AS min_value,
        max(value) OVER (PARTITION BY account_id, region, trial_component, metric_name) AS max_value,
        row_number() OVER (
            PARTITION BY account_id, region, trial_component, metric_name
            ORDER BY "timestamp" DESC NULLS LAST, step DESC NULLS LAST, event_time DESC NULLS LAST, value DESC NULLS LAST
        ) AS recency
    FROM metrics
) AS ranked
WHERE recency = 1
ORDER BY account_id, region, trial_component, metric_name
