"""Benchmarks that anyone can rerun; each prints its figures (see the README for the latest)."""
