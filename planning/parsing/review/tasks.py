"""A long plan file, read and parsed in the queue (a `planning.jobs` task).

The upload form reads a short plan inside the request; one of more than
`forms.INLINE_MAX_PARAGRAPHS` paragraphs takes seconds (python-docx, the
parser), so the page queues it and polls. The draft is the job's result; the
job page puts it in the session, where the review page expects it.
"""

from __future__ import annotations

import logging

from .. import PlanFileError, read_plan_file
from .forms import draft_from_text

logger = logging.getLogger(__name__)

TASK = "planning.parsing.review.tasks.draft_task"
STEPS = 2  # read the file, parse the text


def draft_task(*, state: dict, content: bytes, progress) -> dict:
    """{"draft": …} for the review page, or {"error": …} in Vietnamese."""
    try:
        text = read_plan_file(content, state["name"])
        progress(1, STEPS)
        return {"draft": draft_from_text(text, year=state.get("year"))}
    except PlanFileError as exc:
        return {"error": str(exc)}
    except Exception:
        logger.exception("plan draft job %s failed", state["id"])
        return {"error": "Lỗi hệ thống khi đọc văn bản; hãy thử lại hoặc dán nội dung."}
