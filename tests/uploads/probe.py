"""Run one hostile upload through the command and the web page, in a process of its own.

    python -m tests.uploads.probe plan|sheet FILE

Prints one JSON line: for the command and for the page, whether the file was
refused, the message and the seconds taken; and the process's peak resident
memory (`ru_maxrss`, which covers C allocations too: lxml's trees, which
tracemalloc does not see). A process of its own, so that the peak is this
upload's and nothing the test runner did before. The database is SQLite in
memory, migrated first (its cost is in the peak, a small one).
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import tempfile
import time


def main(kind: str, path: str) -> None:
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ["CACHE_DIR"] = tempfile.mkdtemp()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import CommandError, call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from agencies.models import Membership
    from tests.factories import make_agency, make_user

    setup_test_environment()
    call_command("migrate", verbosity=0)
    result = {}

    out = io.StringIO()
    started = time.monotonic()
    try:
        if kind == "plan":
            call_command("import_plan", path, "--dry-run", "--number", "1/KH", stdout=out)
        else:
            call_command("import_assignments", path, "--dry-run", stdout=out, stderr=out)
        result["command"] = {"refused": False, "message": out.getvalue()}
    except CommandError as exc:
        result["command"] = {"refused": True, "message": f"{out.getvalue()}{exc}"}
    result["command"]["seconds"] = time.monotonic() - started

    user = make_user("dieuphoi", agency=make_agency("SNV"), role=Membership.Role.COORDINATOR)
    client = Client()
    client.force_login(user)
    url = reverse("plan_import:upload" if kind == "plan" else "spreadsheets:upload")
    with open(path, "rb") as file:
        upload = SimpleUploadedFile(os.path.basename(path), file.read())
    started = time.monotonic()
    response = client.post(url, {"file": upload})
    result["page"] = {
        "status": response.status_code,
        "html": response.content.decode(),
        "seconds": time.monotonic() - started,
    }
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:])
