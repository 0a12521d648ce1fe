"""Writes during a load run, so cached figures are recomputed as in real use.

    .venv/bin/python bench/load/writer.py PER_SECOND

Every 1/PER_SECOND seconds, records progress on one random generated
assignment (`last_progress_at`, through `AssignmentQuerySet.update`, which
changes the data generation on commit like every write in the application),
until killed. Run by bench/load/run.sh when WRITES_PER_SECOND is set, with the
server's environment (same database and cache).
"""

from __future__ import annotations

import os
import random
import signal
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.utils import timezone  # noqa: E402

from planning.generate import generated_assignments  # noqa: E402
from planning.models import Assignment  # noqa: E402


def main(per_second: float) -> None:
    rng = random.Random(1)
    ids = list(generated_assignments().values_list("pk", flat=True))
    pause = 1 / per_second
    writes = 0
    # run.sh stops it with SIGTERM (a background job ignores SIGINT).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            Assignment.objects.filter(pk=rng.choice(ids)).update(last_progress_at=timezone.now())
            writes += 1
            time.sleep(pause)
    finally:
        print(f"writer: {writes} writes", flush=True)


if __name__ == "__main__":
    main(float(sys.argv[1]))
