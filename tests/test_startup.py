"""Start-up stays light: the heavy libraries load where they are used (a solve, a workbook),
not when Django sets up for a CLI command or a worker loads the URL conf."""

import subprocess
import sys

HEAVY = ("scipy", "numpy", "openpyxl")


def _loaded_after(code: str) -> set[str]:
    probe = (
        "import os, sys\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'greenlight.settings')\n"
        "import django\n"
        "django.setup()\n"
        f"{code}\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    return {m for m in out.stdout.strip().split(",") if m}


def test_django_setup_for_a_cli_command_loads_no_heavy_library():
    assert _loaded_after("") == set()


def test_the_url_conf_loads_no_heavy_library():
    assert _loaded_after("from django.urls import resolve; resolve('/')") == set()
