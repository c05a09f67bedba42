"""Suite-wide browser fixtures (for ``zhenwu/`` and ``tests/`` alike): ONE Debian Chromium
for the whole session, a fresh context and page per test. See ``zhenwu.testing.browser``
for why browser tests run last."""

import pytest

from zhenwu.testing.browser import CHROMIUM, DESKTOP, PHONE, launch_chromium, open_page


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests last: from their start to the session's end an event loop is running."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (apt-get install -y chromium)")
    pytest.importorskip("playwright.sync_api")
    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def browser_page(browser, live_server):
    """A desktop-width page on the test server (relative URLs work), ``page.watch`` attached."""
    with open_page(browser, live_server.url, DESKTOP, timeout_ms=10_000) as page:
        yield page


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-width (390 px) page on the test server, ``page.watch`` attached."""
    with open_page(browser, live_server.url, PHONE) as page:
        yield page
