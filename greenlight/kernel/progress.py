"""A small progress bar for long commands (imports, demo generation, recomputation)."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Prints `label [#####.....] 42/100 0:03` to a terminal, or a few plain lines elsewhere."""

    def __init__(self, label: str, total: int, *, stream: TextIO | None = None, width: int = 30):
        self.label, self.total, self.width = label, max(total, 1), width
        self.stream = stream or sys.stderr
        self.done = 0
        self.started = time.monotonic()
        self.tty = getattr(self.stream, "isatty", lambda: False)()
        self._last_pct = -1

    def advance(self, n: int = 1) -> None:
        """Count `n` more units done and redraw when the shown figure changes."""
        self.done = min(self.done + n, self.total)
        pct = self.done * 100 // self.total
        if self.tty and pct != self._last_pct:
            self._draw("\r")
        elif not self.tty and pct // 25 != self._last_pct // 25:
            self._draw("")
            self.stream.write("\n")
        self._last_pct = pct

    def finish(self) -> None:
        """Draw the full bar and end the line."""
        self.done = self.total
        self._draw("\r" if self.tty else "")
        self.stream.write("\n")
        self.stream.flush()

    def _draw(self, prefix: str) -> None:
        filled = self.width * self.done // self.total
        elapsed = int(time.monotonic() - self.started)
        bar = "#" * filled + "." * (self.width - filled)
        self.stream.write(
            f"{prefix}{self.label} [{bar}] {self.done}/{self.total} {elapsed // 60}:{elapsed % 60:02d}"
        )
        self.stream.flush()
