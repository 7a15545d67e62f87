"""remove_artifacts: line-level debris a scraper leaves in article text (share buttons, ad labels,
subscribe prompts, bylines, captions, "Source: <url>", polls, promos, footer blocks).

Why rules *and* position: the same words are debris in one place and article text in another
("Facebook" as a share button vs. a how-to subheading; "Jane Doe is a reporter..." as the closing
bio vs. a sentence in the body). So every rule of a pack (``configs/rules/<pack>.yaml``) says where it
may fire: anywhere, before the body (``top``), after it (``bottom``) or either (``edge``); a few fire
only in a run of their own kind (a row of share buttons). The body is found from the text itself:
lines long enough and ending like sentences. Structural cues that no regex can express (a page summary
glued together from the first paragraphs, a trailing photo caption, a separator left after the footer
was removed) are rules in code with ids too (``STRUCTURAL_RULES``), and can be disabled like pack rules.
Removing a footer exposes new bottom lines, so the rules run again until nothing changes.

Every removed line goes through ``log.removed(doc, "artifact:<rule id>", line)``; a mixed line keeps
its article part and the cut span is recorded the same way. Kept lines are byte-identical; blank-line
separation between kept lines is preserved (runs of removed lines collapse into one separator).
"""

from __future__ import annotations

import regex
from pydantic import Field

from cleaners.artifacts_rules import Rule, load_packs
from cleaners.document import Document
from cleaners.stage import DocumentStage, Params, StageLog

_TERMINAL = regex.compile(r"[.!?…:;][\"'”’“)\]»*]*$|[\"”’][.!?,]?$")
_WORD = regex.compile(r"\w+")
_SEPARATOR = regex.compile(r"^[\W_xX]{1,40}$")
# a sign-off ("God bless you all", "Stay with us") speaks to the reader; a caption describes a picture
_PERSONAL = regex.compile(r"\b(?:I|we|you|my|our|your|us|me|thanks?|bless|please)\b", regex.IGNORECASE)
_CAPTION_START = regex.compile(r"^[\p{Lu}\d\"“‘']")
_DEBRIS_LEFTOVER = " \t\u00a0-–—|:·•,"
_MAX_PASSES = 10
STRUCTURAL_RULES = ("trailing_caption", "trailing_separator", "teaser_repeat")


class RemoveArtifactsParams(Params):
    packs: list[str] = Field(
        default_factory=lambda: ["en"],
        description="rule packs, by name (configs/rules/<name>.yaml) or path; later packs add rules, "
        "a duplicate id keeps the first. Add a language's pack to clean that language's debris.",
    )
    disable: list[str] = Field(
        default_factory=list,
        description="rule ids to switch off (pack rules or the structural trailing_caption, trailing_separator, "
        "teaser_repeat), for a corpus where a rule removes real text",
    )
    body_min_words: int = Field(
        12,
        ge=1,
        description="a line with at least this many words ending like a sentence is article body; top/bottom "
        "rules fire only outside the body. Lower finds the body sooner (fewer edge lines considered debris).",
    )
    edge_lines: int = Field(
        3,
        ge=0,
        description="the first and last N lines always count as top/bottom zone, even when they look like body "
        "(author bios and footers are long sentences too). Higher catches longer footers, risks last paragraphs.",
    )
    caption_max_words: int = Field(
        20,
        ge=0,
        description="a last line without sentence punctuation and at most this many words, right after a body "
        "paragraph, is taken for a photo caption (0 disables). Higher catches long captions, risks list endings.",
    )
    regex_timeout: float = Field(
        0.25,
        gt=0,
        description="seconds one pattern may spend on one line; a pattern that exceeds it counts as no match "
        "(counter artifact:regex_timeout) instead of hanging the run",
    )


class RemoveArtifacts(DocumentStage):
    """Drop debris lines and cut debris spans by rule packs and structural cues (see module doc)."""

    name = "remove_artifacts"
    Params = RemoveArtifactsParams

    def __init__(self, params: RemoveArtifactsParams | None = None) -> None:
        super().__init__(params)
        p = self.params
        disabled = frozenset(p.disable)
        self.rules: list[Rule] = load_packs(list(p.packs), disabled)
        self.line_rules = [r for r in self.rules if r.action != "cut"]
        self.cut_rules = [r for r in self.rules if r.action == "cut"]
        self.caption = p.caption_max_words > 0 and "trailing_caption" not in disabled
        self.separator = "trailing_separator" not in disabled
        self.teaser_repeat = "teaser_repeat" not in disabled

    # -- helpers ---------------------------------------------------------------------------------

    def _search(self, rule: Rule, text: str, log: StageLog) -> regex.Match | None:
        try:
            return rule.pattern.search(text, timeout=self.params.regex_timeout)
        except TimeoutError:
            log.counters["artifact:regex_timeout"] += 1
            return None

    def _is_body(self, line: str) -> bool:
        s = line.strip()
        return len(_WORD.findall(s)) >= self.params.body_min_words and bool(_TERMINAL.search(s))

    def _is_teaser(self, line: str) -> bool:
        """A headline-shaped line of a teaser list: short and not ending like a sentence."""
        s = line.strip()
        return len(_WORD.findall(s)) <= 25 and not _TERMINAL.search(s)

    def _zones(self, lines: list[str], alive: list[int]) -> tuple[set[int], set[int]]:
        """(top, bottom): line indices before the first / after the last body line, plus the edge lines."""
        n = len(alive)
        body = [k for k, i in enumerate(alive) if self._is_body(lines[i])]
        first, last = (body[0], body[-1]) if body else (n, -1)
        edge = self.params.edge_lines
        top = {i for k, i in enumerate(alive) if k < first or k < edge}
        bottom = {i for k, i in enumerate(alive) if k > last or k >= n - edge}
        return top, bottom

    @staticmethod
    def _in_zone(rule: Rule, i: int, top: set[int], bottom: set[int]) -> bool:
        if rule.where == "any":
            return True
        if rule.where == "top":
            return i in top
        if rule.where == "bottom":
            return i in bottom
        return i in top or i in bottom

    # -- the stage -------------------------------------------------------------------------------

    def apply(self, doc: Document, log: StageLog) -> Document:
        text = doc.text or ""
        if not text.strip():
            return doc
        original = [line.rstrip("\r") for line in text.split("\n")]  # CR of CRLF is line ending
        lines = list(original)
        alive = [bool(s.strip()) for s in lines]
        reason: dict[int, tuple[str, str]] = {}  # line -> (reason, family)

        def remove(i: int, rule: Rule) -> None:
            alive[i] = False
            reason[i] = (rule.reason, rule.family)
            log.removed(doc, rule.reason, lines[i])

        runs: dict[int, Rule] = {}  # button-like lines waiting for a neighbour of their family
        checked: dict[int, tuple[str, bool, bool]] = {}  # what each line looked like when last checked
        for _ in range(_MAX_PASSES):  # removing footers exposes the lines above them as the new bottom
            changed = False
            live = [i for i, a in enumerate(alive) if a]
            top, bottom = self._zones(lines, live)
            for i in live:
                state = (lines[i], i in top, i in bottom)
                if not alive[i] or checked.get(i) == state:
                    continue  # same text in the same zone: the rules would say the same as last pass
                checked[i] = state
                s = lines[i].strip()
                hit = None
                for rule in self.line_rules:
                    if rule.max_chars is not None and len(s) > rule.max_chars:
                        continue
                    if self._in_zone(rule, i, top, bottom) and self._search(rule, s, log):
                        hit = rule
                        break
                if hit is not None:
                    if hit.in_run:
                        runs[i] = hit
                        continue
                    remove(i, hit)
                    changed = True
                    if hit.action == "to_end":
                        for j in range(i + 1, len(lines)):
                            if alive[j]:
                                remove(j, hit)
                        break
                    if hit.action == "block":
                        for j in range(i + 1, len(lines)):
                            if alive[j] and not self._is_teaser(lines[j]):
                                break
                            if alive[j]:
                                remove(j, hit)
                    continue
                changed |= self._cut(doc, i, lines, alive, reason, top, bottom, log)
            runs = {i: rule for i, rule in runs.items() if alive[i]}
            changed |= self._resolve_runs(doc, runs, alive, reason, lines, log)
            changed |= self._structural(doc, lines, alive, reason, log)
            if not changed:
                break
        doc.text = _join(original, lines, alive)
        return doc

    def _cut(self, doc, i, lines, alive, reason, top, bottom, log) -> bool:
        """Cut debris spans out of a line (mixed lines); the line goes when nothing of it is left."""
        changed = False
        for rule in self.cut_rules:
            if not self._in_zone(rule, i, top, bottom):
                continue
            line = lines[i]
            offset = max(0, len(line) - rule.tail_chars) if rule.tail_chars else 0
            m = self._search(rule, line[offset:] if offset else line, log)
            if m is None or m.end() == m.start():
                continue
            log.removed(doc, rule.reason, m.group(0))
            head, tail = line[: offset + m.start()], line[offset + m.end() :]
            lines[i] = head.rstrip() + (" " if head.strip() and tail.strip() else "") + tail.lstrip()
            changed = True
            if not lines[i].strip(_DEBRIS_LEFTOVER):
                alive[i] = False
                reason[i] = (rule.reason, rule.family)
                return True
        return changed

    @staticmethod
    def _resolve_runs(doc, runs, alive, reason, lines, log) -> bool:
        """Button-like lines ("Facebook", "Email") go only next to another one or a removed line of their family."""
        if not runs:
            return False
        families = {rule.family for rule in runs.values()}
        # lines removed for other reasons are transparent: "Facebook / Advertisement / Email" is still a row
        seen = [i for i, a in enumerate(alive) if a or reason.get(i, ("", ""))[1] in families]
        pos = {i: k for k, i in enumerate(seen)}
        doomed = []
        for i, rule in runs.items():
            k = pos[i]
            neighbours = [seen[k - 1]] if k else []
            neighbours += [seen[k + 1]] if k + 1 < len(seen) else []
            if any(j in runs or reason.get(j, ("", ""))[1] == rule.family for j in neighbours):
                doomed.append(i)
        for i in doomed:
            alive[i] = False
            reason[i] = (runs[i].reason, runs[i].family)
            log.removed(doc, runs[i].reason, lines[i])
        return bool(doomed)

    def _structural(self, doc, lines, alive, reason, log) -> bool:
        """Cues of position and shape: a teaser glued from the first paragraphs at the top; a separator
        or a photo caption left as the last line."""
        live = [i for i, a in enumerate(alive) if a]
        changed = False
        if self.teaser_repeat and len(live) >= 3 and _repeats_following(lines, live):
            i = live.pop(0)
            alive[i] = False
            reason[i] = ("artifact:teaser_repeat", "structure")
            log.removed(doc, "artifact:teaser_repeat", lines[i])
            changed = True
        if self.separator and len(live) >= 2 and _SEPARATOR.match(lines[live[-1]].strip()):
            i = live.pop()
            alive[i] = False
            reason[i] = ("artifact:trailing_separator", "structure")
            log.removed(doc, "artifact:trailing_separator", lines[i])
            changed = True
        if not self.caption or len(live) < 2:
            return changed
        last = lines[live[-1]].strip()
        words = len(_WORD.findall(last))
        shouting = sum(1 for w in last.split() if len(w) >= 3 and w.isupper())
        if (
            4 <= words <= self.params.caption_max_words
            and not _TERMINAL.search(last)
            and not any(c in last for c in ',:;“”"')
            and _CAPTION_START.match(last)
            and shouting <= 1
            and not _PERSONAL.search(last)
            and self._is_body(lines[live[-2]])
        ):
            i = live[-1]
            alive[i] = False
            reason[i] = ("artifact:trailing_caption", "caption")
            log.removed(doc, "artifact:trailing_caption", lines[i])
            changed = True
        return changed


def _repeats_following(lines: list[str], live: list[int], window: int = 10) -> bool:
    """The first line is a page summary made of the next lines glued together (one whole line, then the
    start of the line after it): the text itself follows, so the summary is a duplicate. A first line that
    repeats only one paragraph (a dek) is left alone."""
    first = lines[live[0]].strip()
    for k in range(1, min(window, len(live) - 1)):
        part = lines[live[k]].strip()
        if len(part) < 20 or not first.startswith(part) or len(first) - len(part) < 20:
            continue
        rest = first[len(part) :].strip()
        if lines[live[k + 1]].strip().startswith(rest):
            return True
    return False


def _join(original: list[str], lines: list[str], alive: list[bool]) -> str:
    """Kept lines in order; two kept lines are separated by a blank line when the input had one between them."""
    out: list[str] = []
    blank_between = False
    for i, line in enumerate(lines):
        if alive[i]:
            if out:
                out.append("\n\n" if blank_between else "\n")
            out.append(line)
            blank_between = False
        elif not original[i].strip():
            blank_between = True
    return "".join(out)
