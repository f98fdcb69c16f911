"""The charts are pure Python: every module of the package imports without Django."""

import subprocess
import sys
from pathlib import Path

import greenlight.charts

PACKAGE = Path(greenlight.charts.__file__).parent

IMPORT_ALL = """
import importlib, pkgutil, sys
import greenlight.charts as package
names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
print(" ".join(names))
print("django" in sys.modules)
"""


def test_every_charts_module_imports_without_django():
    # given a fresh interpreter / when every module found by walking the package is imported
    out = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL], capture_output=True, text=True, check=True
    )
    names, django_loaded = out.stdout.strip().splitlines()
    # then the walk found every module on disk (tests included)
    on_disk = {
        "greenlight.charts." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
        for p in PACKAGE.rglob("*.py")
        if p.name != "__init__.py"
    }
    assert on_disk <= set(names.split()) and "greenlight.charts.layout" in on_disk
    # and Django was never loaded
    assert django_loaded == "False"
