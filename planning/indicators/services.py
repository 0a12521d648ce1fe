"""Writes of indicators: a plan's tables saved, results recorded and reviewed.

Each is a small keyword-only function in one transaction, so a table is never
half saved and a result never half reviewed. Views and commands call these;
they check access first (`planning.indicators.access`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from agencies import access
from agencies.matching import AgencyDirectory
from planning.models import Plan
from planning.uploads import SniffedType, attach_evidence

from .models import Indicator, IndicatorResult, IndicatorResultEvent, IndicatorSet
from .reading import IndicatorWarning, ReadIndicators, ReadSet, read_indicators

SET_ORDER = {IndicatorSet.Kind.PAR_INDEX: 1, IndicatorSet.Kind.SIPAS: 2}


@dataclass
class SavedIndicators:
    sets: list[IndicatorSet] = field(default_factory=list)
    indicators: int = 0
    warnings: list[IndicatorWarning] = field(default_factory=list)


class ResultLocked(Exception):
    """An approved result is the coordinator's to change, not the agency's."""


@transaction.atomic
def save_indicators(
    *,
    plan: Plan,
    text: str | None = None,
    read: ReadIndicators | None = None,
    directory: AgencyDirectory | None = None,
) -> SavedIndicators:
    """Save the indicator tables read from the plan's text (or given as `read`).

    1. one set per kind, updated in place, so results recorded against a
       criterion survive a second import of the same plan;
    2. rows matched by code; rows the text no longer has are removed;
    3. lead and following agencies resolved through the agency registry; a
       name it does not know stays as written and is reported as a warning.
    """
    if read is None:
        read = read_indicators(text if text is not None else plan.source_text)
    directory = directory or AgencyDirectory()
    saved = SavedIndicators(warnings=list(read.warnings))
    unknown: dict[str, list[str]] = {}
    for read_set in read.sets:
        indicator_set = _save_set(plan, read_set, directory, unknown)
        saved.sets.append(indicator_set)
        saved.indicators += len(read_set.indicators)
    for name, codes in unknown.items():
        suggestion = directory.suggest(name)
        message = (
            f"cơ quan «{name}» ({', '.join(codes)}) chưa có trong danh mục cơ quan; "
            "đã giữ nguyên tên như văn bản ghi."
        )
        if suggestion:
            message += f" Có phải «{suggestion.name}»?"
        saved.warnings.append(IndicatorWarning(None, "Chỉ tiêu: " + message))
    return saved


def _save_set(
    plan: Plan, read_set: ReadSet, directory: AgencyDirectory, unknown: dict[str, list[str]]
) -> IndicatorSet:
    indicator_set, _ = IndicatorSet.objects.update_or_create(
        plan=plan,
        kind=read_set.kind,
        defaults={
            "title": read_set.title,
            "order": SET_ORDER.get(read_set.kind, 9),
            "source_line": read_set.line,
        },
    )
    existing = {i.code: i for i in indicator_set.indicators.all()}
    by_code: dict[str, Indicator] = {}
    for order, row in enumerate(read_set.indicators, start=1):
        indicator = existing.pop(row.code, None) or Indicator(indicator_set=indicator_set)
        lead = directory.resolve(row.lead_text) if row.lead_text else None
        if row.lead_text and lead is None:
            unknown.setdefault(row.lead_text, []).append(row.code or row.name)
        for name, value in {
            "parent": by_code.get(row.parent_code) if row.parent_code else None,
            "order": order,
            "level": row.level,
            "is_total": row.is_total,
            "code": row.code,
            "name": row.name,
            "unit": row.unit,
            "maximum": row.maximum,
            "previous": row.previous,
            "comparison": row.comparison,
            "target": row.target,
            "lead": lead,
            "lead_text": row.lead_text,
            "lead_inherited": row.lead_inherited,
            "following_text": row.following_text,
            "source_line": row.line,
        }.items():
            setattr(indicator, name, value)
        indicator.save()
        following = [a for a in (directory.resolve(n) for n in row.following_names) if a]
        indicator.following_agencies.set(following)
        by_code[row.code] = indicator
    for stale in existing.values():
        stale.delete()
    return indicator_set


def load_demo_indicators(plan: Plan) -> SavedIndicators:
    """KH 192's appendix of targets, read from the demo's copy of the plan
    (the one line `load_demo` calls after the tasks are in)."""
    from planning.demo import PLAN_DIR  # the demo package imports the planning models

    from .links import propose_links

    saved = save_indicators(plan=plan, text=(PLAN_DIR / "plan.txt").read_text(encoding="utf-8"))
    propose_links(plan=plan)  # proposals only: a coordinator confirms them
    return saved


@transaction.atomic
def record_result(
    *,
    indicator: Indicator,
    period_end: date,
    value: Decimal,
    by: User,
    evidence: str = "",
    file: UploadedFile | None = None,
    sniffed: SniffedType | None = None,
) -> IndicatorResult:
    """A result for one period: a coordinator's is published (approved at once),
    an agency's measured value waits for review, like a completion.

    1. An agency may correct its value while it waits or after it was returned,
       never once approved (`ResultLocked`): the row is locked while checked, so
       a review and a correction arriving together do not both win.
    2. An evidence file (checked by `uploads.validate_evidence`) is stored
       under a random name like a completion's; a correction without a new
       file keeps the one sent before.
    3. Each entry is a step in the result's history (`IndicatorResultEvent`).
    """
    coordinator = access.is_coordinator(by)
    result = (
        IndicatorResult.objects.select_for_update()
        .filter(indicator=indicator, period_end=period_end)
        .first()
    )
    if result is None:
        result = IndicatorResult(indicator=indicator, period_end=period_end)
    elif result.status == IndicatorResult.Status.APPROVED and not coordinator:
        raise ResultLocked
    result.value = value
    result.evidence = evidence
    result.entered_by = by
    if file is not None:
        previous = result.file.name if result.file else ""
        attach_evidence(result, file, sniffed)
        if previous:
            transaction.on_commit(lambda: default_storage.delete(previous))
    if coordinator:
        result.status = IndicatorResult.Status.APPROVED
        result.reviewed_by, result.reviewed_at = by, timezone.now()
    else:
        result.status = IndicatorResult.Status.SUBMITTED
        result.reviewed_by, result.reviewed_at = None, None
    result.review_note = ""
    result.save()
    action = IndicatorResultEvent.Action
    IndicatorResultEvent.objects.create(
        result=result,
        action=action.PUBLISHED if coordinator else action.SUBMITTED,
        value=value,
        note=evidence,
        by=by,
    )
    return result


@transaction.atomic
def review_result(
    *, result: IndicatorResult, by: User, approve: bool, note: str = ""
) -> IndicatorResult:
    """Approve an agency's value, or return it with the reason; only a waiting one."""
    locked = IndicatorResult.objects.select_for_update().get(pk=result.pk)
    if locked.status != IndicatorResult.Status.SUBMITTED:
        return locked
    locked.status = IndicatorResult.Status.APPROVED if approve else IndicatorResult.Status.RETURNED
    locked.reviewed_by, locked.reviewed_at, locked.review_note = by, timezone.now(), note
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    action = IndicatorResultEvent.Action
    IndicatorResultEvent.objects.create(
        result=locked,
        action=action.APPROVED if approve else action.RETURNED,
        value=locked.value,
        note=note,
        by=by,
    )
    return locked
