"""Browser tests: Playwright's sync API driving Debian's /usr/bin/chromium (never a download)."""

import os
from pathlib import Path

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def browser(monkeypatch):
    """A Chromium for one test.

    Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls
    while a loop runs. The test body's own ORM calls are still synchronous and safe, so the
    check is lifted while this browser is open and restored when it closes: every other
    test keeps Django's async-safety check.
    """
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("未找到 /usr/bin/chromium：请先运行 make browser 安装 Chromium 与中文字体")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
        # While a loop runs, Django keeps this thread's connections apart (asgiref Local), so
        # the test body's ORM calls opened their own; close them before the loop stops, or
        # they outlive the test and hold the test database open.
        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def shot(page):
    """Save a screenshot when E2E_SHOTS names a folder (used to look at pages by eye)."""
    folder = os.environ.get("E2E_SHOTS")

    def take(name, full_page=True):
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)

    return take
