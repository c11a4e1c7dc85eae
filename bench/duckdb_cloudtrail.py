"""The baseline both trail benchmarks compare against: DuckDB's own JSON reader over CloudTrail files.

``POINTS`` is the shared part of the SQL: the ``events`` and ``points`` CTEs (one row per metric data
point of every BatchPutMetrics event) over the gzip JSON files matched by ``{glob}``; each benchmark
adds its own projection or question after it.
"""

POINTS = """
  events AS (
    SELECT unnest(Records) AS e
    FROM read_json('{glob}', format = 'unstructured', compression = 'gzip', maximum_object_size = 1073741824,
      columns = {{Records: 'STRUCT(eventTime VARCHAR, eventName VARCHAR, awsRegion VARCHAR,
        requestParameters STRUCT(trialComponentName VARCHAR,
          metricData STRUCT(metricName VARCHAR, "timestamp" BIGINT, step BIGINT, "value" DOUBLE)[]),
        resources STRUCT(accountId VARCHAR)[])[]'}})
  ),
  points AS (
    SELECT e.eventTime AS event_time, e.resources[1].accountId AS account_id, e.awsRegion AS region,
           e.requestParameters.trialComponentName AS trial_component,
           unnest(e.requestParameters.metricData) AS p
    FROM events WHERE e.eventName = 'BatchPutMetrics'
  )"""
