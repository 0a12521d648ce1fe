"""An SVG chart per area: each criterion's last result, this year's and the target.

Drawn on the server like the progress report's charts (planning/reports/charts.py,
whose frame and legend it reuses), so it shows without JavaScript, prints, and
carries its figures in words for a screen reader.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString

from planning.reports.charts import SANS, _legend, _short, _svg

from .tables import IndicatorRow, SetTable

PREVIOUS, ACTUAL, TARGET = "#9aa4b2", "#1b7f3b", "#b42318"
LABEL_WIDTH, BAR_WIDTH, ROW_HEIGHT = 300, 360, 26


def _share(row: IndicatorRow, value) -> float:
    """A value as a share of the criterion's scale: its maximum points, or 100%."""
    scale = row.indicator.maximum if row.indicator.maximum else 100
    return max(0.0, min(1.0, float(value) / float(scale))) if value is not None else 0.0


def area_chart(area: IndicatorRow, parts: list[IndicatorRow], *, font: str = SANS) -> SafeString:
    ident = f"chart-{area.indicator.pk}"
    height = 60 + ROW_HEIGHT * len(parts)
    title = f"{area.indicator.code}. {area.indicator.name}"
    body = [f'<text x="4" y="14" font-weight="bold">{escape(_short(title, 90))}</text>']
    body += _legend(
        [("Năm trước", PREVIOUS), ("Thực hiện", ACTUAL), ("Mục tiêu", TARGET)], y=34, x0=4
    )
    words = []
    for index, row in enumerate(parts):
        y = 48 + index * ROW_HEIGHT
        i = row.indicator
        cells = row.cells
        label = f"{i.code} {_short(i.name, 38)}"
        said = (
            f"{i.code}: năm trước {cells['previous'] or '—'}, thực hiện "
            f"{cells['actual'] or 'chưa có'}, mục tiêu {cells['target'] or '—'}"
        )
        words.append(said)
        body.append(f'<text x="4" y="{y + 14}">{escape(label)}</text>')
        x0 = LABEL_WIDTH
        body.append(
            f'<rect x="{x0}" y="{y + 3}" width="{BAR_WIDTH * _share(row, i.previous):.1f}" '
            f'height="8" fill="{PREVIOUS}"><title>{escape(said)}</title></rect>'
        )
        if row.actual is not None:
            body.append(
                f'<rect x="{x0}" y="{y + 12}" width="{BAR_WIDTH * _share(row, row.actual):.1f}" '
                f'height="8" fill="{ACTUAL}"><title>{escape(said)}</title></rect>'
            )
        if i.target is not None:
            x = x0 + BAR_WIDTH * _share(row, i.target)
            body.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + 23}" stroke="{TARGET}" '
                f'stroke-width="2"><title>{escape(said)}</title></line>'
            )
    return _svg(
        body,
        width=LABEL_WIDTH + BAR_WIDTH + 10,
        height=height,
        ident=ident,
        title=title,
        desc="; ".join(words) + ".",
        font=font,
    )


def area_charts(table: SetTable) -> list[SafeString]:
    """One chart per area (or SIPAS group) of the table, over its direct parts."""
    by_parent: dict[int, list[IndicatorRow]] = {}
    for row in table.rows:
        if row.indicator.parent_id:
            by_parent.setdefault(row.indicator.parent_id, []).append(row)
    return [
        area_chart(row, by_parent[row.indicator.pk])
        for row in table.rows
        if row.indicator.level == 1 and row.indicator.pk in by_parent
    ]
