"""``quality_filter``: C4, Gopher and FineWeb document rules, each switchable and re-thresholdable."""
