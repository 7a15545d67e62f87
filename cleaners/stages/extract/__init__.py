"""``extract_html``: trafilatura main text, then a learned block scorer that drops debris blocks."""
