"""``python -m cdk_sagemaker_monitoring``: the ``sagemaker-monitoring`` command."""

from .cli.main import main

raise SystemExit(main())
