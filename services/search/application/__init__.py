"""Search use cases: what the index is built from, rebuilding it, keeping the clinic tools' documents."""
