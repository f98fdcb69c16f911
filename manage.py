#!/usr/bin/env python
"""Django's manage.py; `greenlight` (the console script) does the same."""

from greenlight.cli import main

if __name__ == "__main__":
    main()
