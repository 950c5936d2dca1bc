"""Benchmarks of Foedus against other ways of serving the same graph (`make bench`); never in the tests."""
