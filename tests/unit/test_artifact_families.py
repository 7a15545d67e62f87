"""remove_artifacts: the debris families unseen sites show (issue 13, item 5), each from examples written here.

Every example is invented for this file; none is copied from an evaluation set. Each family has lines it must
remove (with the rule id a user greps for) and look-alike article sentences it must keep.
"""

import pytest

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import StageLog
from boilerclean.cleaners.stages.artifacts.remover import RemoveArtifacts, RemoveArtifactsParams

RULES = RemoveArtifacts(RemoveArtifactsParams(model="none"))
BODY = "The harbour board met on Thursday and voted to extend the ferry timetable through the winter months."
BODY2 = "Members said the extra crossings would cost about two million a year, paid from the port's reserves."


def clean(*lines: str) -> Document:
    doc = Document(id="d", text="\n\n".join(lines), removals=[])
    return RULES.apply(doc, StageLog(RULES.name))


@pytest.mark.parametrize(
    ("debris", "rule"),
    [
        # social-profile lists and follow labels
        ("Facebook | Twitter | Instagram", "social_profile_list"),
        ("Follow us: YouTube RSS", "social_profile_list"),
        ("Follow us", "follow_label"),
        ("Follow him on Twitter @gullwatcher", "follow_prompt"),
        ("This story has been sent to", "share_confirmation"),
        ("Link copied!", "share_confirmation"),
        # newsletter prompts and what the widget says back
        ("Thanks for subscribing!", "newsletter_feedback"),
        ("Check your inbox to confirm your subscription.", "newsletter_feedback"),
        ("Please enter a valid email address.", "newsletter_feedback"),
        ("Oops! Something went wrong. Please try again.", "newsletter_feedback"),
        ("By signing up you agree to our Terms of Use and Privacy Policy.", "newsletter_feedback"),
        ("The Tidewater Morning Newsletter", "newsletter_name"),
        ("Get the magazine delivered to your door: 12 issues for $20.", "subscription_offer"),
        # donation and membership asks
        ("If you enjoyed this story, please consider becoming a member.", "membership_pitch"),
        ("We rely on readers like you to keep going.", "support_ask"),
        ("Donate now", "donate_prompt"),
        # teaser headings and tagged teasers, "also by"
        ("Don't miss", "teaser_heading"),
        ("Most viewed", "teaser_heading"),
        ("Mayor opens the new bridge after years of delay [PICTURES]", "teaser_tagged"),
        ("Also by this author", "also_by"),
        # comment widgets
        ("Loading comments...", "comment_widget"),
        ("Be the first to comment", "comment_widget"),
        ("Want to join the discussion?", "comment_widget"),
        ("Sort by: Newest", "comment_widget"),
        # captions, credits, gallery controls
        ("Ferry passengers wait at the pier. (Jane Roe/Reuters)", "caption_credit_tail"),
        ("A worker repairs the roof of the terminal.Getty Images", "caption_credit_tail"),
        ("Image 3 of 12", "gallery_control"),
        ("Click to enlarge", "gallery_control"),
        # timestamps, datelines, reading time, reporting credits
        ("3 hours ago", "relative_timestamp"),
        ("2024-03-05T14:07:00Z", "timestamp_iso"),
        ("5 min read", "reading_time"),
        ("9:30 AM EST 3/4/2021 by Jane Roe", "dateline_only"),
        ("- Published 5 March 2024", "dateline_only"),
        ("Additional reporting by Jane Roe", "reporting_credit"),
        ("Contributing: John Doe", "reporting_credit"),
        # how to reach the author
        ("Email Jane Roe at jroe@example.com", "contact_prompt"),
        ("Write to the reporter at desk@example.org", "contact_prompt"),
        # licence, reprint and syndication notices
        ("Republish this story for free under our guidelines.", "licence_notice"),
        ("This copy is for your personal, non-commercial use only.", "licence_notice"),
        ("Distributed by Example Content Agency.", "syndication_signoff"),
        ("The views expressed are those of the author and not of this site.", "syndication_signoff"),
        # links and page chrome
        ("More coverage: https://example.org/a and https://example.org/b", "link_pair"),
        ("- Order Reprints", "navigation_label"),
        ("GET THE APP ON YOUR PHONE BY CLICKING HERE", "click_here_promo"),
    ],
)
def test_family_debris_removed_with_its_rule_id(debris, rule):
    doc = clean(BODY, debris, BODY2) if rule not in ("syndication_signoff",) else clean(BODY, BODY2, debris)
    assert [(r.rule, r.text) for r in doc.removals] == [(f"artifact:{rule}", debris)]
    assert doc.text == f"{BODY}\n\n{BODY2}"


@pytest.mark.parametrize(
    "line",
    [
        "Support for the ferry plan grew among island residents after the hearing.",
        "Thank you.",
        "Reply",
        "Sorry!",
        "Facebook",
        "Donate blood if you can, the hospital said.",
        "Check your tyre pressure before a long drive.",
        "The newsletter was first sent to 300 readers in 1998.",
        "Contributing to the problem is a shortage of deckhands.",
        "The company said an error occurred in its billing system last year.",
        "If you enjoyed the first season, the second is even better.",
        "Tell us what you think happened that night, the detective said.",
        "3 / 4 cup sugar",
        "Most viewed videos of the year were about cats, the report says.",
        "The views expressed at the meeting were sharp and sometimes angry.",
        "Reach for the stars.",
        "UP NEXT",
    ],
)
def test_look_alike_article_lines_kept(line):
    doc = clean(BODY, line, BODY2)
    assert doc.text == f"{BODY}\n\n{BODY2}".replace("\n\n", f"\n\n{line}\n\n")
    assert not doc.removals


def test_widget_interjection_goes_only_with_its_widget():
    doc = clean(BODY, BODY2, "Thanks for signing up!", "Sorry!", "There was an error processing your request.")
    assert doc.text == f"{BODY}\n\n{BODY2}"
    assert [r.rule for r in doc.removals].count("artifact:newsletter_interjection") == 1


def test_teaser_heading_takes_its_headlines_but_stops_at_a_sentence():
    doc = clean(BODY, "Editor's picks", "Ferry Fares Rise Again", "Island Bakery Wins Award", BODY2)
    assert doc.text == f"{BODY}\n\n{BODY2}"


# -- second round (issue 13): families from extractor output on sites never seen; every example invented here --

INTL = RemoveArtifacts(RemoveArtifactsParams(model="none", packs=["en", "intl"]))


def clean_intl(*lines: str) -> Document:
    doc = Document(id="d", text="\n\n".join(lines), removals=[])
    return INTL.apply(doc, StageLog(INTL.name))


@pytest.mark.parametrize(
    ("debris", "rule"),
    [
        ("Feel free to contribute!", "comment_form"),
        ("Your email address will not be published. Required fields are marked *", "comment_form"),
        ("Save my name, email, and website in this browser for the next time I comment.", "comment_form"),
        ("The old mill at dusk, photos © Riverside Studio, 2021", "photo_copyright"),
        ("-", "empty_marker"),
        ("|---|---|---|", "empty_marker"),
        ('[button link="https://example.org/tips" size="big"]Send us your tip[/button]', "shortcode"),
        ('[gallery ids="12,13,14"]', "shortcode"),
        ("Copyright ⓒ Example Herald. All rights reserved.", "copyright_line"),
        ("copyright Harbour Review 2022 - ISSN: 1234-5678", "copyright_line"),
        ("SEE MORE: Ferry strike enters its third day", "teaser_label"),
        ("Get the full Harbour Pro subscription for as little as Rs 299 for a year", "subscription_offer"),
        (
            "Get unlimited access to the region's most trusted digital subscriptions service, Harbour Pro Plus, for as "
            "little as $4 for the first three months. Use the code SPRING at checkout. Harbour Pro Plus brings you "
            "daily market notes, long reads from our newsroom, an ad-free app and the weekend puzzle pages. For the "
            "details of the offer, see the subscriptions page of our website or our app.",
            "subscription_offer",
        ),
    ],
)
def test_second_round_families(debris, rule):
    doc = clean(BODY, debris, BODY2)
    assert [(r.rule, r.text) for r in doc.removals] == [(f"artifact:{rule}", debris)]
    assert doc.text == f"{BODY}\n\n{BODY2}"


@pytest.mark.parametrize(
    ("debris", "rule"),
    [
        (
            "Northwind Ferries is a leading international operator of passenger ferries, with routes in six countries.",
            "company_boilerplate",
        ),
        (
            "Northwind Ferries is headquartered in Bergen, has offices in four countries and employs 900 people.",
            "company_boilerplate",
        ),
        (
            "That is all for today. Sign up for the Harbour Brief to get it in your inbox every morning.",
            "newsletter_pitch",
        ),
    ],
)
def test_second_round_families_after_the_article(debris, rule):
    doc = clean(BODY, BODY2, debris)
    assert [(r.rule, r.text) for r in doc.removals] == [(f"artifact:{rule}", debris)]
    assert doc.text == f"{BODY}\n\n{BODY2}"


@pytest.mark.parametrize(
    "line",
    [
        "Feel free to ask the crew about the timetable, the captain said.",
        "* * *",
        "___",
        "The company is a leading cause of the delays, residents say.",
        "She signed up for the sailing course in May and finished it in June.",
        "Copyright law was not the issue, the judge said.",
        "[1] Harbour board minutes, 12 March.",
    ],
)
def test_second_round_look_alikes_kept(line):
    doc = clean(BODY, line, BODY2)
    assert doc.text == f"{BODY}\n\n{line}\n\n{BODY2}"
    assert not doc.removals


def test_a_heading_that_names_a_button_goes_without_a_neighbour():
    """ "Comments" alone is a share button's name (in_run) and a comment section's heading (alone): the rule that
    fires alone wins."""
    doc = clean(BODY, BODY2, "Comments")
    assert [r.rule for r in doc.removals] == ["artifact:comment_count"]


@pytest.mark.parametrize(
    ("debris", "rule"),
    [
        ("Tempo de leitura: 3 minutos", "reading_time_intl"),
        ("Temps de lecture : 4 min", "reading_time_intl"),
        ("Lesezeit: 5 Min.", "reading_time_intl"),
        ("6 min di lettura", "reading_time_intl"),
        ("Время чтения: 7 минут", "reading_time_intl"),
        ("読了時間：3分", "reading_time_intl"),
        ("Publicado em 05/10/2021", "published_stamp_intl"),
        ("Publié le 3 mars 2021 à 10h15", "published_stamp_intl"),
        ("Veröffentlicht am 12.04.2020", "published_stamp_intl"),
        ("입력 : 2021-03-05 09:12", "published_stamp_intl"),
        ("Todos los derechos reservados.", "copyright_intl"),
        ("© Hafenblatt GmbH. Alle Rechte vorbehalten.", "copyright_line"),
        ("Tous droits réservés - Le Petit Port", "copyright_intl"),
        ("무단전재 및 재배포 금지", "copyright_intl"),
        ("Leia também: Balsa volta a operar no domingo", "read_also_intl"),
        ("(Leggi anche: Il traghetto riparte domenica)", "read_also_intl"),
        ("Lesen Sie auch: Fähre fährt wieder ab Sonntag", "read_also_intl"),
        ("Читайте также: Паром снова ходит", "read_also_intl"),
        ("12 comentários", "comment_count_intl"),
        ("7 Kommentare", "comment_count_intl"),
    ],
)
def test_intl_families(debris, rule):
    doc = clean_intl(BODY, debris, BODY2)
    assert [(r.rule, r.text) for r in doc.removals] == [(f"artifact:{rule}", debris)]
    assert doc.text == f"{BODY}\n\n{BODY2}"


@pytest.mark.parametrize(
    "line",
    [
        "Publicado em 2015, o livro vendeu mais de cem mil cópias e virou filme.",
        "O tempo de leitura de um livro varia muito de pessoa para pessoa.",
        "Die Lesezeit ist kürzer geworden, sagt die Studie.",
        "Responder",
    ],
)
def test_intl_look_alikes_kept(line):
    doc = clean_intl(BODY, line, BODY2)
    assert doc.text == f"{BODY}\n\n{line}\n\n{BODY2}"
    assert not doc.removals


def test_intl_comment_permalink_takes_the_thread_after_the_article():
    doc = clean_intl(BODY, BODY2, "Link permanente", "Adorei a ideia!", "Responder", "Obrigada, Ana.")
    assert doc.text == f"{BODY}\n\n{BODY2}"
    assert {r.rule for r in doc.removals} == {"artifact:comment_permalink_intl"}
