"""Server-rendered SVG charts: they show in the browser, print, and go into the PDF.

No JavaScript and no external asset (closed government network). Each chart is
an `<svg role="img">` labelled by its `<title>` and `<desc>`; the description
states the figures in words, and every bar segment and point has its own
`<title>`, so a screen reader (and a tooltip) gives the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .statistics import MonthPoint, Row

SANS = "'Segoe UI', 'Noto Sans', 'DejaVu Sans', Arial, sans-serif"

# The four categories of the published form, in reading order.
CATEGORIES = (
    ("done_on_time", "Hoàn thành đúng hạn", "#1b7f3b"),
    ("done_late", "Hoàn thành trễ hạn", "#e9a23b"),
    ("open_not_overdue", "Chưa đến hạn", "#6b8fd6"),
    ("open_overdue", "Quá hạn", "#b42318"),
)


def _category_value(row: Row, name: str) -> int:
    if name == "open_not_overdue":
        return row.open_not_overdue
    return getattr(row.rollup, name)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(
    body: list[str], *, width: int, height: int, ident: str, title: str, desc: str, font: str
) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="{escape(font)}" '
        f'font-size="12">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")  # noqa: S308 - every text is escaped


def _legend(items: Sequence[tuple[str, str]], *, y: int, x0: int) -> list[str]:
    parts, x = [], x0
    for label, color in items:
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{color}"/>'
            f'<text x="{x + 16}" y="{y}">{escape(label)}</text>'
        )
        x += 24 + int(len(label) * 6.6)
    return parts


def agency_extremes(
    rows: Sequence[Row], *, shown: int, title: str, ident: str = "chart-agencies"
) -> SafeString:
    """The `shown` best and `shown` worst agencies of a ranking (best first), with
    a line saying how many lie between; every agency when there are few.

    Six hundred bars are unreadable (and made the dashboard's HTML heavy): the
    ends of the ranking are what a reader acts on, and the paginated table
    and the downloads keep every agency.
    """
    if len(rows) <= 2 * shown + 1:
        return agency_bars(rows, title=title, ident=ident)
    omitted = len(rows) - 2 * shown
    return agency_bars(
        [*rows[:shown], *rows[-shown:]],
        title=f"{title}: {shown} cơ quan cao nhất và {shown} cơ quan thấp nhất "
        f"trong {len(rows)} cơ quan",
        ident=ident,
        gap=(shown, omitted),
    )


def agency_bars(
    rows: Sequence[Row],
    *,
    title: str,
    ident: str = "chart-agencies",
    font: str = SANS,
    gap: tuple[int, int] | None = None,
) -> SafeString:
    """One horizontal bar per agency, split into the four categories (absolute counts).

    `gap=(index, omitted)` draws a line "… N cơ quan khác …" before rows[index].
    """
    # count_w leaves room for the widest label after the longest bar ("1.234/5.678 (100,00%)").
    width, label_w, count_w, row_h, top = 760, 250, 130, 22, 40
    bar_w = width - label_w - count_w
    height = top + row_h * (max(len(rows), 1) + (1 if gap else 0)) + 10
    biggest = max((row.rollup.total for row in rows), default=0) or 1
    body = _legend([(label, color) for _, label, color in CATEGORIES], y=18, x0=label_w)
    sentences = []
    for i, row in enumerate(rows):
        if gap and i == gap[0]:
            gap_text = f"{gap[1]} cơ quan khác (xem bảng xếp hạng)"
            body.append(
                f'<text x="{label_w}" y="{top + i * row_h + 15}" fill="#667085">'
                f"… {escape(gap_text)} …</text>"
            )
            sentences.append(gap_text)
        slot = i + 1 if gap and i >= gap[0] else i
        y = top + slot * row_h
        body.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end">'
            f"<title>{escape(row.name)}</title>{escape(_short(row.name, 38))}</text>"
        )
        x = float(label_w)
        parts = []
        for name, label, color in CATEGORIES:
            value = _category_value(row, name)
            parts.append(f"{label.lower()} {value}")
            if not value:
                continue
            w = bar_w * value / biggest
            body.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="{color}"><title>{escape(row.name)} – {escape(label)}: {value}'
                f"</title></rect>"
            )
            x += w
        body.append(
            f'<text x="{x + 6:.1f}" y="{y + 15}">'
            f"{row.rollup.done}/{row.rollup.total} ({escape(row.rollup.ratio_display)})</text>"
        )
        sentences.append(f"{row.name}: {row.rollup.total} nhiệm vụ, " + ", ".join(parts))
    if not rows:
        body.append(f'<text x="{label_w}" y="{top + 15}">Chưa có nhiệm vụ nào.</text>')
    desc = "; ".join(sentences) + "." if sentences else "Chưa có nhiệm vụ nào."
    return _svg(body, width=width, height=height, ident=ident, title=title, desc=desc, font=font)


def completion_over_time(
    points: Sequence[MonthPoint],
    *,
    title: str,
    ident: str = "chart-months",
    font: str = SANS,
) -> SafeString:
    """Cumulative completions against cumulative due dates, month by month."""
    width, height = 760, 260
    left, right, top, bottom = 50, 20, 34, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([p.due for p in points] + [p.done for p in points] + [1])
    step = max(1, -(-top_value // 5))  # about five gridlines, whole numbers
    top_value = step * -(-top_value // step)

    def px(i: int) -> float:
        return left + (plot_w * (i + 0.5) / len(points) if points else 0)

    def py(v: int) -> float:
        return top + plot_h - plot_h * v / top_value

    body = _legend(
        [("Hoàn thành (lũy kế)", "#1b7f3b"), ("Đến hạn (lũy kế)", "#667085")], y=18, x0=left
    )
    for v in range(0, top_value + 1, step):
        body.append(
            f'<line x1="{left}" x2="{width - right}" y1="{py(v):.1f}" y2="{py(v):.1f}" '
            f'stroke="#d9dee8"/><text x="{left - 6}" y="{py(v) + 4:.1f}" '
            f'text-anchor="end">{v}</text>'
        )
    every = max(1, -(-len(points) // 12))
    for i, p in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            body.append(
                f'<text x="{px(i):.1f}" y="{height - bottom + 18}" text-anchor="middle">'
                f"{escape(p.label)}</text>"
            )
    for attr, color, dash, label in (
        ("due", "#667085", ' stroke-dasharray="5 4"', "đến hạn"),
        ("done", "#1b7f3b", "", "hoàn thành"),
    ):
        coords = " ".join(f"{px(i):.1f},{py(getattr(p, attr)):.1f}" for i, p in enumerate(points))
        if coords:
            body.append(
                f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="2"{dash}/>'
            )
        for i, p in enumerate(points):
            body.append(
                f'<circle cx="{px(i):.1f}" cy="{py(getattr(p, attr)):.1f}" r="3" fill="{color}">'
                f"<title>Tháng {escape(p.label)}: {getattr(p, attr)} nhiệm vụ {label}</title>"
                f"</circle>"
            )
    if points:
        desc = "Theo tháng, số nhiệm vụ hoàn thành và đến hạn cộng dồn: " + "; ".join(
            f"tháng {p.label}: hoàn thành {p.done}, đến hạn {p.due}" for p in points
        )
    else:
        desc = "Chưa có số liệu theo tháng."
        body.append(f'<text x="{left + 10}" y="{top + 30}">{escape(desc)}</text>')
    return _svg(body, width=width, height=height, ident=ident, title=title, desc=desc, font=font)
