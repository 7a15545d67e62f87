"""``remove_repeated_lines``: a site's template lines, templates and sign-offs, found by counting over the run."""
