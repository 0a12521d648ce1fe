"""KH 192 with its appendix of targets, and the personas who look at it.

Who may see what (the agencies are the demo registry's, which names the leads
of KH 192's criteria):
- `coordinator`: Sở Nội vụ staff; sees every criterion, enters and reviews results.
- `viewer`: a leader of the People's Committee; reads every criterion, enters nothing.
- `officer_snv`: an officer of Sở Nội vụ; sees and enters the criteria Sở Nội vụ leads.
- `officer_stp`: an officer of Sở Tư pháp; sees only Sở Tư pháp's criteria.
- `officer_syt`: an officer of Sở Y tế, which leads no criterion: sees no indicator page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agencies.models import Agency, Membership
from planning.demo import load_agencies
from planning.indicators.services import save_indicators
from tests.factories import make_plan, make_user

# The demo keeps a copy of the published plan (the same bytes as ../shared).
KH192_TEXT = Path(__file__).resolve().parents[2] / "planning/demo/kh-192-2022/plan.txt"


@pytest.fixture(scope="session")
def kh192_text() -> str:
    return KH192_TEXT.read_text(encoding="utf-8")


@pytest.fixture
def registry(db):
    load_agencies()
    return {a.code: a for a in Agency.objects.all()}


@pytest.fixture
def kh192(registry, kh192_text):
    plan = make_plan("192/KH-UBND", year=2022)
    save_indicators(plan=plan, text=kh192_text)
    return plan


def _user(name, registry, code, role):
    return make_user(name, agency=registry[code], role=role)


@pytest.fixture
def coordinator(registry):
    return _user("dieuphoi", registry, "SNV", Membership.Role.COORDINATOR)


@pytest.fixture
def viewer(registry):
    return _user("lanhdao", registry, "VPUBND", Membership.Role.VIEWER)


@pytest.fixture
def officer_snv(registry):
    return _user("canbo.snv", registry, "SNV", Membership.Role.OFFICER)


@pytest.fixture
def officer_stp(registry):
    return _user("canbo.stp", registry, "STP", Membership.Role.OFFICER)


@pytest.fixture
def officer_syt(registry):
    return _user("canbo.syt", registry, "SYT", Membership.Role.OFFICER)
