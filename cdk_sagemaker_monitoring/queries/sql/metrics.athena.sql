-- The `metrics` relation on Amazon Athena (engine version 3), defined over the trail's CloudTrail
-- table: one row per data point of every SageMaker Experiments BatchPutMetrics event, read the way
-- `sagemaker-monitoring metrics` reads the log files. Columns and types are those of the `metrics`
-- table that `sagemaker-monitoring query` builds locally with DuckDB, so the named queries (and
-- your own) run unchanged on both engines.
-- Placeholders, replaced by cdk_sagemaker_monitoring.metric_queries: {{table}}, {{partition_filter}}.
SELECT
    CAST(TRY(from_iso8601_timestamp(e.eventtime)) AT TIME ZONE 'UTC' AS TIMESTAMP(3)) AS event_time,
    e.account_id,
    e.region,
    e.trial_component,
    COALESCE(json_extract_scalar(e.point, '$.metricName'), '') AS metric_name,
    CAST(TRY_CAST(json_extract_scalar(e.point, '$.step') AS DOUBLE) AS BIGINT) AS step,
    CASE
        -- epoch milliseconds (CloudTrail's shape); numbers below 10^11 are epoch seconds
        WHEN e.stamp_number IS NOT NULL THEN date_add(
            'millisecond',
            CAST(round(IF(abs(e.stamp_number) >= 1e11, e.stamp_number, e.stamp_number * 1000)) AS BIGINT),
            TIMESTAMP '1970-01-01 00:00:00.000')
        -- an ISO-8601 string, as other tools write it
        ELSE CAST(TRY(from_iso8601_timestamp(e.stamp_text)) AT TIME ZONE 'UTC' AS TIMESTAMP(3))
    END AS "timestamp",
    TRY_CAST(json_extract_scalar(e.point, '$.value') AS DOUBLE) AS value
FROM (
    SELECT
        t.eventtime,
        COALESCE(t.awsregion, '') AS region,
        COALESCE(
            NULLIF(element_at(t.resources, 1).accountid, ''),
            NULLIF(t.recipientaccountid, ''),
            NULLIF(t.useridentity.accountid, ''),
            '') AS account_id,
        COALESCE(
            NULLIF(json_extract_scalar(t.requestparameters, '$.trialComponentName'), ''),
            element_at(
                transform(
                    filter(t.resources, r -> strpos(r.arn, ':experiment-trial-component/') > 0),
                    r -> substr(r.arn, strpos(r.arn, ':experiment-trial-component/') + 28)),
                1),
            '') AS trial_component,
        p.point,
        json_extract_scalar(p.point, '$.timestamp') AS stamp_text,
        TRY_CAST(json_extract_scalar(p.point, '$.timestamp') AS DOUBLE) AS stamp_number
    FROM "{{table}}" AS t
    CROSS JOIN UNNEST(TRY(CAST(json_extract(t.requestparameters, '$.metricData') AS ARRAY(JSON)))) AS p (point)
    WHERE t.eventname = 'BatchPutMetrics'
      AND TRY(CAST(p.point AS MAP(VARCHAR, JSON))) IS NOT NULL{{partition_filter}}
) AS e
