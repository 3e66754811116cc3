"""Use cases: plain functions taking values and repositories, time injected."""
