"""``dedup_exact`` and ``dedup_near``: duplicates across the whole run, first occurrence wins."""
