"""Benchmark: parse a ~1 MB plan (KH 192 and plan-language snippets, repeated with
varied numbering, months and agencies) and compare with a floor measured in the
same run (normalising the text and one regex pass over every line).

    .venv/bin/python bench/bench_parse.py [--mb 1.0] [--runs 3]

Target: under 2 s for 1 MB. Then runs of 10,000 and 100,000 repeated separators
(lone "|" lines, blank lines, "-----", "| --- | --- |" rows, "1." lines, and lone
"|" lines between one-word cells): each is timed against the floor on the same
text, and the 100,000 run against the 10,000 run (10x the lines: about 10x the
time when parsing is linear, far more when some step is quadratic).
Results go in docs/PARSER.md.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from planning.parsing import parse_text  # noqa: E402
from planning.parsing.extract import normalize_text  # noqa: E402
from planning.parsing.importing import assignment_rows  # noqa: E402

AGENCIES = [
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Y tế",
    "Sở Xây dựng",
    "Văn phòng UBND tỉnh",
    "Sở Thông tin và Truyền thông",
    "Sở Kế hoạch và Đầu tư",
]


def synthesise(target_bytes: int) -> str:
    """Real structure, varied: KH 192's body, then numbered "Giao" items, blocks and
    an appendix table, until the text reaches `target_bytes`."""
    kh192 = (ROOT / "planning/demo/kh-192-2022/plan.txt").read_text(encoding="utf-8")
    parts = [kh192]
    size = len(kh192.encode())
    n = 0
    while size < target_bytes:
        n += 1
        agency = AGENCIES[n % len(AGENCIES)]
        other = AGENCIES[(n + 3) % len(AGENCIES)]
        month = n % 12 + 1
        quarter = ["I", "II", "III", "IV"][n % 4]
        chunk = (
            f"{n % 9 + 1}.{n % 7 + 1}. Nội dung: cải cách thủ tục hành chính lĩnh vực {n}\n"
            f"{agency} chủ trì, phối hợp với {other}; UBND các huyện, thị xã:\n"
            f"- Rà soát, đơn giản hóa thủ tục hành chính nhóm {n} theo Quyết định số "
            f"{1000 + n}/QĐ-UBND ngày 12/3/2022 (hoàn thành trong tháng {month}/2022).\n"
            f"- Tổ chức tập huấn cho công chức một cửa (hoàn thành trong Quý {quarter}/2022).\n"
            f"- Tiếp tục tăng cường kỷ luật, kỷ cương hành chính; phấn đấu hoàn thành "
            f"nhiệm vụ năm 2022.\n"
            f"{n % 20 + 1}. Giao {agency}, các Sở: Tài chính, Tư pháp tham mưu cơ chế số {n}, "
            f"hoàn thành trước {month % 28 + 1}/{month}/2022.\n"
            f"STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành |\n"
            f"1 | Báo cáo chuyên đề {n} | {other} | {agency} | Định kỳ hằng quý |\n"
            f"2 | Số hóa hồ sơ nhóm {n} | {agency} | | Tháng {month}/2022 |\n"
            f"Trên đây là nội dung phần {n}.\n"
        )
        if n % 5 == 0:
            chunk += flattened_table(n)
        parts.append(chunk)
        size += len(chunk.encode())
    return "\n".join(parts)


def flattened_table(n: int) -> str:
    """A task table one cell per line, as web pages are copied (the layout stage's work)."""
    agency = AGENCIES[n % len(AGENCIES)]
    return (
        "|\nTT\n|\nNhiệm vụ\n|\nCơ quan chủ trì\n|\nCơ quan phối hợp\n|\nThời gian\n|\n|\n"
        f"1\n|\nXây dựng cơ sở dữ liệu nhóm {n} và\nkết nối với hệ thống quốc gia\n|\n"
        f"{agency}\n|\nCác sở, ngành\n|\nQuý IV/2022\n|\n|\n"
        f"2\n|\nRà soát quy trình nội bộ nhóm {n}\n|\n{agency}\n|\n |\nNăm 2022\n|\n|\n\n"
    )


SEPARATORS = {
    'lone "|" lines': "|\n",
    "blank lines": "\n",
    '"-----" lines': "-----\n",
    '"| --- | --- |" rows': "| --- | --- |\n",
    '"1." lines': "1.\n",
    'one-word cells between "|"': "|\nx\n",
}


def separators(unit: str, count: int) -> str:
    """A plan with `count` repeated separators in its middle."""
    head = "KẾ HOẠCH\n1. Sở Nội vụ rà soát quy chế (hoàn thành trong tháng 7/2022).\n"
    tail = "2. Sở Tư pháp kiểm tra văn bản (hoàn thành trong tháng 9/2022).\n"
    return head + unit * count + tail


def floor(text: str) -> int:
    """The least any parser does: normalise, split lines, one regex per line."""
    pattern = re.compile(r"tháng\s+\d{1,2}/\d{4}")
    return sum(1 for line in normalize_text(text).split("\n") if pattern.search(line))


def timed(fn, text: str, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn(text)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    text = synthesise(int(args.mb * 1024 * 1024))
    size = len(text.encode())
    lines = text.count("\n") + 1
    floor_s, _ = timed(floor, text, args.runs)
    parse_s, parsed = timed(lambda t: parse_text(t, default_year=2022), text, args.runs)
    rows_s, rows = timed(lambda _t: assignment_rows(parsed), text, args.runs)
    print(f"input: {size / 1024 / 1024:.2f} MB, {lines} lines")
    print(f"floor (normalise + one regex per line): {floor_s * 1000:.0f} ms")
    print(
        f"parse_text: {parse_s * 1000:.0f} ms ({parse_s / floor_s:.1f}x floor), "
        f"{len(parsed.rows)} rows"
    )
    print(f"assignment_rows: {rows_s * 1000:.0f} ms, {len(rows)} assignments")
    verdict = "OK" if parse_s + rows_s < 2.0 else "TOO SLOW"
    print(
        f"total {parse_s + rows_s:.2f} s for {size / 1024 / 1024:.2f} MB (target < 2 s): {verdict}"
    )
    print("repeated separators: parse_text at 10,000 and 100,000, x floor, 100k/10k ratio")
    for name, unit in SEPARATORS.items():
        small, large = separators(unit, 10_000), separators(unit, 100_000)
        small_s, _ = timed(lambda t: parse_text(t, default_year=2022), small, args.runs)
        large_s, got = timed(lambda t: parse_text(t, default_year=2022), large, args.runs)
        large_floor, _ = timed(floor, large, args.runs)
        ratio = large_s / small_s
        verdict = "linear" if ratio < 20 else "SUPERLINEAR"
        print(
            f"  {name}: {small_s * 1000:.0f} ms, {large_s * 1000:.0f} ms "
            f"({large_s / large_floor:.0f}x floor), ratio {ratio:.1f}: {verdict}, "
            f"{len(got.rows)} rows"
        )


if __name__ == "__main__":
    main()
