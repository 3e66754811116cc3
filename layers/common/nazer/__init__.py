"""Nazer: the shared package of the National Inspectors Plan backend (shipped as a Lambda layer)."""
