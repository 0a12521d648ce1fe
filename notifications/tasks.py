"""Task functions django-q2 runs; each fetches nothing itself and calls one service.

`run_sweep` is what the `cchc-reminder-sweep` schedule runs. Keep its dotted
name: the health check reads django-q's Success rows for
`notifications.tasks.run_sweep` to report the last successful sweep.
"""

from __future__ import annotations

from .sweep import sweep


def run_sweep() -> dict:
    """One reminder sweep for today; the result is stored on django-q's Success row."""
    return sweep().as_dict()
