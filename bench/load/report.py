"""Turn the wrk result lines of a run into the table of docs/PERFORMANCE.md.

.venv/bin/python bench/load/report.py RESULTS.jsonl

The floor is `/ping`, a trivial Django view served by the same server in the
same run (no query, no session, no template); `/healthz` (two tiny queries) is
shown next to it, and each page's p95 is given against both.
"""

from __future__ import annotations

import json
import sys
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


def main(path: Path) -> int:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
    by_page = {r["page"]: r for r in rows}
    floor = by_page.get("ping") or by_page["floor"]
    healthz = by_page.get("floor", floor)
    print(
        "| Trang | Yêu cầu | Yêu cầu/giây | p50 (ms) | p95 (ms) | p95 / sàn `/ping` "
        "| p95 / `/healthz` | Lỗi |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    failed = False
    for r in rows:
        factor = r["p95_ms"] / floor["p95_ms"] if floor["p95_ms"] else float("inf")
        vs_healthz = r["p95_ms"] / healthz["p95_ms"] if healthz["p95_ms"] else float("inf")
        errors = r["not_200"] + r["socket_errors"]
        note = (
            " (đạt giới hạn số yêu cầu: yêu cầu/giây thấp hơn thực tế)" if r.get("capped") else ""
        )
        ok = errors == 0 and (r["page"] in FLOORS or factor <= TARGET_FACTOR)
        failed |= not ok
        print(
            f"| {LABELS.get(r['page'], r['page'])}{note} | {r['requests']} | {r['rps']:.1f} "
            f"| {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {factor:.1f}× | {vs_healthz:.1f}× "
            f"| {errors}{'' if ok else ' ✗'} |"
        )
    print(f"\nMục tiêu: không lỗi, p95 mỗi trang ≤ {TARGET_FACTOR}× p95 của sàn `/ping`.")
    print("Kết quả: " + ("ĐẠT" if not failed else "CHƯA ĐẠT (xem dòng có ✗)"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
