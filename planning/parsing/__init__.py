"""Plan documents in, draft tasks out.

`read_plan_file` turns an upload (.txt in UTF-8/UTF-16/cp1258, .docx, .pdf)
into text; `parse_text` turns text into a `ParsedPlan` (header, draft rows,
warnings); `resolve` matches the agencies a draft names against the registry.
Nothing here writes to the database: saving is `planning.parsing.importing`.
"""

from .extract import PlanFileError, check_plan_text, plan_extent, read_plan_file
from .parser import DraftRow, ParsedPlan, parse_text, select_deadline

__all__ = [
    "DraftRow",
    "ParsedPlan",
    "PlanFileError",
    "check_plan_text",
    "parse_text",
    "plan_extent",
    "read_plan_file",
    "select_deadline",
]
