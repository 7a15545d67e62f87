"""Redact e-mail addresses, phone numbers and IP addresses with typed placeholders.

A dataset that will be shared or trained on should not carry the contact details of the
people in it. Placeholders keep the sentence readable and say what was there
(``write to <EMAIL>``, ``call <PHONE>``, ``from <IP>``); each redaction is counted per type
in the run report (``counters["pii:email"]``, chars in ``chars_removed``). The redacted value is
never written to the explanation: that would put the PII back.

Precision matters more than recall for phones: news text is full of numbers that look like
phone numbers to a naive pattern (dates, years, ranges, ISBNs, scores, money). A phone must
have one of three shapes, 8..15 digits in all, and not touch other digits or letters:

* international: ``+`` country code, then groups (``+44 20 7946 0958``, ``+1-800-555-0199``);
* North American: ``(555) 123-4567``, ``555-123-4567``, ``555.123.4567``, optional ``1-`` prefix;
* national with a trunk ``0``: ``020 7946 0958``, ``030-1234 5678``.

``2018-01-24``, ``1990-2000``, ``978-3-16-148410-0``, ``123-45-6789`` match none of them.
IPv4 needs four dotted octets 0..255; IPv6 must parse (``ipaddress``) and hold a digit, so
times (``10:30:00``) and words with ``::`` stay. Off unless a config lists the stage.
"""

from __future__ import annotations

import ipaddress
import re

from pydantic import Field

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, Params, StageLog

EMAIL_RE = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,24}\b"
)
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
IPV4_RE = re.compile(rf"(?<![\w.]){_OCTET}(?:\.{_OCTET}){{3}}(?!\w|\.\d)")
IPV6_RE = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_SEP = r"[ .\-\u00a0]"
PHONE_RE = re.compile(
    r"(?<![\w+\-./])(?:"
    rf"\+\d{{1,3}}{_SEP}?(?:\(\d{{1,4}}\){_SEP}?)?\d{{1,4}}(?:{_SEP}?\d{{2,4}}){{1,4}}"  # +44 20 7946 0958
    rf"|(?:1{_SEP})?(?:\(\d{{3}}\) ?|\d{{3}}{_SEP})\d{{3}}{_SEP}\d{{4}}"  # (555) 123-4567, 555-123-4567
    rf"|\(?0\d{{1,4}}\)?{_SEP}\d{{3,4}}{_SEP}?\d{{3,4}}"  # 020 7946 0958
    r")(?![\w\-]|[./]\d)"
)


_IPV4_HINT = re.compile(r"\d\.\d{1,3}\.\d").search


def _always(text: str) -> bool:
    return True


def _has_at(text: str) -> bool:
    return "@" in text


def _ipv6_hint(text: str) -> bool:
    return "::" in text or text.count(":") >= 7


class PiiParams(Params):
    email: bool = Field(True, description="replace e-mail addresses with <EMAIL>")
    phone: bool = Field(True, description="replace phone numbers with <PHONE>; strict shapes, so some are missed")
    ip: bool = Field(True, description="replace IPv4/IPv6 addresses with <IP> (also catches 4-part version strings)")


def _valid_ipv6(candidate: str) -> bool:
    if not any(ch.isdigit() for ch in candidate) or ("::" not in candidate and candidate.count(":") != 7):
        return False
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return False
    return True


def _valid_phone(candidate: str) -> bool:
    digits = sum(ch.isdigit() for ch in candidate)
    if candidate.startswith("+"):
        return 8 <= digits <= 15
    if candidate.startswith(("0", "(0")):
        return 9 <= digits <= 12
    return 10 <= digits <= 11


class RedactPii(DocumentStage):
    """Replace PII with ``<EMAIL>`` / ``<PHONE>`` / ``<IP>``; counts per type in the report."""

    name = "pii"
    Params = PiiParams

    def __init__(self, params: PiiParams | None = None) -> None:
        super().__init__(params)
        p = self.params
        # (rule, pattern, placeholder, validator, hint): the hint is a cheap test that skips a
        # full regex pass over texts that cannot hold a match (no "@": no e-mail address)
        self._passes: list[tuple[str, re.Pattern[str], str, object, object]] = []
        if p.email:
            self._passes.append(("pii:email", EMAIL_RE, "<EMAIL>", None, _has_at))
        if p.ip:
            self._passes.append(("pii:ip", IPV4_RE, "<IP>", None, _IPV4_HINT))
            self._passes.append(("pii:ip", IPV6_RE, "<IP>", _valid_ipv6, _ipv6_hint))
        if p.phone:
            self._passes.append(("pii:phone", PHONE_RE, "<PHONE>", _valid_phone, _always))

    def redact(self, text: str) -> tuple[str, list[tuple[str, int]]]:
        """The redacted text and (rule, chars) per redaction, in pass order."""
        found: list[tuple[str, int]] = []
        for rule, pattern, placeholder, valid, hint in self._passes:
            if not hint(text):
                continue

            def replace(m: re.Match[str], rule=rule, placeholder=placeholder, valid=valid) -> str:
                value = m.group(0)
                if valid is not None and not valid(value):
                    return value
                found.append((rule, len(value)))
                return placeholder

            text = pattern.sub(replace, text)
        return text, found

    def apply(self, doc: Document, log: StageLog) -> Document:
        text, found = self.redact(doc.text)
        if found:
            for rule, chars in found:
                log.changed(doc, rule, chars=chars)
            doc.text = text
        return doc
