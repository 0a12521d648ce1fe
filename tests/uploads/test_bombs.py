"""Decompression bombs are refused quickly, with little memory, by the command and the page.

Each file is built at test time (a few hundred kilobytes) and sent, in a
process of its own (`probe.py`), through the management command and the upload
page as a Sở Nội vụ coordinator. Before the archive checks the .docx took
1.7 GB and gave no answer for minutes, the .xlsx 205 s and 2.58 GB; the
child's address space is capped so that such a run fails instead of taking the
machine.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from . import bombs

ROOT = Path(__file__).resolve().parents[2]
MAX_SECONDS = 10
MAX_PEAK_MB = 400
ADDRESS_SPACE = 3 * 1024**3


def _cap_memory():
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def probe(kind: str, path: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "tests.uploads.probe", kind, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,  # migrations included; the limits below are per upload
        preexec_fn=_cap_memory,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("kind", "name", "build", "message"),
    [
        ("plan", "ke-hoach.docx", bombs.docx_paragraphs, "hơn 20.000 đoạn văn"),
        ("sheet", "nhiem-vu.xlsx", bombs.xlsx_cells, "hơn 25.000 dòng"),
        # 50,000 rows in 70 KB: under the old inline limit, 20 s inside the request.
        ("sheet", "nho.xlsx", lambda: bombs.xlsx_cells(rows=50_000), "hơn 25.000 dòng"),
    ],
    ids=["docx-2M-paragraphs", "xlsx-6M-cells", "xlsx-small-50k-rows"],
)
def test_bomb_is_refused_fast_and_small_by_command_and_page(tmp_path, kind, name, build, message):
    path = bombs.write(tmp_path / name, build())
    assert path.stat().st_size < 1024 * 1024

    result = probe(kind, path)

    command, page = result["command"], result["page"]
    assert command["refused"] and message in command["message"]
    assert command["seconds"] < MAX_SECONDS
    assert page["status"] == 200 and message in page["html"]  # the form, with its error
    assert page["seconds"] < MAX_SECONDS
    assert result["peak_mb"] < MAX_PEAK_MB
