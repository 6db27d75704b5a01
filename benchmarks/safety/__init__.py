"""The safety benchmark: `python -m benchmarks.safety` (see __main__.py)."""
