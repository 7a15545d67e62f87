"""``remove_artifacts``: debris lines by rule packs, position cues and an index that picks candidate rules."""
