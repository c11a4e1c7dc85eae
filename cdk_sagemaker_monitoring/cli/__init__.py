"""The ``sagemaker-monitoring`` command: thin wrappers over the library (see :mod:`.main`)."""
