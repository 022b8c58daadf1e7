"""The demo data set (illustrative, drawn from the seed) and fixture builders for tests."""
