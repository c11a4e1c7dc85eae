"""Shared test helpers: synthesize in-process with the app's feature flags, lint, nag."""
