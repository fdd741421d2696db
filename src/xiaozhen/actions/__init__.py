"""Asking and changing, over the model: the procedure's moves as pure functions (`lifecycle`), facets,
filters and tallies (`query`), and what changed between two registries (`changes`)."""
