"""What planning tells the layers above it, without importing them.

`notifications` sits above `planning` (docs/ARCHITECTURE.md): a workflow write
cannot call it. Instead every place that records history announces the
events it wrote with `announce(events)`; `notifications` listens (its
`ready()`) and turns them into in-app notices. Receivers run inside the
writer's transaction, so a notice exists exactly when its event does.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.dispatch import Signal

events_recorded = Signal()
"""Sent with `events`: the `AssignmentEvent` rows just saved (with their pks)."""


def announce(events: Sequence) -> None:
    if events:
        events_recorded.send(sender="planning", events=list(events))
