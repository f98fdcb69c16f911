"""The test identity provider as a process on a free port, and a person's way through it: the
platform's sign-on page sends the browser to the provider, the person logs in there, the
provider sends the browser back to the platform's callback with a code."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "greenlight-test", "greenlight-test-secret-0123456789"
REDIRECT_URI = "http://testserver/account/sso/callback/"
PASSWORD = "Provider@2026"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _private_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@dataclass
class Provider:
    """A running provider: its base URL, its directory of users and their claims."""

    base: str
    directory: Path
    process: subprocess.Popen
    users: dict = field(default_factory=dict)

    @property
    def issuer(self) -> str:
        return f"{self.base}/o"

    def settings(self) -> dict:
        """The platform's settings for this provider (as an operator sets them in .env)."""
        return {
            "OIDC_OP_ISSUER": self.issuer,
            "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.base}/o/authorize/",
            "OIDC_OP_TOKEN_ENDPOINT": f"{self.base}/o/token/",
            "OIDC_OP_USER_ENDPOINT": f"{self.base}/o/userinfo/",
            "OIDC_OP_JWKS_ENDPOINT": f"{self.base}/o/.well-known/jwks.json",
            "OIDC_RP_CLIENT_ID": CLIENT_ID,
            "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_ENABLED": True,
        }

    def set_claims(self, username: str, **claims) -> None:
        """Change what the provider says of a user (takes effect at their next token)."""
        self.users[username]["claims"].update(claims)
        self._write()

    def reset(self, users: dict[str, dict]) -> None:
        """Every user's claims back to `users` (each test starts from the same directory)."""
        for name, claims in users.items():
            self.users[name]["claims"] = dict(claims)
        self._write()

    def _write(self) -> None:
        self.directory.write_text(json.dumps({"users": self.users}, ensure_ascii=False), "utf-8")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def start(tmp: Path, users: dict[str, dict], redirect_uri: str = REDIRECT_URI) -> Provider:
    """Start the provider with `users` (username -> claims); wait until it answers."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    entries = {name: {"password": PASSWORD, "claims": dict(c)} for name, c in users.items()}
    directory = tmp / "directory.json"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_DIRECTORY": str(directory),
        "OIDC_PROVIDER_DB": str(tmp / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": _private_key(),
        "OIDC_PROVIDER_ISSUER": f"{base}/o",
        "OIDC_PROVIDER_CLIENT_ID": CLIENT_ID,
        "OIDC_PROVIDER_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_PROVIDER_REDIRECT_URI": redirect_uri,
    }
    env.pop("DATABASE_URL", None)
    log = open(tmp / "provider.log", "w")  # kept open: the process writes to it
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    provider = Provider(base=base, directory=directory, process=process, users=entries)
    provider._write()
    _wait(provider, tmp / "provider.log")
    return provider


def _wait(provider: Provider, log: Path, seconds: float = 60) -> None:
    url = f"{provider.issuer}/.well-known/openid-configuration"
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if provider.process.poll() is not None:
            raise RuntimeError(f"the provider stopped:\n{log.read_text()}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    provider.stop()
    raise RuntimeError(f"the provider did not answer in {seconds} s:\n{log.read_text()}")


def through_provider(authorize_url: str, username: str, password: str = PASSWORD) -> str:
    """A browser at the provider: log in, be sent back. Returns the callback URL (path+query)."""
    browser = requests.Session()
    answer = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text[:500]
    login = urljoin(authorize_url, answer.headers["Location"])
    browser.get(login, timeout=10)
    query = dict(part.split("=", 1) for part in urlsplit(login).query.split("&") if part)
    answer = browser.post(
        login,
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["provider_csrftoken"],
            "next": requests.utils.unquote(query.get("next", "")),
        },
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text[:500]
    answer = browser.get(
        urljoin(login, answer.headers["Location"]), allow_redirects=False, timeout=10
    )
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == REDIRECT_URI, back
    return f"{back.path}?{back.query}"
