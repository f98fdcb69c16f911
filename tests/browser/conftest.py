"""Playwright driving Debian's chromium (never a downloaded browser); skips without it."""

import base64
import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no chromium at {CHROMIUM}: install Debian's chromium and fonts-noto-cjk")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture(autouse=True)
def _plain_http_cookies(settings):
    """The live server speaks plain http (production cookies are Secure, behind TLS): as with
    `make run`, which sets SECURE_COOKIES=false for http://127.0.0.1."""
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def shot(page):
    """Save a full-page screenshot under var/screenshots/ for people to look at."""

    def take(name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def expect(target):
    """Playwright's retrying assertion: what a click's answer should show is waited for (up to
    5 s), where a plain `is_visible()` or `count()` reads whatever document is there yet."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def login(page, base: str, username: str, password: str = "pw-for-tests") -> None:
    """Log in through the real pages: the password, then the second factor where the role needs
    one (enrolling on first login: the key is read off the page as a phone app would scan it)."""
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    if page.url.endswith("/account/mfa/"):
        secret = page.get_attribute("#totp-secret", "data-secret")
        page.fill("input[name=otp]", totp_code(base64.b32decode(secret)))
        page.click("main button[type=submit]")
        page.wait_for_load_state()
    elif page.url.endswith("/account/login/verify/"):
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        page.fill("input[name=otp]", unused_code(device))
        page.click("main button[type=submit]")
        page.wait_for_load_state()


def unused_code(device) -> str:
    """The current code, or the next one if this one was used already (django-otp refuses a
    replay within its 30 s): what the app shows once the person waits for it."""
    import time

    from django_otp.oath import totp

    now_t = int(time.time() - device.t0) // device.step
    drift = 1 if device.last_t is not None and device.last_t >= now_t else 0
    return str(totp(device.bin_key, drift=drift)).zfill(6)


def totp_code(key: bytes) -> str:
    """The code an authenticator app shows now for `key` (RFC 6238, 30 s, 6 digits)."""
    from django_otp.oath import totp

    return str(totp(key)).zfill(6)
