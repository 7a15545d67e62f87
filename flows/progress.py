"""A one-line progress display for terminal users; silent when stderr is not a TTY (logs, CI, cron)."""

from __future__ import annotations

import sys
import time


class ProgressLine:
    """Documents, docs/s and ETA by input bytes, redrawn as shard passes finish."""

    def __init__(self, total_units: float, enabled: bool | None = None) -> None:
        self.total = max(total_units, 1.0)
        self.done = 0.0
        self.docs = 0
        self.started = time.monotonic()
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def advance(self, units: float, docs: int) -> None:
        self.done += units
        self.docs += docs
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        frac = min(self.done / self.total, 1.0)
        eta = elapsed * (1 - frac) / frac if frac > 0 else 0.0
        bar = "#" * int(frac * 30)
        sys.stderr.write(
            f"\r[{bar:<30}] {frac:6.1%} {self.docs:,} docs {self.docs / elapsed:,.0f} docs/s ETA {eta:,.0f}s  "
        )
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")
            sys.stderr.flush()
