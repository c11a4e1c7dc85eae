"""Configuration: the pydantic models that validate what users write, and the YAML loader.

Validation and its error messages live here and only here; constructs receive already valid specs.
Modules: ``resources`` (per-resource specs and ``MonitoringConfig``), ``app_config`` (the deployable
app's ``AppConfig``: stack, env, trail, queries and monitoring), ``custom_errors`` (how the models' own
checks refuse a value), ``validation_errors`` (the one conversion of pydantic errors into
``ConfigurationError``s located in the data, with ``unknown_keys`` for "did you mean"), ``errors``
(``validate``: in-memory values, e.g. a construct's arguments), ``loader`` (``load_config``: a YAML
file, with lines), ``schema`` (JSON Schema export), ``reference`` (the docs' configuration
reference, generated from the models; ``model_docs`` reads descriptions and shorthands for both).
"""
