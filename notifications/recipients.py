"""Who receives a notice: an agency's officers, its contact addresses, the coordinators.

Kept apart from the sweep because the rule ("officers unless digest-only, else
the agency's contact addresses") is policy that people ask about on its own.
"""

from __future__ import annotations

from collections.abc import Iterable

from agencies.models import Agency, Membership

from .models import Notification

Kind = Notification.Kind


class Recipients:
    """Who receives what; one query per agency per sweep, cached.

    Reminders go to the agency's officers (users with an e-mail address who did
    not choose digest-only), else to the agency's contact addresses. Digests go
    to all its officers, else the contact addresses. Escalations go to the
    coordinators (not digest-only) and the agency's leader; the monthly summary
    to every coordinator.
    """

    def __init__(self) -> None:
        self._members: dict[tuple[int | None, str], list[tuple[str, bool]]] = {}

    def _emails(self, *, agency_id: int | None, role: str) -> list[tuple[str, bool]]:
        key = (agency_id, role)
        if key not in self._members:
            members = Membership.objects.filter(role=role, user__is_active=True).exclude(
                user__email=""
            )
            if agency_id is not None:
                members = members.filter(agency_id=agency_id)
            self._members[key] = list(
                members.order_by("user__email").values_list("user__email", "digest_only")
            )
        return self._members[key]

    def officers(self, agency: Agency, *, digest: bool) -> list[str]:
        found = [
            email
            for email, digest_only in self._emails(
                agency_id=agency.pk, role=Membership.Role.OFFICER
            )
            if digest or not digest_only
        ]
        return _unique(found or agency.email_list)

    def coordinators(self, *, digest: bool) -> list[str]:
        return _unique(
            email
            for email, digest_only in self._emails(agency_id=None, role=Membership.Role.COORDINATOR)
            if digest or not digest_only
        )

    def escalation(self, agency: Agency) -> list[str]:
        leader = [agency.leader_email] if agency.leader_email else []
        return _unique([*self.coordinators(digest=False), *leader])

    def for_notice(self, row: Notification) -> list[str]:
        """Who receives this notice, by its kind."""
        if row.kind == Kind.NOTICE:
            notice = getattr(row, "notice", None)  # gone if the assignment was deleted
            return _unique([notice.user.email]) if notice is not None else []
        if row.kind == Kind.MONTHLY_SUMMARY:
            return self.coordinators(digest=True)
        if row.kind == Kind.WEEKLY_DIGEST:
            return self.officers(row.agency, digest=True)
        if row.kind == Kind.ESCALATION:
            return self.escalation(row.agency)
        return self.officers(row.agency, digest=False)


def _unique(addresses: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for address in addresses:
        seen.setdefault(address.strip().lower(), None)
    return [a for a in seen if a]
