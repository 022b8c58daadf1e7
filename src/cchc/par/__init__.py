"""The CCHC index (PAR INDEX) engine: framework, scores, results, ranks, bands, narrative."""
