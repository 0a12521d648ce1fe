"""Fixtures for the long-list and caching tests.

Each test gets a private in-memory cache: the default file cache is shared by
every process on the machine (colleagues' test runs included), and these tests
count what is read from it.
"""

from datetime import date

import pytest
import time_machine

from tests.factories import make_agency, make_plan


@pytest.fixture(autouse=True)
def private_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "cchc-perf-tests",
        },
    }
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def frozen_today():
    """20/07/2022, in the middle of KH 192's year."""
    with time_machine.travel(date(2022, 7, 20), tick=False):
        yield date(2022, 7, 20)


@pytest.fixture
def plan(db):
    return make_plan("192/KH-UBND", year=2022)


@pytest.fixture
def many_agencies(db):
    """60 agencies, more than a page (50) of any agency table."""
    return [make_agency(f"PX{i:02d}", f"UBND phường Thử {i:02d}") for i in range(60)]
