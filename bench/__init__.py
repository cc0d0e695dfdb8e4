"""Benchmarks that print figures (`make bench`); never assertions."""
