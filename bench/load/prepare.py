"""Prepare a load run: the generated data set, logged-in sessions, target lists.

Run by bench/load/run.sh with the server's environment (same DATABASE_URL and
SECRET_KEY, since a session is only valid for the key that signed it):

    .venv/bin/python bench/load/prepare.py OUT_DIR

1. generate the data set (600 agencies, 50 plans, 100,000 assignments, seed 1)
   unless it is already there;
2. open sessions (the same rows a login writes) for the generated users:
   three for the coordinator g.dieuphoi, one for each officer of the five
   busiest agencies of every kind;
3. write OUT_DIR/<page>.targets, one "session<TAB>path" per line, which the
   Lua script picks from at random: the floor, the dashboard, plan pages,
   officer inboxes and assignment pages.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from agencies.models import Agency  # noqa: E402
from planning.generate import CODE_PREFIX, generate, generated_assignments  # noqa: E402
from planning.models import Plan  # noqa: E402

SIZE = {"agencies": 600, "plans": 50, "assignments": 100_000, "seed": 1}


def ensure_data() -> None:
    if generated_assignments().count() == SIZE["assignments"]:
        print("data set already generated")
        return
    summary = generate(**SIZE, replace=True, progress=lambda m: print("…", m))
    print("\n".join(summary.lines()))


def session_for(u: User) -> str:
    client = Client()
    client.force_login(u)
    return client.cookies["sessionid"].value


def main(out: Path) -> None:
    ensure_data()
    rng = random.Random(1)  # same targets on every run
    out.mkdir(parents=True, exist_ok=True)
    snv = Agency.objects.get(code=f"{CODE_PREFIX}SNV")
    coordinator = User.objects.get(username="g.dieuphoi")
    coordinators = [session_for(coordinator) for _ in range(3)]
    # Officers of the busiest agencies of each kind: the heaviest inboxes.
    busy = list(
        Agency.objects.filter(code__startswith=CODE_PREFIX)
        .exclude(pk=snv.pk)
        .annotate(n=Count("assignments"))
        .order_by("-n")
        .values_list("pk", "code", "kind", "n")
    )
    picked = []
    for kind in Agency.Kind.values:
        picked += [row for row in busy if row[2] == kind][:5]
    officers = {}
    for pk, code, _kind, n in picked:
        officers[pk] = session_for(User.objects.get(username=f"{code.lower()}.canbo"))
        print(f"officer of {code}: {n} assignments")
    plans = list(
        Plan.objects.filter(assignments__agency__code__startswith=CODE_PREFIX)
        .distinct()
        .values_list("pk", flat=True)
    )
    assignments = list(
        generated_assignments().filter(agency_id__in=officers).values_list("pk", "agency_id")
    )
    targets = {
        "ping": [("-", "/ping")],
        "floor": [("-", "/healthz")],
        "dashboard": [(s, "/bao-cao/") for s in coordinators],
        "plan": [(rng.choice(coordinators), f"/ke-hoach/{pk}/") for pk in rng.sample(plans, 20)],
        "inbox": [(s, "/viec-cua-don-vi/") for s in officers.values()],
        "assignment": [
            (officers[agency_id], f"/nhiem-vu/{pk}/")
            for pk, agency_id in rng.sample(assignments, 50)
        ],
    }
    for page, rows in targets.items():
        lines = "".join(f"{cookie}\t{path}\n" for cookie, path in rows)
        (out / f"{page}.targets").write_text(lines)
    print(f"targets written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
