"""remove_artifacts: rule packs, position cues, mixed-line cuts, explain records, invariants."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents
from boilerclean.cleaners.stage import StageLog
from boilerclean.cleaners.stages.artifacts.blocks import copyable
from boilerclean.cleaners.stages.artifacts.remover import RemoveArtifacts, RemoveArtifactsParams
from boilerclean.cleaners.stages.artifacts.rules import RulePackError, load_pack

STAGE = RemoveArtifacts(RemoveArtifactsParams(model="none"))  # the rules; the line model has its own tests
BODY = "The committee met on Tuesday to discuss the budget and agreed to postpone the vote until next month."
BODY2 = "Officials said the delay would give members more time to read the proposal, which runs to 400 pages."
# more distinct paragraphs: a later copy of a line is debris (repeated_in_doc), so filler must not repeat
FILLER = [
    "The finance director warned that every month of delay adds interest to the loans the city already holds.",
    "Several residents spoke at the hearing, most of them in favour of a smaller plan with fewer new roads.",
    "A revised draft is expected in the spring, after the auditors have finished their review of the accounts.",
    "The opposition said it would table its own proposal if the revised draft kept the most expensive items.",
    "Local businesses asked for a clear timetable so they could plan around the construction work next year.",
    "The council's last budget passed by a single vote after a session that ran past midnight in December.",
]


def clean(text: str, stage: RemoveArtifacts = STAGE, **kw) -> tuple[Document, StageLog]:
    doc = Document(id="d", text=text, removals=[], **kw)
    log = StageLog(stage.name)
    return stage.apply(doc, log), log


def paragraphs(*lines: str) -> str:
    return "\n\n".join(lines)


@pytest.mark.parametrize(
    ("debris", "rule"),
    [
        ("Share", "share_button"),
        ("Advertisement", "ad_label"),
        ("Subscribe to Example Daily Post for FREE", "subscribe_prompt"),
        ("Continue reading →", "read_more"),
        ("% of readers think this story is Fact. Add your two cents.", "reader_poll"),
        ("Headline: Gold Searches Exceed Everything! Miners Are Next!", "teaser_label"),
        ("Source: https://example.org/2018/01/some-story", "source_line"),
        ("The post Ten Things appeared first on Some Blog.", "post_appeared_first"),
        ("Featured Image via Getty Images/Jane Roe", "image_credit"),
        ("(Photo: Reuters/John Doe) Protesters gather outside the building.", "caption_parenthetical"),
        ("example-films.com", "bare_domain"),
        ("for additional cast and crew visit: www.example.com/title/tt1/", "link_only"),
        ("Filed under: Politics, Europe | 3 Comments »", "taxonomy_line"),
        ("Please adhere to our commenting policy to avoid being banned.", "comment_policy"),
        ("Share your thoughts in the comment section!", "comment_prompt"),
        ("Follow the Example Institute on Twitter | Like us on Facebook", "follow_prompt"),
        ("This article was originally published at Example News.", "republication_note"),
        ("PLEASE help spread the word by sharing our articles on your favorite social networks.", "share_prompt"),
        ("Don't forget to follow the Example Post on Facebook and Twitter.", "follow_prompt"),
        ("Watch our uncensored videos at https://example.tv/channel", "link_only"),
        ("Jun 29, 2008 — Jane Roe", "dateline_only"),
    ],
)
def test_debris_line_removed_with_its_rule_id(debris, rule):
    doc, log = clean(paragraphs(BODY, debris, BODY2))
    assert doc.text == paragraphs(BODY, BODY2)
    assert log.lines[f"artifact:{rule}"] == 1
    assert [(r.rule, r.text) for r in doc.removals] == [(f"artifact:{rule}", debris)]


@pytest.mark.parametrize(
    "line",
    [
        "Email server",  # a subheading that starts with a button word
        "Facebook",  # alone between paragraphs: a how-to subheading, not a share row
        "(To be continued)",
        "(2) http://www.example.com/article/172630/why-its-legal",  # a numbered footnote the text cites
        "Here are some of the highlights:",
        "More than the money, the rights of homeowners are at stake.",
        "By the numbers, the plan is cheaper than the last one.",
        "How do you feel about this? I for one see no place for it in this world.",
    ],
)
def test_real_lines_kept(line):
    text = paragraphs(BODY, line, BODY2)
    doc, _ = clean(text)
    assert doc.text == text
    assert not doc.removals


def test_link_list_heading_goes_only_with_its_links():
    doc, _ = clean(paragraphs(BODY, BODY2, "Sources:", "http://example.com/a", "https://example.org/b"))
    assert doc.text == paragraphs(BODY, BODY2)
    text = paragraphs(BODY, "Sources:", BODY2, FILLER[0])
    assert clean(text)[0].text == text


def test_outlet_tag_at_the_top_but_not_an_editorial_note():
    assert clean(paragraphs("(Example News)", BODY, BODY2))[0].text == paragraphs(BODY, BODY2)
    text = paragraphs(BODY, BODY2, "(To be continued)")
    assert clean(text)[0].text == text


def test_share_buttons_go_only_as_a_row():
    text = paragraphs(BODY, BODY2, "Share this: Reddit", "Facebook", "Email", "Twitter", "More")
    doc, _ = clean(text)
    assert doc.text == paragraphs(BODY, BODY2)


def test_mixed_lines_cut_and_recorded():
    doc, _ = clean(paragraphs("Continued below... " + BODY, BODY2 + "—More…"))
    assert doc.text == paragraphs(BODY, BODY2)
    assert {r.rule: r.text for r in doc.removals} == {
        "artifact:ad_break_prefix": "Continued below... ",
        "artifact:read_more_tail": "—More…",
    }


def test_inline_related_teaser_cut():
    doc, _ = clean(BODY + " (Related: Ten Other Things You Missed.) " + BODY2)
    assert doc.text == BODY + " " + BODY2


def test_bottom_bio_and_what_follows_it_go():
    bio = "Jane Roe is a contributor to the Example Review and a fellow at the Example Institute."
    doc, log = clean(paragraphs(BODY, BODY2, bio, "Her new book is out in May."))
    assert doc.text == paragraphs(BODY, BODY2)
    assert log.lines["artifact:author_bio"] == 2


def test_bio_shaped_sentence_in_the_body_stays():
    line = "Jane Roe is a professor of history and has studied the archive for ten years, she said on Monday."
    text = paragraphs(BODY, line, BODY2, FILLER[0], FILLER[1])
    assert clean(text)[0].text == text


def test_author_archive_listing_runs_to_the_end():
    text = paragraphs(BODY, "Most Recent Articles by Jane Roe:", "Jun 29, 2008 — Jane Roe", BODY2, "A teaser line!")
    doc, log = clean(text)
    assert doc.text == BODY
    assert log.lines["artifact:related_listing"] == 4


def test_widget_block_stops_at_the_next_sentence():
    text = paragraphs(BODY, "TRENDING STORIES", "Senator Walks Into Diner", "Insider Reveals Everything", BODY2)
    doc, _ = clean(text)
    assert doc.text == paragraphs(BODY, BODY2)


def test_trailing_caption_removed_but_not_a_sentence():
    caption = "Pro-government fighters patrol the area south of the city"
    assert clean(paragraphs(BODY, BODY2, caption))[0].text == paragraphs(BODY, BODY2)
    for ending in ("According to reports, nobody expressed interest in the offer", "God bless you all and stay safe"):
        assert clean(paragraphs(BODY, BODY2, ending))[0].text == paragraphs(BODY, BODY2, ending)


def test_dates_in_a_timeline_body_stay():
    f = FILLER
    text = paragraphs(
        BODY, BODY2, f[0], "June 16, 2015", f[1], f[2], "July 18, 2015", f[3], f[4], f[5], BODY + " Again."
    )
    assert clean(text)[0].text == text


def test_single_line_breaks_and_crlf_layout_kept():
    doc, _ = clean("Advertisement\r\n" + BODY + "\n" + BODY2)
    assert doc.text == BODY + "\n" + BODY2


def test_disable_a_rule_by_id():
    stage = RemoveArtifacts(RemoveArtifactsParams(disable=["ad_label", "trailing_caption"]))
    text = paragraphs(BODY, "Advertisement", BODY2, "Fighters patrol the area south of the city")
    assert clean(text, stage)[0].text == text


def test_pack_by_path_and_bad_packs_refused(tmp_path: Path):
    pack = tmp_path / "site.yaml"
    pack.write_text("rules:\n  - id: house_ad\n    family: ad\n    pattern: '^Buy our mugs$'\n", encoding="utf-8")
    stage = RemoveArtifacts(RemoveArtifactsParams(packs=[str(pack)]))
    assert clean(paragraphs(BODY, "Buy our mugs", "Advertisement"))[0].text == paragraphs(BODY, "Buy our mugs")
    assert clean(paragraphs(BODY, "Buy our mugs", "Advertisement"), stage)[0].text == paragraphs(BODY, "Advertisement")
    pack.write_text("rules:\n  - id: slow\n    family: x\n    pattern: '(a|aa)+$'\n", encoding="utf-8")
    with pytest.raises(RulePackError, match="slow"):
        load_pack(str(pack))
    pack.write_text("rules:\n  - id: bad\n    family: x\n    pattern: '('\n", encoding="utf-8")
    with pytest.raises(RulePackError, match="invalid regex"):
        load_pack(str(pack))
    with pytest.raises(RulePackError, match="packs: "):
        load_pack("no-such-pack")


def test_every_rule_of_the_english_pack_is_documented():
    rules = load_pack("en")
    assert len({r.id for r in rules}) == len(rules)
    assert all(r.description and r.family for r in rules)


def test_runs_in_clean_documents():
    results, reports = clean_documents([STAGE], [Document(id="a", text=paragraphs("Share", BODY))])
    assert results[0].text == BODY
    assert reports[0]["lines_removed"] == {"artifact:share_button": 1}


LINES = st.sampled_from(
    [
        BODY,
        BODY2,
        "Share",
        "Advertisement",
        "Facebook",
        "Email",
        "Continued below... " + BODY,
        BODY2 + "—More…",
        "Source: http://example.com/x",
        "By Jane Roe",
        "Jane Roe is a writer for the Example Post.",
        "",
        "   ",
        "Fighters patrol the area south of the city",
        "TRENDING STORIES",
        "Short line",
        "———",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=80)), max_size=14), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_never_raises_invents_nothing_and_is_idempotent(lines, sep):
    text = sep.join(lines)
    once, _ = clean(text)
    out = once.text
    assert all(word in text for word in out.split())
    twice, _ = clean(out)
    assert twice.text == out


# -- the literal prefilters (needles, index) must never hide a match -------------------------------

from boilerclean.cleaners.stages.artifacts.index import RuleIndex  # noqa: E402
from boilerclean.cleaners.stages.artifacts.needles import needs  # noqa: E402
from boilerclean.cleaners.stages.artifacts.plan import Check  # noqa: E402
from boilerclean.cleaners.stages.artifacts.stringsets import literal  # noqa: E402
from boilerclean.cleaners.stages.artifacts.wordkeys import present, words  # noqa: E402

EN_RULES = load_pack("en")


@pytest.mark.parametrize(
    ("pattern", "line", "matches"),
    [
        (r"\bclick here\b", "Please CLICK HERE now", True),
        (r"^(?:share|tweet)\s*$", "Tweet", True),
        (r"(?<=[.!?])\s+(?:media|press) contact\s*:.*$", "Done. Press contact: Jane", True),
        (r"\bof (?:readers|users) think\b", "70% of readers think so", True),
        (r"[(\[]\s*(?-i:AP|AFP)\b", "a photo ( AP )", True),
        (r"^(?:by|written by)\s*:?$", "Written by", True),
        (r"\bclick here\b", "clickhere", False),
    ],
)
def test_filter_agrees_with_the_pattern(pattern, line, matches):
    import regex

    compiled = regex.compile(pattern, regex.IGNORECASE | regex.VERSION0)
    assert bool(compiled.search(line)) == matches
    check = Check.of(None, needs(pattern), words_ok=True)
    if matches:
        assert check.passes(line.lower())


def test_filters_are_real_and_unreadable_patterns_get_none():
    ids = {r.id: needs(r.pattern.pattern) for r in EN_RULES}
    assert ids["link_only"].factors and {literal(f) for f in ids["link_only"].factors} >= {"www.", "http://"}
    assert ids["share_button"].prefixes and "share" in ids["share_button"].prefixes
    regex_only = (
        r"(?:abc){e<=1}",
        r"(?V1)abc",
        r"\p{Lu}+",
        r"(?<name>x)y",
        r"x[[:digit:]]",
        r"\N{LATIN SMALL LETTER A}",
    )
    for pattern in regex_only:  # syntax that ``re`` reads differently or not at all: no filter
        assert needs(pattern) == type(needs(pattern))()


def test_odd_case_lines_skip_the_filters():
    index = RuleIndex([r for r in EN_RULES if r.action != "cut"])
    assert "ſ" in index.odd  # the long s is an "s" to a case-insensitive regex, but lower() keeps it
    doc, _ = clean(paragraphs(BODY, "Advertiſement", BODY2))
    assert doc.text == paragraphs(BODY, BODY2)


def test_a_dotless_i_in_a_rule_does_not_make_every_capital_i_odd(tmp_path):
    """ "ı" matches "I" case-insensitively, but "I" lower-cases to "i": a needle holding "ı" would send every
    non-ASCII line with a capital I past the filters. The needle leaves that letter out, and still finds it."""
    pack = tmp_path / "tr.yaml"
    pack.write_text(
        "pack: tr\nrules:\n  - id: reply_tr\n    family: comments\n    description: 'a reply button (\"Yanıtla\")'\n"
        "    max_chars: 20\n    pattern: '^yanıtla$'\n",
        encoding="utf-8",
    )
    stage = RemoveArtifacts(RemoveArtifactsParams(packs=["en", str(pack)]))
    assert "I" not in stage.line_index.odd
    for button in ("Yanıtla", "YANITLA", "yanıtla"):
        doc = Document(id="d", text=paragraphs(BODY, "I said “yes” — twice.", button, BODY2))
        assert button not in stage.apply(doc, StageLog("remove_artifacts")).text


SAMPLES = [r.description for r in EN_RULES] + [
    "Share",
    "Follow Example on Twitter",
    "(Photo: Reuters/X) text",
    "Jane Roe can be reached at jane@example.org",
    "Copyright 2019 Example",
    "Tags: a, b",
    "http://example.com",
]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(SAMPLES), st.text(max_size=20), st.text(max_size=20))
def test_a_line_a_rule_matches_always_passes_its_filter(sample, head, tail):
    for text in (sample, head + sample, sample + tail, head + sample + tail):
        s = text.strip()
        low = s.lower()
        index = STAGE.line_index
        if not s.isascii() and index.has_odd_case(s):
            continue
        for top, bottom in ((False, False), (True, False), (False, True), (True, True)):
            plan = index.plan(low, top, bottom, len(s))
            keys = present(low, index.keys & words(low))  # as apply() finds them
            found = {plan.checks[j].rule.id for j in plan.candidates(low, keys) if plan.checks[j].passes(low)}
            for check in plan.checks:
                if check.rule.pattern.search(s):
                    assert check.rule.id in found, (check.rule.id, s)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?…:;\"'”’“)]»*,-é1\t")), max_size=40))
def test_fast_line_shape_tests_equal_the_regexes(text):
    from boilerclean.cleaners.stages.artifacts.shape import TERMINAL, WORD, terminal

    s = text.strip()
    assert terminal(s) == bool(TERMINAL.search(s))
    assert STAGE._is_body(s) == (len(WORD.findall(s)) >= 12 and bool(TERMINAL.search(s)))
    assert STAGE._is_teaser(s) == (len(WORD.findall(s)) <= 25 and not TERMINAL.search(s))


# -- NeedleScan: one pass per document gives each line the masks the per-line filters would ----------------

LINE_PARTS = [*SAMPLES, BODY, BODY2, "Advertiſement", "İstanbul Share", "ΣΟΦΟΣ. Share this", "  Share  ", "x"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(LINE_PARTS), min_size=1, max_size=8), st.text(max_size=12))
def test_scan_masks_say_which_filter_strings_each_line_holds(parts, noise):
    pytest.importorskip("ahocorasick")
    text = "\n".join(p + noise if k % 2 else noise + p for k, p in enumerate(parts)).replace("\r", "")
    hits = STAGE.scan.hits(text, text.count("\n") + 1)
    if hits is None:  # lower-casing changed the text's length: every line uses its own filters
        assert len(text.lower()) != len(text)
        return
    for line, found in zip(text.split("\n"), hits, strict=True):
        low = line.lower()
        for shift, index in ((0, STAGE.line_index), (STAGE.scan.shift, STAGE.cut_index)):
            n = len(index.checks)
            for j, check in enumerate(index.checks):
                for g, group in enumerate(check.confirm):
                    assert bool(found >> (shift + g * n + j) & 1) == any(lit in low for lit in group)


def _filters_only() -> RemoveArtifacts:
    stage = RemoveArtifacts(RemoveArtifactsParams(model="none"))
    stage.scan.automaton = None  # as without pyahocorasick: every line finds its candidates itself
    return stage


FILTERS_ONLY = _filters_only()


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(LINE_PARTS), min_size=1, max_size=10),
    st.sampled_from(["\n", "\n\n", "\r\n", "\n \n"]),
    st.text(alphabet=st.sampled_from(list(" \t\u00a0ſİΣ|:-©(")), max_size=3),
)
def test_scan_path_gives_the_output_of_the_line_filters(parts, sep, pad):
    pytest.importorskip("ahocorasick")
    text = sep.join(pad + p if k % 3 == 1 else p for k, p in enumerate(parts))
    fast, _ = clean(text)
    slow, _ = clean(text, stage=FILTERS_ONLY)
    assert fast.text == slow.text
    assert [(r.rule, r.text) for r in fast.removals] == [(r.rule, r.text) for r in slow.removals]


# -- block cues (blocks.py): copies, truncated copies, trailing teaser runs, comment threads; invented texts ----------

P1 = "The library reopened on Monday after a two-year renovation that added a reading garden and a café."
P2 = "Visitors queued from early morning, and staff handed out maps of the new layout at the entrance."
P3 = "The city paid for most of the work, with a grant from a regional fund covering the rest of the bill."
P4 = "The mayor said the building would now stay open until nine on weekdays, two hours longer than before."


def _rules(doc: Document) -> list[str]:
    return [r.rule for r in doc.removals]


def test_later_copies_of_lines_go_the_first_stays():
    doc, _ = clean(paragraphs(P1, P2, P3, P4, P1, P2))
    assert doc.text == paragraphs(P1, P2, P3, P4)
    assert _rules(doc) == ["artifact:repeated_in_doc"] * 2


def test_short_repeats_and_table_rows_stay():
    rows = [
        "| Branch | Hours | Seats |",
        "| Central | 9-21 | 120 |",
        "| Branch | Hours | Seats |",
        "| East | 9-18 | 40 |",
    ]
    text = paragraphs(P1, "Yes.", P2, "Yes.", *rows, P3)
    doc, _ = clean(text)
    assert doc.text == text


def test_repeated_commands_output_and_protocol_lines_of_a_tutorial_stay():
    steps = [
        "$ git pull origin main",
        "updating to the latest revision of the branch",
        "3 files changed, 12 insertions, 4 deletions",
        "GET /api/items/7 HTTP/1.1",
        "Accept: application/json; charset=utf-8",
        "SELECT name, price FROM items WHERE id = 7;",
    ]
    text = paragraphs(P1, *steps, P2, *steps, P3)
    doc, _ = clean(text)
    assert doc.text == text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Ten things you need to know about the new library", True),  # a headline
        ("10 things you need to know about the new library", True),  # a number opens it
        ("The mayor (who opened it) said: come early.", True),  # a sentence may hold marks
        ("“The garden is the best part of it,” said one visitor on the steps.", True),
        ("Host: library.example:8080", False),  # protocol line
        ("1 files updated, 0 files merged, 0 files removed", False),  # a line of figures
        ("updating to the latest revision", False),  # output starts in lower case
        ("Result = compute(items)", False),  # code
    ],
)
def test_which_repeated_lines_may_be_a_second_rendering(line, expected):
    assert copyable(line) is expected


def test_truncated_copy_of_a_paragraph_goes():
    teaser = "The library reopened on Monday after a two-year..."
    doc, _ = clean(paragraphs(teaser, P1, P2, P3))
    assert doc.text == paragraphs(P1, P2, P3)
    assert _rules(doc) == ["artifact:truncated_copy"]


def test_paragraph_cut_off_by_a_paywall_stays():
    cut = "The mayor said the building would now stay open until nine on weekdays, two hours..."
    text = paragraphs(P1, P2, P3, cut)
    doc, _ = clean(text)
    assert doc.text == text


TEASERS = [
    "- Ferry fares to rise in spring after board vote",
    "- Old Town Bakery Wins Regional Bread Prize",
    "- Council approves new cycle lanes on river road",
]


KICKER_TEASERS = [
    "Harbour Week 2024 | The old ferry terminal becomes a gallery",
    "Harbour Week 2024 | ‘Tides’, a light show on the north pier",
    "Harbour Week 2024 | a walk through the restored boat sheds",
]


@pytest.mark.parametrize("teasers", [TEASERS, KICKER_TEASERS], ids=["list items", "kicker lines"])
def test_trailing_teaser_run_after_the_last_paragraph_goes(teasers):
    doc, _ = clean(paragraphs(P1, P2, P3, P4, *teasers))
    assert doc.text == paragraphs(P1, P2, P3, P4)
    assert _rules(doc) == ["artifact:teaser_run"] * 3


def test_teaser_run_may_be_followed_by_a_short_note():
    note = "Correction: an earlier version of this story gave the wrong opening day."
    doc, _ = clean(paragraphs(P1, P2, P3, P4, *TEASERS, note))
    assert doc.text == paragraphs(P1, P2, P3, P4, note)


@pytest.mark.parametrize(
    "intro",
    [
        "The new rooms, from the ground floor up:",  # the text announces its list
        "What changed",  # a heading over the list
    ],
)
def test_announced_lists_at_the_end_stay(intro):
    items = [
        "- Reading Garden with Forty Seats",
        "- Children's Room on the First Floor",
        "- Quiet Study Hall Under the Roof",
    ]
    text = paragraphs(P1, P2, P3, P4, intro, *items)
    doc, _ = clean(text)
    assert doc.text == text


def test_the_tail_of_a_longer_list_stays():
    """A list whose first item is too long for a headline is the article's, all of it."""
    first = (
        "- Move the market from the car park to the square, with stalls for every farm within twenty miles of the "
        "town and a covered hall for the winter months, paid for by a levy on the new hotels along the river"
    )
    text = paragraphs(P1, P2, P3, P4, "Her plans", first, *TEASERS)
    assert clean(text)[0].text == text


def test_lists_of_sentences_and_early_lists_stay():
    sentences = ["- The garden opens at nine.", "- The café opens at ten.", "- The roof terrace opens in May."]
    text = paragraphs(P1, P2, P3, P4, *sentences)
    assert clean(text)[0].text == text
    early = paragraphs(P1, *TEASERS, P2, P3, P4)  # in the first half: the article's own list
    assert clean(early)[0].text == early


def test_comment_thread_after_a_counter_goes():
    thread = ["3 comments", "Lovely to have it back!", "Marta", "The café is too small though.", "Reply"]
    doc, _ = clean(paragraphs(P1, P2, P3, P4, *thread))
    assert doc.text == paragraphs(P1, P2, P3, P4)
    assert "artifact:comment_thread" in _rules(doc)


def test_counter_in_the_first_half_takes_nothing_along():
    doc, _ = clean(paragraphs("By Ana Silva | 3 comments", P1, P2, P3, P4))
    assert doc.text == paragraphs(P1, P2, P3, P4)
    assert "artifact:comment_thread" not in _rules(doc)


NEWSLETTER_BOX = [
    "The Harbour Briefing Newsletter",
    "Get the week's ferry news, tide tables and the best of the letters page in one e-mail every Friday.",
    "Thanks for signing up!",
    "Keep an eye on your inbox for the first issue.",
    "Sorry!",
    "There was an error processing your subscription.",
]


def test_text_inside_a_widget_goes_with_it():
    """The pitch of a newsletter box sits between its name and its sign-up messages: only the rules for the
    lines around it know it is there, and it is the widget's text."""
    doc, _ = clean(paragraphs(P1, P2, P3, P4, *NEWSLETTER_BOX))
    assert doc.text == paragraphs(P1, P2, P3, P4)
    assert [r.rule for r in doc.removals if r.text == NEWSLETTER_BOX[1]] == ["artifact:widget_island"]


def test_a_paragraph_between_scattered_removals_stays():
    ad = "Advertisement"
    text = paragraphs(P1, ad, P2, ad, P3, P4)  # ad labels are single lines in the text, not a widget
    assert clean(text)[0].text == paragraphs(P1, P2, P3, P4)
    heading = "Opening hours"  # between two single removed lines, not inside a block of them
    text = paragraphs(P1, "Share", heading, "Advertisement", P2, P3)
    assert heading in clean(text)[0].text


def test_teaser_run_under_a_widget_title_goes():
    """A heading right after a widget's removed lines titles the next widget, not the article's list."""
    promo = "Join the Harbour Fantasy Sailing League"
    doc, _ = clean(paragraphs(P1, P2, P3, P4, *NEWSLETTER_BOX, promo, *TEASERS))
    assert doc.text == paragraphs(P1, P2, P3, P4)
    assert [r.rule for r in doc.removals if r.text == promo] == ["artifact:teaser_run"]


def test_a_list_under_a_heading_after_an_ad_label_stays():
    items = ["- 2 cups of plain flour, sifted", "- 3 large eggs at room temperature", "- 1 cup of warm milk"]
    text = paragraphs(P1, P2, P3, P4, "Advertisement", "What You Need", *items)
    assert clean(text)[0].text == paragraphs(P1, P2, P3, P4, "What You Need", *items)


STRIP = [
    "Ferry Fares to Rise in Spring After Board Vote",
    "Old Town Bakery Wins Regional Bread Prize for Rye",
    "Council Approves New Cycle Lanes on the River Road",
]


def test_table_rows_with_pipes_at_the_end_stay():
    rows = ["Monday | 9 am | Yoga on the lawn", "Tuesday | 6 pm | Walk to the pier", "Friday | 7 pm | Quiz night"]
    text = paragraphs(P1, P2, P3, P4, *rows)
    assert clean(text)[0].text == text


def test_a_strip_of_headlines_over_the_article_goes():
    doc, _ = clean(paragraphs("Harbour News", *STRIP, P1, P2, P3, P4))
    assert doc.text == paragraphs(P1, P2, P3, P4)
    assert _rules(doc) == ["artifact:lead_teasers"] * 4


@pytest.mark.parametrize(
    "opening",
    [
        [STRIP[0], "Fares for the harbour ferry will rise by a tenth in spring, the board decided on Monday"],  # + dek
        ["Contents", "The Old Mill", "The New Garden", "Opening Hours"],  # a table of contents: short lines
        ["Harbour 14 11 6 15 - 46", "Riverside 10 12 9 11 - 42", "Old Town 9 8 12 10 - 39"],  # scores
    ],
)
def test_openings_of_an_article_stay(opening):
    text = paragraphs(*opening, P1, P2, P3, P4)
    assert clean(text)[0].text == text


@pytest.mark.parametrize(
    "rule", ["repeated_in_doc", "truncated_copy", "teaser_run", "lead_teasers", "widget_island", "comment_thread"]
)
def test_block_cues_can_be_disabled(rule):
    stage = RemoveArtifacts(RemoveArtifactsParams(model="none", disable=[rule]))
    texts = {
        "repeated_in_doc": paragraphs(P1, P2, P3, P1),
        "truncated_copy": paragraphs("The library reopened on Monday after a two-year...", P1, P2, P3),
        "teaser_run": paragraphs(P1, P2, P3, P4, *TEASERS),
        "comment_thread": paragraphs(P1, P2, P3, P4, "2 comments", "Lovely to have it back!"),
        "widget_island": paragraphs(P1, P2, P3, P4, *NEWSLETTER_BOX),
        "lead_teasers": paragraphs(*STRIP, P1, P2, P3, P4),
    }
    doc, _ = clean(texts[rule], stage)
    assert f"artifact:{rule}" not in _rules(doc)
