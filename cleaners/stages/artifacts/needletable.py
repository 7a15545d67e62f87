"""Write ``needles.json``: the needles of every shipped rule pack, derived once (see ``needles``).

    make needles        # after editing a pack in configs/rules/ or the derivation code

A stale table is never wrong, only slower: ``needs`` derives what the table lacks or does not vouch
for. tests/unit/test_needle_table.py fails until the table is rewritten, so the wheel ships a current one.
"""

from __future__ import annotations

import json
from dataclasses import astuple

from boilerclean.cleaners.resources import RULES_DIR
from boilerclean.cleaners.stages.artifacts.needles import PYTHON, TABLE, code_stamp, derive
from boilerclean.cleaners.stages.artifacts.rules import load_pack


def shipped_patterns() -> list[str]:
    """The pattern of every rule in every pack under configs/rules/."""
    return sorted({rule.pattern.pattern for pack in sorted(RULES_DIR.glob("*.yaml")) for rule in load_pack(str(pack))})


def table() -> str:
    """The file's content: the code stamp and, per pattern, (prefixes, factors, cheap)."""
    rows = {
        pattern: [None if part is None else list(part) for part in astuple(derive(pattern))]
        for pattern in shipped_patterns()
    }
    return (
        json.dumps(
            {"python": PYTHON, "stamp": code_stamp(), "needs": rows}, ensure_ascii=False, indent=1, sort_keys=True
        )
        + "\n"
    )


def main() -> None:
    TABLE.write_text(table(), encoding="utf-8")
    print(f"{TABLE}: needles of {len(shipped_patterns())} patterns")


if __name__ == "__main__":
    main()
