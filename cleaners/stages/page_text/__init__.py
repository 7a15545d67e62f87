"""``select_main_text``: the article region of a whole page given as text, by a small learned line model and a gate."""
