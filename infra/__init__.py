"""Tooling around template.yaml: the local stack, template checks, seeding and deploy helpers."""
