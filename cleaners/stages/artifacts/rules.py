"""Rule packs for ``remove_artifacts``: YAML files of named regexes, one family of debris per rule.

Patterns live in ``configs/rules/<pack>.yaml`` rather than in code so that a new site's debris or a
new language is a reviewed data change, and so that every removal carries a rule id a user can grep
for (``artifact:<id>``). Patterns come from configuration, i.e. from users: they are compiled with
the ``regex`` module and probed against hostile inputs under a timeout at load time, and matched
under a timeout at run time, so a catastrophic pattern can neither hang a run nor slip in unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
import yaml

from boilerclean.cleaners.resources import RULES_DIR

ACTIONS = ("line", "cut", "to_end", "block")
"""line: the whole line is debris; cut: only the matched span is (mixed lines);
to_end: the line opens a footer block (author archive, author bio) that runs to the end;
block: the line heads a list of teasers; it and the headline-shaped lines under it go."""

WHERE = ("any", "top", "bottom", "edge")
"""Where a rule may fire: anywhere, before the article body, after it, or either of the two."""

_PROBES = ("a" * 3000 + "!", " " * 3000 + "x", "a " * 1500 + "!", "http://" + "a." * 1500 + "/", "1" * 3000 + "x")
_KEYS = {"id", "family", "pattern", "action", "where", "max_chars", "tail_chars", "in_run", "case_sensitive"}
_KEYS |= {"description"}


class RulePackError(ValueError):
    """A rule pack that cannot be used; the message names the file and the rule id."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One compiled rule of a pack."""

    id: str
    family: str
    pattern: regex.Pattern
    action: str = "line"
    where: str = "any"
    max_chars: int | None = None
    tail_chars: int | None = None
    in_run: bool = False
    description: str = ""
    pack: str = ""

    @property
    def reason(self) -> str:
        return f"artifact:{self.id}"


def resolve_pack(name: str) -> Path:
    """``en`` -> ``<repo>/configs/rules/en.yaml``; anything with a suffix or a slash is a path."""
    if name.endswith((".yaml", ".yml")) or "/" in name or "\\" in name:
        return Path(name).expanduser()
    return RULES_DIR / f"{name}.yaml"


def compile_pattern(pattern: str, *, case_sensitive: bool, where: str, probe_timeout: float = 1.0) -> regex.Pattern:
    """Compile with ``regex`` and refuse patterns that blow up on long degenerate inputs."""
    flags = regex.VERSION0 | (0 if case_sensitive else regex.IGNORECASE)
    try:
        compiled = regex.compile(pattern, flags)
    except regex.error as exc:
        raise RulePackError(f"{where}: invalid regex: {exc}") from None
    for probe in _PROBES:
        try:
            compiled.search(probe, timeout=probe_timeout)
        except TimeoutError:
            raise RulePackError(
                f"{where}: pattern takes over {probe_timeout}s on a {len(probe)}-character probe "
                "(catastrophic backtracking?); rewrite it without nested quantifiers"
            ) from None
    return compiled


def _rule(item: Any, path: Path, index: int) -> Rule:
    where = f"{path} rule #{index}"
    if not isinstance(item, dict):
        raise RulePackError(f"{where}: a rule is a mapping with id, family, pattern")
    unknown = set(item) - _KEYS
    if unknown:
        raise RulePackError(f"{where}: unknown keys {sorted(unknown)}; valid keys: {sorted(_KEYS)}")
    for key in ("id", "family", "pattern"):
        if not isinstance(item.get(key), str) or not item[key]:
            raise RulePackError(f"{where}: '{key}' must be a non-empty string")
    where = f"{path} rule {item['id']!r}"
    action = item.get("action", "line")
    position = item.get("where", "any")
    if action not in ACTIONS:
        raise RulePackError(f"{where}: action {action!r} is not one of {', '.join(ACTIONS)}")
    if position not in WHERE:
        raise RulePackError(f"{where}: where {position!r} is not one of {', '.join(WHERE)}")
    for key in ("max_chars", "tail_chars"):
        value = item.get(key)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
            raise RulePackError(f"{where}: {key} must be a positive integer")
    return Rule(
        id=item["id"],
        family=item["family"],
        pattern=compile_pattern(item["pattern"], case_sensitive=bool(item.get("case_sensitive", False)), where=where),
        action=action,
        where=position,
        max_chars=item.get("max_chars"),
        tail_chars=item.get("tail_chars"),
        in_run=bool(item.get("in_run", False)),
        description=str(item.get("description", "")).strip(),
        pack=path.stem,
    )


def load_pack(name: str) -> list[Rule]:
    """Read and compile one pack; every problem is a ``RulePackError`` naming file and rule."""
    path = resolve_pack(name)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        available = ", ".join(sorted(p.stem for p in RULES_DIR.glob("*.yaml"))) or "(none)"
        raise RulePackError(
            f"rule pack {name!r}: cannot read {path}: {exc.strerror or exc}; packs: {available}"
        ) from None
    except yaml.YAMLError as exc:
        raise RulePackError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulePackError(f"{path}: a pack is a mapping with a 'rules:' list")
    rules = [_rule(item, path, i) for i, item in enumerate(data["rules"])]
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RulePackError(f"{path}: duplicate rule id {rule.id!r}")
        seen.add(rule.id)
    return rules


def load_packs(names: list[str], disabled: frozenset[str] | set[str] = frozenset()) -> list[Rule]:
    """All rules of ``names`` in order, minus the disabled ids (first pack wins on a duplicate id)."""
    rules: list[Rule] = []
    seen: set[str] = set()
    for name in names:
        for rule in load_pack(name):
            if rule.id in seen or rule.id in disabled:
                continue
            seen.add(rule.id)
            rules.append(rule)
    return rules
