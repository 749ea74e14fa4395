"""Search domain: requests parsed into the search port's queries, and the evaluation measures (plain Python)."""
