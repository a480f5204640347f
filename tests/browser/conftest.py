"""Browser tests: Playwright (sync API) driving Debian's chromium against live_server.

Never `playwright install`: the browser is the system's /usr/bin/chromium. axe-core
comes from npm (package.json at the root; `npm ci` installs it)."""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM, used by the
# test itself, would otherwise refuse to run next to it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# Generous: a CI machine running two suites side by side can stall a page for seconds; a
# passing run never waits this long, a hanging one still fails.
TIMEOUT_MS = 30_000
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason="/usr/bin/chromium is not installed "
                                                        "(apt-get install chromium)"))


@pytest.fixture(scope="session", autouse=True)
def _plain_http_live_server():
    """The live server loads its middleware once, before any test's settings fixture:
    switch the HTTPS redirect off for the whole session, before it starts."""
    from django.test import override_settings

    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser):
    """Pages in fresh contexts (one per person), Dutch, phone-sized or not."""
    contexts = []

    def _new_page(width: int = 1280):
        # bypass_csp: the page's Content-Security-Policy would refuse the injected axe-core.
        context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900},
                                      bypass_csp=True)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


def navigate(page, selector: str) -> None:
    """Click something that loads a new page and wait until that page has loaded.

    A bare click returns as soon as the click is dispatched; reading the page right after
    it races the navigation (and loses on a busy CI machine), so every navigating click
    goes through here."""
    with page.expect_navigation():
        page.click(selector)


def sign_in(page, live_server, user) -> None:
    """Log in through the real login page, passing the second factor when it is asked."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="browser-test",
                                                 defaults={"confirmed": True})
    page.goto(f"{live_server.url}/inloggen/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    navigate(page, "main button[type=submit]")
    if "/tweede-stap/" in page.url:
        token = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        page.fill("input[name=token]", f"{token:0{device.digits}d}")
        navigate(page, "main button[type=submit]")
    assert "/inloggen/" not in page.url and "/tweede-stap/" not in page.url, \
        f"login failed: {page.url}"


def axe_violations(page, impacts=("serious", "critical")) -> list[str]:
    """Run axe-core on the page; the violations of the given impacts, readable."""
    if not AXE.exists():
        # CI must really check; a newcomer's machine without npm skips with the reason.
        message = "axe-core is missing: run `npm ci --no-audit --no-fund` in the project root"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{page.url}: {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                        for n in v["nodes"][:3])
            for v in result["violations"] if v["impact"] in impacts]
