"""pii: typed placeholders for e-mail, phone and IP; no false hits on dates, years, IDs; counted."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerclean.cleaners.config import parse_config
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents
from boilerclean.cleaners.stage import StageLog
from boilerclean.cleaners.stages.pii import PiiParams, RedactPii

REDACT = RedactPii()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to john.doe+news@example.co.uk today.", "Write to <EMAIL> today."),
        ("Contact: press@city-council.gov.", "Contact: <EMAIL>."),
        ("Call +44 20 7946 0958 now.", "Call <PHONE> now."),
        ("Call +1-800-555-0199.", "Call <PHONE>."),
        ("Call (555) 123-4567 or 555.123.4567.", "Call <PHONE> or <PHONE>."),
        ("Call 1-800-555-0199 toll free.", "Call <PHONE> toll free."),
        ("Ring 020 7946 0958 in London.", "Ring <PHONE> in London."),
        ("The server at 192.168.0.1 was down.", "The server at <IP> was down."),
        ("It came from 10.0.0.255.", "It came from <IP>."),
        ("IPv6 2001:db8::8a2e:370:7334 and fe80::1.", "IPv6 <IP> and <IP>."),
    ],
)
def test_redacts_with_typed_placeholders(text, expected):
    assert REDACT.redact(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "On 2018-01-24 the court met; in 1990-2000 prices rose.",
        "ISBN 978-3-16-148410-0, SSN-like 123-45-6789, score 3-2.",
        "Budget of $1,234,567 and 1 234 567 890 people.",
        "Vatican City, Jan 24, 2018 / 09:15 am (CNA/EWTN News).",
        "At 10:30:00 the match ended; version 1.2.3.4.5; octet 256.1.1.1.",
        "Follow @handle and see pic.twitter.com/abc123.",
        "Years 2016 2017 2018 2019 and page 12.",
        "The value 3.14159 and ratio 1:2:3.",
    ],
)
def test_leaves_dates_years_ids_and_numbers(text):
    assert REDACT.redact(text) == (text, [])


def test_counts_per_type_in_report_and_switches():
    doc = Document(id="d", text="Mail a@b.org or c@d.net, call +49 30 1234 5678, host 8.8.8.8.")
    results, reports = clean_documents([RedactPii()], [doc])
    assert results[0].text == "Mail <EMAIL> or <EMAIL>, call <PHONE>, host <IP>."
    assert reports[0]["counters"] == {"pii:email": 2, "pii:ip": 1, "pii:phone": 1}
    assert reports[0]["chars_removed"]["pii:email"] == len("a@b.org") + len("c@d.net")
    only_email = RedactPii(PiiParams(phone=False, ip=False))
    assert only_email.redact("a@b.org +49 30 1234 5678 8.8.8.8")[0] == "<EMAIL> +49 30 1234 5678 8.8.8.8"


def test_explanation_never_repeats_the_value():
    doc = Document(id="d", text="Mail a@b.org.")
    doc.removals = []
    REDACT.apply(doc, StageLog("pii"))
    assert all("a@b.org" not in r.text for r in doc.removals)


def test_config():
    stage = parse_config({"stages": [{"name": "pii", "phone": False}]}).build_stages()[0]
    assert stage.redact("+44 20 7946 0958")[0] == "+44 20 7946 0958"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789 .-+()@:abcdefxyz\n"), max_size=80) | st.text(max_size=80))
def test_never_raises_idempotent_and_only_replaces(text):
    out, found = REDACT.redact(text)
    assert REDACT.redact(out) == (out, [])
    assert len(found) == sum(out.count(p) - text.count(p) for p in ("<EMAIL>", "<PHONE>", "<IP>"))
