"""Configuration: the pydantic models that validate what users write, and the YAML loader.

Validation and its error messages live here and only here; constructs receive already valid specs.
Modules: ``resources`` (per-resource specs and ``MonitoringConfig``), ``errors`` (pydantic errors to
``ConfigurationErrors``), ``app_config`` (the deployable app's ``AppConfig``: stack, env, trail and
monitoring), ``loader`` (``load_config``: YAML file to ``AppConfig``), ``schema`` (JSON Schema export),
``reference`` (the README's configuration reference, generated from the models).
"""
