"""The API over real HTTP, as another system calls it (the issue's done-when)."""

from __future__ import annotations

import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db(transaction=True)


def _get(url: str, key: str):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_a_token_from_the_command_reads_plans_and_an_agency_token_only_its_own(live_server):
    call_command("load_demo", stdout=io.StringIO())
    out = io.StringIO()
    call_command("create_api_token", "Hệ thống báo cáo tỉnh", stdout=out)
    key = out.getvalue().strip()
    status, plans = _get(f"{live_server.url}/api/v1/plans/", key)
    assert status == 200
    assert "192/KH-UBND" in [p["number"] for p in plans["results"]]
    out = io.StringIO()
    call_command("create_api_token", "Phần mềm STC", "--agency", "STC", stdout=out)
    stc_key = out.getvalue().strip()
    status, own = _get(f"{live_server.url}/api/v1/assignments/", stc_key)
    assert status == 200 and own["count"] > 0
    assert {a["agency"] for a in own["results"]} == {"STC"}
    status, everything = _get(f"{live_server.url}/api/v1/assignments/?agency=STP", key)
    other = everything["results"][0]["id"]
    status, error = _get(f"{live_server.url}/api/v1/assignments/{other}/", stc_key)
    assert status == 404 and error["error"]["code"] == "not_found"
