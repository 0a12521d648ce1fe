"""Two queue workers, one PostgreSQL, one Redis: every reminder still goes out once.

    .venv/bin/python bench/two_workers.py [--assignments 3000] [--sweeps 4]

1. a fresh PostgreSQL database (TWO_WORKERS_DB, default cchc_twoworkers) with
   the generated data set dated today, so reminders are due;
2. an SMTP server (aiosmtpd) on 127.0.0.1 that records every message;
3. two `manage.py qcluster` processes on the Redis broker
   (REDIS_URL=redis://127.0.0.1:6379/<TWO_WORKERS_REDIS_DB, default 9>),
   two workers each, sending through that SMTP server;
4. the `cchc-reminder-sweep` schedule is installed due now (setup_schedules)
   and more sweeps are queued at once, so sweeps run side by side on both
   clusters and compete for the same notices;
5. wait until the sweeps have finished and nothing is pending, stop the
   clusters, and compare: every notice marked sent reached the SMTP server in
   exactly one message per recipient, and no message arrived twice.
Exit status 0 when delivery was exactly once. Only talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("PGURL", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("TWO_WORKERS_DB", "cchc_twoworkers")
REDIS_URL = f"redis://127.0.0.1:6379/{os.environ.get('TWO_WORKERS_REDIS_DB', '9')}"
SWEEP_FUNC = "notifications.tasks.run_sweep"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SMTP_PORT = free_port()
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DJANGO_ENV": "development",
    "DATABASE_URL": f"{PG}/{DB}",
    "REDIS_URL": REDIS_URL,
    "EMAIL_HOST": "127.0.0.1",
    "EMAIL_PORT": str(SMTP_PORT),
    "Q_WORKERS": "2",
    "Q_SYNC": "false",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)
sys.path.insert(0, str(ROOT))


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=ENV, check=True)


def fresh_database() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB}"')
    manage("migrate", "--noinput", "-v0")


def squash(text: str) -> str:
    """Header folding adds and moves white space; compare subjects without it."""
    return " ".join(text.split())


class Recorder:
    """aiosmtpd handler: keeps (recipients, subject) of every message accepted."""

    def __init__(self) -> None:
        self.messages: list[tuple[tuple[str, ...], str]] = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy
        from email.utils import getaddresses

        message = message_from_bytes(envelope.content, policy=policy.default)
        to = tuple(sorted(a.lower() for _name, a in getaddresses(message.get_all("To", []))))
        self.messages.append((to, squash(str(message["Subject"]))))
        return "250 OK"


def start_clusters(n: int, log_dir: Path) -> list[subprocess.Popen]:
    procs = []
    for i in range(1, n + 1):
        log = open(log_dir / f"qcluster-{i}.log", "w")  # noqa: SIM115 - closed with the process
        procs.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "qcluster"],
                cwd=ROOT,
                env=ENV,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: stopped by id below
            )
        )
    return procs


def stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agencies", type=int, default=80)
    parser.add_argument("--plans", type=int, default=6)
    parser.add_argument("--assignments", type=int, default=3000)
    parser.add_argument("--sweeps", type=int, default=4, help="sweeps started at once")
    parser.add_argument("--timeout", type=int, default=240)
    args = parser.parse_args()

    import redis

    redis.Redis.from_url(REDIS_URL).ping()  # fails loudly without Redis
    print(f"== database {DB}, broker {REDIS_URL}, SMTP 127.0.0.1:{SMTP_PORT}")
    fresh_database()

    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.utils import timezone
    from django_q.models import Failure, Schedule, Success
    from django_q.status import Stat
    from django_q.tasks import async_task

    from notifications.models import Delivery, Notification, ReminderPolicy
    from notifications.schedules import SWEEP_SCHEDULE
    from planning.generate import generate

    summary = generate(
        agencies=args.agencies,
        plans=args.plans,
        assignments=args.assignments,
        seed=1,
        today=timezone.localdate(),
    )
    print(f"   {summary.assignments} assignments, {summary.rollup.open_overdue} overdue today")
    # Queue new notices whatever the hour of the run (the policy waits for 07:30).
    ReminderPolicy.objects.update_or_create(pk=1, defaults={"send_after": clock(0, 0)})
    redis.Redis.from_url(REDIS_URL).delete("django_q:cchc:q")  # only this run's queue

    recorder = Recorder()
    smtp = Controller(recorder, hostname="127.0.0.1", port=SMTP_PORT)
    smtp.start()
    log_dir = Path(tempfile.mkdtemp(prefix="two-workers-"))
    procs = start_clusters(2, log_dir)
    started = time.monotonic()
    try:
        manage("setup_schedules")  # creates cchc-reminder-sweep due now
        Schedule.objects.filter(name=SWEEP_SCHEDULE).update(next_run=timezone.now())
        for _ in range(args.sweeps - 1):
            async_task(SWEEP_FUNC)
        clusters_seen = 0
        while time.monotonic() - started < args.timeout:
            time.sleep(1)
            clusters_seen = max(clusters_seen, len(Stat.get_all()))
            done = Success.objects.filter(func=SWEEP_FUNC).count()
            failed = Failure.objects.filter(func=SWEEP_FUNC).count()
            pending = Notification.objects.filter(status=Notification.Status.PENDING).count()
            if done + failed >= args.sweeps and pending == 0:
                break
            if any(p.poll() is not None for p in procs):
                print("a qcluster exited early; see", log_dir, file=sys.stderr)
                return 2
        elapsed = time.monotonic() - started
    finally:
        stop(procs)
        time.sleep(0.5)  # let the last SMTP session end
        smtp.stop()

    by_status = Counter(Notification.objects.values_list("status", flat=True))
    # Each recipient has a copy of their own; rows of one e-mail share its Message-ID.
    copies_sent = set(
        Delivery.objects.filter(status=Delivery.Status.SENT).values_list(
            "message_id", "address", "notification__subject"
        )
    )
    expected = Counter(
        ((address.lower(),), squash(subject)) for _mid, address, subject in copies_sent
    )
    received = Counter(recorder.messages)
    duplicates = {k: n for k, n in received.items() if n > expected.get(k, 0)}
    missing = {k: n for k, n in expected.items() if received.get(k, 0) < n}
    results = [r.result for r in Success.objects.filter(func=SWEEP_FUNC)]
    per_sweep = [sum((r or {}).get("sent", {}).values()) for r in results]

    per_cluster = [
        sum(
            1
            for line in path.read_text().splitlines()
            if "processing" in line and SWEEP_FUNC in line
        )
        for path in sorted(log_dir.glob("qcluster-*.log"))
    ]
    print(f"== {elapsed:.1f} s; qcluster processes seen: {clusters_seen}")
    print(f"   sweeps run by each qcluster: {per_cluster}")
    sweep_failures = Failure.objects.filter(func=SWEEP_FUNC).count()
    print(f"   sweeps: {len(results)} succeeded, {sweep_failures} failed")
    print(f"   notices sent per sweep: {per_sweep} (sum {sum(per_sweep)})")
    print(f"   notices by status: {dict(by_status)}")
    print(f"   e-mails expected: {sum(expected.values())}, received: {len(recorder.messages)}")
    print(f"   duplicates: {len(duplicates)}, missing: {len(missing)}")
    for key in list(duplicates)[:2] + list(missing)[:2]:
        print("     ", key)
    ok = (
        not duplicates
        and not missing
        and sum(expected.values()) == len(recorder.messages) > 0
        and sum(per_sweep) == by_status.get(Notification.Status.SENT, 0)
        and not by_status.get(Notification.Status.PENDING)
    )
    print("EXACTLY ONCE" if ok else "NOT EXACTLY ONCE", f"(logs: {log_dir})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
