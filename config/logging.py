"""One JSON object per log line, for production's stdout (journald, Loki, ELK).

Deliberately tiny: the standard fields, the exception text, and for gunicorn's
access log the request's atoms as fields (method, path, status, duration), so
a log shipper can filter on them without parsing a free-text line.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

# gunicorn access-log atoms worth keeping as fields (see gunicorn's glogging).
ACCESS_FIELDS = {
    "h": "remote_addr",
    "m": "method",
    "U": "path",
    "q": "query",
    "s": "status",
    "B": "bytes",
    "M": "duration_ms",
    "f": "referer",
    "a": "user_agent",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            for atom, name in ACCESS_FIELDS.items():
                if atom in record.args:
                    entry[name] = record.args[atom]
        status_code = getattr(record, "status_code", None)
        if status_code is not None:  # django.request / django.server
            entry["status"] = status_code
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
