"""The query layer over the trail's metric rows, in one place.

    sql/            the named queries, written once against a ``metrics`` relation (package data)
    named.py        those queries, and their translation for Athena (``WITH metrics AS <flattening>``)
    local.py        DuckDB over the rows :mod:`cdk_sagemaker_monitoring.trail_reader` reads (``query``)
    glue_table.py   the Glue table layout of CloudTrail logs (SerDe, partition projection) and the Athena
                    workgroup, rendered by :class:`~cdk_sagemaker_monitoring.ExperimentMetricsQueries`

``named`` and ``local`` need no jsii; ``glue_table`` is CDK code and is imported only by the construct.
"""
