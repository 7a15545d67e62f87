"""``segment_sentences``: paragraph-aware rule-based sentence segmentation."""
