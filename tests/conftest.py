"""Fixtures for cross-app and browser tests.

`browser_page` drives the system Chromium (/usr/bin/chromium, installed by `make test` from
Debian's packages; Playwright's own browser download is never used) against pytest-django's
live server, with a fresh profile directory per test. Mark browser tests `@pytest.mark.browser`.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "reports" / "screenshots"


@pytest.fixture
def playwright_driver():
    """Playwright's sync API, started per test. Its event loop runs in the test's thread, so
    Django's async-safety guard is lifted for exactly as long as it runs."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps` (apt chromium fonts-noto-cjk).")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def browser_page(playwright_driver, live_server, tmp_path):
    """A Chromium page with a fresh user-data-dir; `page.url_for(path)` builds live-server URLs."""
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "chromium-profile"), executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS,
        locale="zh-CN", viewport={"width": 1366, "height": 860})
    context.set_default_timeout(15_000)
    page = context.pages[0] if context.pages else context.new_page()
    page.url_for = lambda path: f"{live_server.url}{path}"
    try:
        yield page
    finally:
        context.close()


def save_screenshot(page, name: str) -> Path:
    """reports/screenshots/<name>.png, full page."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
