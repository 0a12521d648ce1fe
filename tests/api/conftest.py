"""API personas: systems holding tokens, beside the page personas of tests/conftest.py.

- `report_system`: a province reporting system, no agency: reads every published
  plan, as a leader does; never writes.
- `stp_system`: Sở Tư pháp's own software, write token: sees and reports on Sở Tư
  pháp's assignments only, as its officers do.
- `stc_system`: Sở Tài chính's, read-only: must never see Sở Tư pháp's work.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from planning.api.tokens import create_token


class TokenClient(APIClient):
    def __init__(self, key: str, **kwargs):
        super().__init__(**kwargs)
        self.key = key
        self.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.fixture
def report_system(snv):
    _token, key = create_token(name="Hệ thống báo cáo tỉnh")
    return TokenClient(key)


@pytest.fixture
def stp_system(stp):
    _token, key = create_token(name="Phần mềm STP", agency=stp, can_write=True)
    return TokenClient(key)


@pytest.fixture
def stc_system(stc):
    _token, key = create_token(name="Phần mềm STC", agency=stc)
    return TokenClient(key)
