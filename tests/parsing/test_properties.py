"""Any text, however malformed, gives a draft and warnings: the parser never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planning.parsing import PlanFileError, parse_text, read_plan_file
from planning.parsing.importing import assignment_rows

from .snippets import PLAN

PLAN_LINES = PLAN.splitlines()
FRAGMENTS = [
    "Giao ",
    "các Sở: ",
    "chủ trì, phối hợp với ",
    "(hoàn thành trong tháng 13/2022)",
    "Quý V/2022",
    "trước 31/02/2022",
    "ngày 99 tháng 99 năm 9999",
    "định kỳ hằng quý",
    " | ",
    "||||",
    "1.",
    "a)",
    "- ",
    ":",
    "UBND các huyện: ",
    "\t\t",
    "(",
    ")",
    "Số: /KH-",
    "KẾ HOẠCH",
    "TM. ỦY BAN NHÂN DÂN",
]

mutation = st.one_of(
    st.tuples(st.just("drop"), st.integers(0, 10_000)),
    st.tuples(st.just("dup"), st.integers(0, 10_000)),
    st.tuples(st.just("swap"), st.integers(0, 10_000), st.integers(0, 10_000)),
    st.tuples(st.just("insert"), st.integers(0, 10_000), st.sampled_from(FRAGMENTS)),
    st.tuples(st.just("text"), st.integers(0, 10_000), st.text(max_size=40)),
    st.tuples(st.just("cut"), st.integers(0, 10_000), st.integers(0, 200)),
)


def mutate(lines: list[str], ops) -> str:
    lines = list(lines)
    for op in ops:
        if not lines:
            lines = [""]
        i = op[1] % len(lines)
        if op[0] == "drop":
            del lines[i]
        elif op[0] == "dup":
            lines.insert(i, lines[i])
        elif op[0] == "swap":
            j = op[2] % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif op[0] in {"insert", "text"}:
            line = lines[i]
            at = len(op[2]) % (len(line) + 1)
            lines[i] = line[:at] + op[2] + line[at:]
        elif op[0] == "cut":
            lines[i] = lines[i][: op[2]]
    return "\n".join(lines)


def check(text: str) -> None:
    parsed = parse_text(text)
    assert isinstance(parsed.warnings, list)
    for row in assignment_rows(parsed):
        assert row["lead_agency"]
        assert row["due_month"] == "" or len(row["due_month"]) == 7


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=2000))
def test_arbitrary_text_never_raises(text):
    check(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation, max_size=25))
def test_mutated_plans_never_raise(ops):
    check(mutate(PLAN_LINES, ops))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS + PLAN_LINES[:40]), max_size=60))
def test_plan_like_fragment_soup_never_raises(parts):
    check("".join(parts))


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes_are_text_or_a_clear_error(data):
    try:
        text = read_plan_file(data, "upload.txt", max_bytes=10_000)
    except PlanFileError as exc:
        assert str(exc)
    else:
        check(text)
