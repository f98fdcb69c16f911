"""The `greenlight` console script: Django's management commands under one name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command, e.g. `greenlight demo` or `greenlight plan FILE`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlight.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    execute_from_command_line(["greenlight", *argv[1:]])


if __name__ == "__main__":
    main()
