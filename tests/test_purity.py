"""The engine and the charts are pure Python: importing every one of their modules in a fresh
interpreter loads no Django (import-linter checks the import graph; this checks what actually
gets loaded, including imports inside functions run at import time and third-party packages
that pull Django in)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PURE = ("greenlight.engine", "greenlight.charts")

# Runs in the fresh interpreter: walks each package with pkgutil, like walk_packages but
# without importing the `tests` packages (walk_packages imports every package it meets, and
# tests may use Django), and names the first module after which Django was loaded.
SCRIPT = """
import importlib, json, pkgutil, sys

def walk(package):
    for info in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if info.name.rsplit(".", 1)[-1] == "tests":
            continue
        module = importlib.import_module(info.name)
        yield info.name
        if info.ispkg:
            yield from walk(module)

imported, culprit = [], None

def note(module):
    global culprit
    imported.append(module)
    if culprit is None and "django" in sys.modules:
        culprit = module

for name in sys.argv[1:]:
    note(importlib.import_module(name).__name__)
    for module in walk(sys.modules[name]):
        note(module)
loaded = sorted(m for m in sys.modules if m == "django" or m.startswith("django."))
print(json.dumps({"imported": imported, "culprit": culprit, "django": loaded}))
"""


def _import_in_a_fresh_interpreter(*packages: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *packages],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, f"importing {packages} failed:\n{done.stderr}"
    return json.loads(done.stdout.splitlines()[-1])


def test_engine_and_charts_import_without_django():
    # when every module of the pure packages is imported in a fresh interpreter
    found = _import_in_a_fresh_interpreter(*PURE)
    # then it found the engine's modules, and none of them loaded Django
    assert "greenlight.engine.schedule" in found["imported"]
    assert not any(".tests" in m for m in found["imported"])
    assert found["django"] == [], (
        f"{found['culprit']} loads Django ({', '.join(found['django'][:5])}, …); "
        "the engine and the charts must stay pure Python"
    )
