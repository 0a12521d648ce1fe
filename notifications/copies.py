"""Each recipient's copy of a notice (`Delivery` rows): made once, recorded as the server answers.

A notice used to be one e-mail to all its recipients, marked sent when
`send()` returned, although the server may have refused some of them. Now each
recipient gets a copy of their own, recorded per address, so that:

- a 4xx refusal (or a dropped connection) is retried for that address only,
  with the notice's backoff, until the policy's last attempt;
- a 5xx refusal is final and shown, with the server's reply, on the log page;
- an address already served is never sent the notice again, whatever happens
  to the others;
- a retry is the same e-mail: same rows, same Message-ID (`emails.message_id`).

The notice row stays the unit that workers claim (`delivery.claim`), so the
exactly-once argument is unchanged: only the worker holding the claim reads or
writes the copies of that notice.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime

from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from . import emails
from .models import Delivery, Notification, ReminderPolicy
from .recipients import Recipients
from .transport import Outcome

Status = Notification.Status
Copy = Delivery.Status
NO_RECIPIENT = "Không có địa chỉ người nhận."


def make_copies(rows: list[Notification], *, recipients: Recipients) -> None:
    """Write the copies of the rows that have none yet (their first attempt).

    Rows of one group (same kind, agency, due date, step) share one e-mail, so
    each address gets one Message-ID for the group: that of its first row. A
    row that already has copies (retried, or re-claimed after a crashed worker)
    keeps them, so recipients are fixed at the first attempt.
    """
    have = set(
        Delivery.objects.filter(notification__in=rows).values_list("notification_id", flat=True)
    )
    fresh = [r for r in rows if r.pk not in have]
    if not fresh:
        return
    first = min(r.pk for r in fresh)
    addresses = recipients.for_notice(fresh[0])
    Delivery.objects.bulk_create(
        Delivery(notification=r, address=a, message_id=emails.message_id(first, a))
        for r in fresh
        for a in addresses
    )


def open_copies(rows: list[Notification]) -> dict[tuple[str, str], list[Notification]]:
    """{(Message-ID, address): the rows that e-mail covers} for copies still to send."""
    by_pk = {r.pk: r for r in rows}
    found: dict[tuple[str, str], list[Notification]] = defaultdict(list)
    copies = (
        Delivery.objects.filter(notification__in=rows, status__in=Delivery.OPEN)
        .order_by("message_id", "address", "notification_id")
        .values_list("notification_id", "message_id", "address")
    )
    for notice_pk, message_id, address in copies:
        found[(message_id, address)].append(by_pk[notice_pk])
    return found


def record(rows: list[Notification], address: str, outcome: Outcome, *, now: datetime) -> None:
    """What the server said to one address, on the copies of these rows, at once:
    a worker that dies after this line has lost nothing already answered."""
    values: dict = {"attempts": F("attempts") + 1, "reply": outcome.reply[:1000]}
    if outcome.state == "sent":
        values.update(status=Copy.SENT, sent_at=now, next_attempt_at=None)
    elif outcome.state == "refused":
        values.update(status=Copy.REFUSED, next_attempt_at=None)
    else:
        values.update(status=Copy.DEFERRED)
    Delivery.objects.filter(
        notification__in=rows, address=address, status__in=Delivery.OPEN
    ).update(**values)


def skip(rows: list[Notification], reason: str) -> None:
    """Rows whose work was finished, withdrawn or re-dated: nothing more goes out."""
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=Status.SKIPPED, last_error=reason
    )
    Delivery.objects.filter(notification__in=rows, status__in=Delivery.OPEN).update(
        status=Copy.SKIPPED, next_attempt_at=None
    )


def settle(
    rows: list[Notification],
    *,
    now: datetime,
    policy: ReminderPolicy,
    subjects: dict[int, str],
    error: str = "",
) -> Counter:
    """Set each row's status from its copies; returns a Counter of the statuses set.

    1. A copy still open (deferred, or not tried because of `error`) keeps the
       row pending with the policy's backoff, the same time on its open copies;
       after the last attempt those copies are given up.
    2. Otherwise the row is sent if anyone got it, else failed; a row without
       any copy and without an error had no recipient.
    Rows with the same values are updated in one statement (a group usually
    shares them all).
    """
    copies: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    found = (
        Delivery.objects.filter(notification__in=rows)
        .order_by("address")
        .values_list("notification_id", "address", "status", "reply")
    )
    for notice_pk, address, status, reply in found:
        copies[notice_pk].append((address, status, reply))
    outcome: Counter = Counter()
    updates: dict[tuple, list[int]] = defaultdict(list)
    reopened: dict[datetime | None, list[int]] = defaultdict(list)
    for row in rows:
        mine = copies[row.pk]
        still_open = any(status in Delivery.OPEN for _a, status, _r in mine)
        problems = Notification.problems_of(mine)
        values = {
            "recipients": ",".join(a for a, _s, _r in mine),
            "last_error": (error or problems)[:2000],
        }
        if row.pk in subjects:
            values["subject"] = subjects[row.pk][:300]
        if not mine and not error:
            values.update(status=Status.FAILED, last_error=NO_RECIPIENT)
        elif (still_open or not mine) and row.attempts < policy.max_attempts:
            values["next_attempt_at"] = now + policy.retry_delay(row.attempts)
            reopened[values["next_attempt_at"]].append(row.pk)
        else:
            if still_open:
                reopened[None].append(row.pk)  # given up after the last attempt
            served = any(status == Copy.SENT for _a, status, _r in mine)
            values.update(status=Status.SENT if served else Status.FAILED)
            if served:
                values["sent_at"] = now
        outcome[values.get("status", Status.PENDING)] += 1
        updates[tuple(sorted(values.items()))].append(row.pk)
    for values, pks in updates.items():
        Notification.objects.filter(pk__in=pks).update(**dict(values))
    for retry_at, pks in reopened.items():
        still = Delivery.objects.filter(notification__in=pks, status__in=Delivery.OPEN)
        if retry_at is None:
            still.update(status=Copy.GAVE_UP, next_attempt_at=None)
        else:
            still.update(next_attempt_at=retry_at)
    return outcome


def retry_now(*, now: datetime | None = None) -> int:
    """Make every temporarily failed copy due now; returns how many copies.

    What an operator runs after fixing the mail server (`send_reminders
    --retry-now`), followed by the send phase.

    1. Copies given up after the last attempt (their notice is sent or
       failed, so no worker holds it) become deferred again, and their notice
       pending: one more attempt each.
    2. A pending notice is brought forward only if its `next_attempt_at` is
       still the retry time its deferred copies were given. A notice that a
       worker has claimed and is sending right now carries its lease instead
       (claim time + 15 min, later than that retry time): bringing it forward
       would let a second worker claim it and send the same copies twice.
    """
    now = now or timezone.now()
    given_up = set(
        Delivery.objects.filter(status=Copy.GAVE_UP).values_list("notification_id", flat=True)
    )
    count = 0
    for pk in given_up:
        revived = Notification.objects.filter(
            pk=pk, status__in=[Status.SENT, Status.FAILED]
        ).update(status=Status.PENDING, next_attempt_at=now)
        if revived:
            count += Delivery.objects.filter(notification_id=pk, status=Copy.GAVE_UP).update(
                status=Copy.DEFERRED, next_attempt_at=now
            )
    settled_retry = Delivery.objects.filter(
        notification=OuterRef("pk"),
        status=Copy.DEFERRED,
        next_attempt_at=OuterRef("next_attempt_at"),
    )
    due = list(
        Notification.objects.filter(status=Status.PENDING, next_attempt_at__gt=now)
        .filter(Exists(settled_retry))
        .values_list("pk", "next_attempt_at")
    )
    for pk, retry_at in due:
        moved = Notification.objects.filter(
            pk=pk, status=Status.PENDING, next_attempt_at=retry_at
        ).update(next_attempt_at=now)
        if moved:
            count += Delivery.objects.filter(notification_id=pk, status=Copy.DEFERRED).update(
                next_attempt_at=now
            )
    return count
