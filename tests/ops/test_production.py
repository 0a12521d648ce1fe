"""JSON logs and the gunicorn configuration."""

import json
import logging
import runpy
import sys
from pathlib import Path

from config.logging import JsonFormatter

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "config" / "gunicorn.conf.py"


def make_record(name="planning", msg="Đã gửi %s thư", args=(3,), exc_info=None):
    return logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args, exc_info)


def test_json_log_line_keeps_vietnamese_and_fields():
    line = JsonFormatter().format(make_record())
    entry = json.loads(line)
    assert entry["message"] == "Đã gửi 3 thư"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "planning"
    assert "Đã gửi" in line  # not \\u-escaped
    assert "\n" not in line


def test_json_log_line_carries_the_exception():
    try:
        raise ValueError("hỏng")
    except ValueError:
        record = make_record(msg="lỗi", args=(), exc_info=sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: hỏng" in entry["exception"]


def test_gunicorn_access_line_becomes_fields():
    atoms = {"h": "10.0.0.1", "m": "GET", "U": "/ke-hoach/", "q": "", "s": 200, "M": 12, "B": 512}
    record = make_record(name="gunicorn.access", msg="%(h)s %(m)s", args=())
    record.args = atoms  # gunicorn passes its atoms as a mapping
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["method"], entry["path"], entry["status"], entry["duration_ms"]) == (
        "GET",
        "/ke-hoach/",
        200,
        12,
    )


def test_gunicorn_config_reads_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "4")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:8123")
    monkeypatch.setenv("DJANGO_ENV", "production")
    conf = runpy.run_path(str(GUNICORN_CONF))
    assert conf["workers"] == 4
    assert conf["bind"] == "127.0.0.1:8123"
    assert conf["accesslog"] == "-"
    assert conf["max_requests"] > 0 and conf["max_requests_jitter"] > 0
    assert conf["timeout"] > 0
    formatter = conf["logconfig_dict"]["formatters"]["json"]["()"]
    assert formatter == "config.logging.JsonFormatter"
