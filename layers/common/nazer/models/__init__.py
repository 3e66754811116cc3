"""Pydantic models at the HTTP boundary: requests, responses (camelCase on the wire)."""
