"""Shared personas and fixtures.

Who may see what:
- `coordinator`: Sở Nội vụ staff; sees and manages everything.
- `officer_stp`: an officer of Sở Tư pháp; sees only Sở Tư pháp's assignments.
- `officer_stc`: an officer of Sở Tài chính; must never see Sở Tư pháp's work.
- `viewer`: a leader of the People's Committee; reads everything, changes nothing.
- `client` (not logged in): an anonymous visitor; sees only the login page.
"""

from __future__ import annotations

import os
import shutil

import pytest

from agencies.models import Membership

from .factories import make_agency, make_user


@pytest.fixture(scope="session", autouse=True)
def _fresh_cache(tmp_path_factory):
    """A cache of this run's own: the development file cache (var/cache) outlives
    test runs, and cached figures of an earlier run must never answer this one."""
    from django.test import override_settings

    location = tmp_path_factory.mktemp("cache")
    backend = "django.core.cache.backends.filebased.FileBasedCache"
    from django.conf import settings

    caches = {**settings.CACHES, "default": {"BACKEND": backend, "LOCATION": str(location)}}
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache: rows rolled back with a test give
    their ids to the next test's rows (SQLite reuses them), so an entry keyed by
    a user's id (the header's notice count) must not outlive its test. The
    cache directory is this worker's own (`_fresh_cache`)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def snv(db):
    return make_agency("SNV", "Sở Nội vụ")


@pytest.fixture
def stp(db):
    return make_agency("STP", "Sở Tư pháp", aliases="Sở TP")


@pytest.fixture
def stc(db):
    return make_agency("STC", "Sở Tài chính")


@pytest.fixture
def coordinator(snv):
    return make_user("dieuphoi", agency=snv, role=Membership.Role.COORDINATOR)


@pytest.fixture
def officer_stp(stp):
    return make_user("canbo.stp", agency=stp, role=Membership.Role.OFFICER)


@pytest.fixture
def officer_stc(stc):
    return make_user("canbo.stc", agency=stc, role=Membership.Role.OFFICER)


@pytest.fixture
def viewer(snv):
    return make_user("lanhdao", agency=snv, role=Membership.Role.VIEWER)


def client_for(client, user):
    client.force_login(user)
    return client


# --- Browser tests -------------------------------------------------------------
# Debian's Chromium driven by Playwright; never `playwright install`.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright runs an event loop
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir(request):
    """Where to save step screenshots, or None: only with --screenshots."""
    if not request.config.getoption("--screenshots"):
        return None
    path = os.path.join(str(request.config.rootpath), "docs", "screenshots")
    os.makedirs(path, exist_ok=True)
    return path


def pytest_addoption(parser):
    parser.addoption(
        "--screenshots",
        action="store_true",
        default=False,
        help="save a screenshot of each step of the browser tests under docs/screenshots/",
    )
