"""How long a `greenlight` command takes before it does its work, beside its floors.

Run from the repository root:  .venv/bin/python bench/bench_cli_start.py [--rounds 9]

Times, as fresh processes taking turns round by round (so the shared machine's noise falls on
all of them alike), the median CPU time (user + system) of:
* `python -c pass`: the interpreter's floor;
* a bare Django 5.2 set-up (the contrib apps this project installs, no project code): the peer;
* `greenlight --help`: settings, every app and model, the hooks, the admin, then the command list;
* `greenlight replan ID` on one project of a small demo district in a throwaway SQLite file,
  and, in one warm process, the same command's own work (`call_command`, best of the rounds).
The overhead of `replan ID` is its process time less its warm work. Byte-code caches are written
(PYTHONDONTWRITEBYTECODE unset), as an installed package has them.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"

BARE_DJANGO = """
import django
from django.conf import settings
settings.configure(INSTALLED_APPS=[
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
    "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
    "django.contrib.humanize"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
django.setup()
from django.core.management import execute_from_command_line
execute_from_command_line(["django-admin", "help"])
"""


def cpu(cmd: list[str], env: dict) -> float:
    """The process's CPU seconds (user + system): on a shared machine the wall time measures
    the neighbours, the CPU time what the command itself costs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="greenlight-cli-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(
        DATABASE_URL=f"sqlite:///{work}/cli.sqlite3",
        GREENLIGHT_VAR_DIR=work,
        DJANGO_SETTINGS_MODULE="greenlight.settings",
    )
    os.environ.update(env)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    print("building a small demo district in", work, file=sys.stderr)
    subprocess.run(
        [BIN / "greenlight", "migrate", "--noinput"], env=env, check=True, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [BIN / "greenlight", "demo", "--projects", "20"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    import django

    django.setup()
    from django.core.management import call_command

    from greenlight.projects.models import Project

    project_id = str(Project.objects.order_by("id").values_list("id", flat=True).first())
    commands = {
        "python -c pass": [str(BIN / "python"), "-c", "pass"],
        "bare Django: setup + help": [str(BIN / "python"), "-c", BARE_DJANGO],
        "greenlight --help": [str(BIN / "greenlight"), "--help"],
        f"greenlight replan {project_id}": [str(BIN / "greenlight"), "replan", project_id],
    }
    for cmd in commands.values():  # byte-code caches written, files in the page cache
        cpu(cmd, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for n in range(args.rounds):
        print(f"round {n + 1}/{args.rounds}", file=sys.stderr)
        for name, cmd in commands.items():
            times[name].append(cpu(cmd, env))
    warm = float("inf")
    for _ in range(args.rounds):
        t0 = time.process_time()
        with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
            call_command("replan", project_id)
        warm = min(warm, time.process_time() - t0)

    load = os.getloadavg()
    floor = statistics.median(times["python -c pass"])
    print(
        f"\nload average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"median of {args.rounds} rounds, CPU seconds"
    )
    print("| command | CPU s | less the interpreter |\n|---|---:|---:|")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"| `{name}` | {med:.3f} | {med - floor:.3f} |")
    replan = statistics.median(times[f"greenlight replan {project_id}"])
    bare = statistics.median(times["bare Django: setup + help"])
    helps = statistics.median(times["greenlight --help"])
    print(
        f"\n`replan {project_id}` warm work {warm:.3f} s; its start-up overhead "
        f"{replan - warm:.3f} s"
    )
    print(f"`greenlight --help` / bare Django: {helps / bare:.1f}x")


if __name__ == "__main__":
    main()
