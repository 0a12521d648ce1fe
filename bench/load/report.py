"""Turn the wrk result lines of a run into the table of docs/PERFORMANCE.md.

.venv/bin/python bench/load/report.py RESULTS.jsonl

The floor is `/ping`, a trivial Django view served by the same server in the
same run (no query, no session, no template); `/healthz` (two tiny queries) is
shown next to it, and each page's p95 is given against both.

A run is made of rounds (`ROUNDS` in run.sh): in each round the floor and
then every page are driven for a few seconds. A page's p95 is divided by the
floor's p95 *of the same round*, measured seconds before, so that the load
other work puts on a shared machine, which drifts over minutes, weighs on both
sides of the ratio alike. The table gives each round's ratio and their median,
which the target is judged on; requests and errors are summed over the rounds.
"""

from __future__ import annotations

import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

LABELS = {
    "ping": "Sàn: `/ping` (view Django tối giản)",
    "floor": "`/healthz` (không đăng nhập, 2 truy vấn)",
    "dashboard": "Bảng điều khiển `/bao-cao/` (điều phối)",
    "plan": "Trang kế hoạch `/ke-hoach/<id>/` (điều phối)",
    "inbox": "Hộp việc của đơn vị `/viec-cua-don-vi/` (cán bộ)",
    "assignment": "Trang nhiệm vụ `/nhiem-vu/<id>/` (cán bộ)",
}
TARGET_FACTOR = 5
FLOORS = ("ping", "floor")


def _ratio(value: float, floor: float) -> float:
    return value / floor if floor else float("inf")


def summarise(rows: list[dict]) -> list[dict]:
    """One line per page: sums, medians over rounds, and each round's ratios."""
    rounds: dict[int, dict[str, dict]] = defaultdict(dict)
    order: list[str] = []
    for row in rows:
        rounds[row.get("round", 1)][row["page"]] = row
        if row["page"] not in order:
            order.append(row["page"])
    lines = []
    for page in order:
        runs = [(r, by_page) for r, by_page in sorted(rounds.items()) if page in by_page]
        measured = [by_page[page] for _, by_page in runs]
        floor = [by_page.get("ping") or by_page["floor"] for _, by_page in runs]
        healthz = [by_page.get("floor", f) for (_, by_page), f in zip(runs, floor, strict=True)]
        vs_ping = [_ratio(m["p95_ms"], f["p95_ms"]) for m, f in zip(measured, floor, strict=True)]
        vs_healthz = [
            _ratio(m["p95_ms"], h["p95_ms"]) for m, h in zip(measured, healthz, strict=True)
        ]
        lines.append(
            {
                "page": page,
                "requests": sum(m["requests"] for m in measured),
                "rps": statistics.mean(m["rps"] for m in measured),
                "p50_ms": statistics.median(m["p50_ms"] for m in measured),
                "p95_ms": statistics.median(m["p95_ms"] for m in measured),
                "vs_ping": vs_ping,
                "vs_healthz": statistics.median(vs_healthz),
                "errors": sum(m["not_200"] + m["socket_errors"] for m in measured),
                "capped": any(m.get("capped") for m in measured),
            }
        )
    return lines


def main(path: Path) -> int:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
    print(
        "| Trang | Yêu cầu | Yêu cầu/giây | p50 (ms) | p95 (ms) | p95 / sàn `/ping` từng vòng "
        "| p95 / sàn (trung vị) | p95 / `/healthz` | Lỗi |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed = False
    for line in summarise(rows):
        factor = statistics.median(line["vs_ping"])
        note = " (đạt giới hạn số yêu cầu: yêu cầu/giây thấp hơn thực tế)" if line["capped"] else ""
        ok = line["errors"] == 0 and (line["page"] in FLOORS or factor <= TARGET_FACTOR)
        failed |= not ok
        rounds = " / ".join(f"{v:.1f}" for v in line["vs_ping"]).replace(".", ",")
        print(
            f"| {LABELS.get(line['page'], line['page'])}{note} | {line['requests']} "
            f"| {line['rps']:.1f} | {line['p50_ms']:.1f} | {line['p95_ms']:.1f} | {rounds} "
            f"| {factor:.1f}× | {line['vs_healthz']:.1f}× "
            f"| {line['errors']}{'' if ok else ' ✗'} |"
        )
    print(
        f"\nMục tiêu: không lỗi, p95 mỗi trang ≤ {TARGET_FACTOR}× p95 của sàn `/ping` "
        "(trung vị các vòng, mỗi vòng so với sàn đo ngay trước trong cùng vòng)."
    )
    print("Kết quả: " + ("ĐẠT" if not failed else "CHƯA ĐẠT (xem dòng có ✗)"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
