"""Numbers the Vietnamese way: "92,31%", "1.234", "24/26 (92,31%)"."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats, translation


def format_number(value, decimal_pos: int | None = None) -> str:
    """Format with the Vietnamese separators whatever the active language is."""
    with translation.override("vi"):
        return formats.number_format(
            value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True
        )


def format_ratio(value: Decimal | None) -> str:
    """Decimal("92.31") → "92,31%"; None (nothing to count) → "—"."""
    if value is None:
        return "—"
    return f"{format_number(value, decimal_pos=2)}%"


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A cell value that Excel or LibreOffice will not run as a formula.

    Text starting with = + - @ (or a tab / carriage return) gets a leading
    apostrophe, the OWASP-recommended neutraliser; numbers, dates and None
    pass through unchanged so they stay numbers and dates in the sheet.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
