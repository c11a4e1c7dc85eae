-- name: metric-points
-- description: Every metric data point the trail recorded, one row each (the rows of `sagemaker-monitoring metrics`).
SELECT event_time, account_id, region, trial_component, metric_name, step, "timestamp", value
FROM metrics
ORDER BY event_time, account_id, region, trial_component, metric_name,
         "timestamp" NULLS LAST, step NULLS LAST, value NULLS LAST
