"""Load benchmark: gunicorn on PostgreSQL with the demo district, driven by wrk.

    .venv/bin/python bench/load.py                      # 50 and 10 connections, 15 s each
    .venv/bin/python bench/load.py --connections 50 --seconds 30 --only api
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gl_load .venv/bin/python bench/load.py

Builds the demo into the database when it is empty (`greenlight demo --if-empty`), starts
`gunicorn greenlight.wsgi` as docs/operations.md deploys it (2 × CPUs + 1 `sync` workers, DEBUG
off; `--worker-class gthread --threads 4` compares another class), checks that each request answers
200 (a page's session passes the second factor), then for each request runs
`wrk` (Debian package `wrk`) at each connection count and prints one table: requests per second,
p50 and p99 latency, errors (non-2xx/3xx answers and socket errors), and the throughput as a
ratio to the `/healthz` ceiling measured in the same run, with the load average before and
after. The machine is shared: compare ratios, and rerun when the load average is high.

The API is asked with a Bearer token of the user named in the row; pages with a session of
that user (made in the database, as a login and its second factor would, signed with the
same SECRET_KEY as the server's).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/gl_load"


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    user: str | None  # None: anonymous
    kind: str  # "api" (Bearer) or "page" (session) or "plain"


def targets(ids: dict) -> list[Target]:
    """The requests measured: the ceiling first, then API lists and details, then pages."""
    p, a, t = ids["project"], ids["approval"], ids["ticket"]
    return [
        Target("/healthz (ceiling)", "/healthz", None, "plain"),
        Target("GET /api/v1/projects (coordinator)", "/api/v1/projects", "coordinator", "api"),
        Target("GET /api/v1/projects (company1)", "/api/v1/projects", "company1", "api"),
        Target("GET /api/v1/projects/{id}", f"/api/v1/projects/{p}", "coordinator", "api"),
        Target("GET /api/v1/approvals/queue", "/api/v1/approvals/queue", "approver", "api"),
        Target("GET /api/v1/approvals/{id}", f"/api/v1/approvals/{a}", "coordinator", "api"),
        Target("GET /api/v1/tickets", "/api/v1/tickets", "coordinator", "api"),
        Target("GET /api/v1/tickets/{id}", f"/api/v1/tickets/{t}", "coordinator", "api"),
        Target("GET /api/v1/openapi.json", "/api/v1/openapi.json", "coordinator", "api"),
        Target("work queue page (approver)", "/approvals/", "approver", "page"),
        Target("project list page", "/projects/", "coordinator", "page"),
        Target("leader dashboard page", "/", "leader", "page"),
    ]


# -- setting up ---------------------------------------------------------------------------------


def django_setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlight.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def ensure_database(database_url: str) -> None:
    """Create the database when the server has none of that name."""
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}", file=sys.stderr)


def prepare(database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url}
    cli = str(ROOT / ".venv" / "bin" / "greenlight")
    for args in (["migrate", "--noinput"], ["demo", "--if-empty"]):
        print("$ greenlight " + " ".join(args), file=sys.stderr)
        subprocess.run([cli, *args], env=env, check=True, cwd=ROOT)
    # The planner's statistics (copyload.vacuum_analyze), and its page costs for a database in
    # memory, as docs/operations.md sets them.
    import psycopg
    from copyload import vacuum_analyze

    name = database_url.rsplit("/", 1)[1]
    print(f"$ VACUUM ANALYZE; ALTER DATABASE {name} SET random_page_cost = 1.1", file=sys.stderr)
    vacuum_analyze(database_url)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f'ALTER DATABASE "{name}" SET random_page_cost = 1.1')


def credentials(users: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """A fresh API token and a session cookie per user (the session made as a login does)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from greenlight.accounts.middleware import SEEN
    from greenlight.accounts.models import ApiToken, User

    tokens, sessions = {}, {}
    for name in sorted(users):
        user = User.objects.get(username=name)
        _row, tokens[name] = ApiToken.issue(user=user, name="bench/load.py")
        s = SessionStore()
        s[SESSION_KEY] = str(user.pk)
        s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:  # the second factor passed, as the login's second step notes
            s[DEVICE_ID_SESSION_KEY] = device.persistent_id
        s[SEEN] = time.time()
        s.create()
        sessions[name] = s.session_key
    return tokens, sessions


def sample_ids() -> dict:
    """A project, an approval and a ticket of the demo district, the same ones every run."""
    from greenlight.approvals.models import Approval
    from greenlight.projects.models import Project
    from greenlight.tickets.models import Ticket

    project = Project.objects.filter(region__code="440306").order_by("pk").first()
    approval = Approval.objects.filter(project__region__code="440306").order_by("pk").first()
    ticket = Ticket.objects.filter(project__region__code="440306").order_by("pk").first()
    return {"project": project.pk, "approval": approval.pk, "ticket": ticket.pk}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(
    database_url: str, port: int, workers: int, worker_class: str, threads: int
) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "greenlight.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            worker_class,
            "--threads",
            str(threads),
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


# -- measuring ----------------------------------------------------------------------------------

_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    return float(m[1]) * _UNIT[m[2]] if m else float("nan")


@dataclass
class Result:
    rps: float
    p50: float
    p99: float
    requests: int
    errors: int


def run_wrk(url: str, *, connections: int, seconds: int, headers: list[str]) -> Result:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for h in headers:
        args += ["-H", h]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M)[1])
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M)[1])
    requests = int(re.search(r"(\d+) requests in", out)[1])
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad[1]) if bad else 0) + (sum(map(int, sock.groups())) if sock else 0)
    return Result(rps, p50, p99, requests, errors)


def answers_200(url: str, headers: list[str]) -> None:
    """The request as wrk sends it answers 200 (not a redirect to the login or to the second
    factor, which wrk would count as a success)."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as r:
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    if status != 200:
        raise SystemExit(f"{url} answers {status}, not 200: check the row's credentials")


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DB)
    ap.add_argument("--connections", type=int, nargs="+", default=[50, 10])
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    ap.add_argument("--worker-class", default="sync")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--only", default="", help="measure only rows whose name contains this")
    ns = ap.parse_args()
    if not ns.database_url.startswith("postgres"):
        raise SystemExit("bench/load.py measures on PostgreSQL: pass --database-url postgres://…")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")
    # one key for the sessions made here and the server that reads them
    os.environ["SECRET_KEY"] = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
    ensure_database(ns.database_url)
    prepare(ns.database_url)
    django_setup(ns.database_url)
    rows = targets(sample_ids())
    rows = [rows[0], *(t for t in rows[1:] if ns.only in t.name)]
    tokens, sessions = credentials({t.user for t in rows if t.user})
    port = free_port()
    server = start_gunicorn(ns.database_url, port, ns.workers, ns.worker_class, ns.threads)
    base = f"http://127.0.0.1:{port}"
    print(
        f"load average before (1 / 5 min): {load()}; {ns.workers} gunicorn {ns.worker_class} "
        f"workers × {ns.threads} threads, {os.cpu_count()} CPUs, {ns.seconds} s a row",
        file=sys.stderr,
    )
    table = []
    try:
        for c in ns.connections:
            ceiling = None
            for t in rows:
                headers = []
                if t.kind == "api":
                    headers.append(f"Authorization: Bearer {tokens[t.user]}")
                elif t.kind == "page":
                    headers.append(f"Cookie: sessionid={sessions[t.user]}")
                answers_200(base + t.path, headers)
                r = run_wrk(base + t.path, connections=c, seconds=ns.seconds, headers=headers)
                ceiling = ceiling or r.rps
                table.append((c, t.name, r, r.rps / ceiling, load()))
                print(f"  c={c} {t.name}: {r.rps:.0f} req/s, p99 {r.p99:.0f} ms", file=sys.stderr)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print("| conns | request | req/s | p50 ms | p99 ms | errors | of ceiling | load 1/5 min |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    for c, name, r, ratio, avg in table:
        print(
            f"| {c} | {name} | {r.rps:,.0f} | {r.p50:.0f} | {r.p99:.0f} | {r.errors} "
            f"| {ratio:.0%} | {avg} |"
        )
    print(f"\nload average after (1 / 5 min): {load()}")


if __name__ == "__main__":
    main()
