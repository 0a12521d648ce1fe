"""Settings fail loudly on bad values, and production settings pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DJANGO_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_bad_boolean_fails_loudly():
    result = run_manage("check", DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_a_throttle_limit_below_one_fails_loudly():
    result = run_manage("check", LOGIN_ADDRESS_FAILURE_LIMIT="0")
    assert result.returncode != 0
    assert "LOGIN_ADDRESS_FAILURE_LIMIT must be at least 1" in result.stderr


def test_production_requires_secret_key():
    result = run_manage("check", DJANGO_ENV="production", ALLOWED_HOSTS="cchc.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean_in_production():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_ENV="production",
        SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-for-the-test-0123456789",
        ALLOWED_HOSTS="cchc.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
