"""When may ``select_main_text`` act on a text in ``mode: auto``? Only when the text is unmistakably a whole page.

In a chain for extracted article text the stage sees mostly articles, and an article cut by
mistake is the worst thing this project can do, so the gate is built to stay shut on any
article, however page-like, and to open only on the one shape no article has: **menus**, i.e.
runs of consecutive navigation lines, both above AND below the region the model picked.

A navigation line is very short (``gate_nav_words`` units or fewer), holds no digit and does not
end like a sentence: "Home", "World", "Sign in", "Privacy Policy", "Terms of Use". A run is
``gate_nav_run`` or more of them in a row. Those three conditions are what separates a menu from
the short lines articles are made of:

* market reports, price lists, schedules, sports results and tables alternate labels with
  numbers, so their short lines come with digits and no run of label-only lines forms;
* recipes list quantities ("2 lemons", "500 g potatoes");
* Q&A pages end their short lines with a question mark;
* a key-points box or a list of teasers has lines of four words and more.

An extractor's output can carry a share row or a reading list at one end, but not a menu at
both. Measured (``benchmarks/eval_textmode.py --config configs/news-text.yaml``): the gate opens
on 69 of the 91 dev pages and on none of 44 newslines articles, 91 news_dev texts, 326
horne2017 texts, 91 trafilatura outputs and the short-line articles of the unit tests; the
shape-only gate before it opened on 6 of 7 of those articles and kept ~3 lines of each.
"""

from __future__ import annotations

import numpy as np

from boilerclean.cleaners.stages.page_text.features import in_runs, nav_lines


def menus_around(
    lines: list[str], units: np.ndarray, mask: np.ndarray, max_words: float, min_run: int
) -> tuple[int, int]:
    """Menu lines (navigation lines in runs) above and below the kept region.

    With nothing kept there is no region to be flanked: (0, 0), and the gate stays shut.
    """
    kept = np.flatnonzero(mask)
    if not len(kept):
        return 0, 0
    menu = in_runs(nav_lines(lines, units, max_words), min_run)
    return int(menu[: kept[0]].sum()), int(menu[kept[-1] + 1 :].sum())
