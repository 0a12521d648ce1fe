"""The set-up: `make run` and `make test` install what a fresh Debian 12 lacks.

deploy/system-packages.sh is run with stand-ins for dpkg-query, apt-get and id
first on PATH, so these tests decide what is "installed" and who is root, and
read back what apt-get was asked to do; nothing is installed for real.
"""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
SCRIPT = ROOT / "deploy" / "system-packages.sh"
APP = [
    "libpango-1.0-0",
    "libpangoft2-1.0-0",
    "libharfbuzz-subset0",
    "fonts-liberation2",
    "poppler-utils",
]
TEST_ONLY = ["chromium", "slapd", "ldap-utils"]

STUBS = {
    # Known packages print "name status"; "rc" is a removed package whose config remains.
    "dpkg-query": """#!/bin/sh
for arg in "$@"; do
  case "$arg" in -*) continue ;; esac
  if printf ' %s ' "$STUB_INSTALLED" | grep -q " $arg "; then echo "$arg installed"
  elif printf ' %s ' "$STUB_REMOVED" | grep -q " $arg "; then echo "$arg config-files"
  else echo "dpkg-query: no packages found matching $arg" >&2; fi
done
exit 1
""",
    "apt-get": '#!/bin/sh\necho "$*" >> "$STUB_LOG"\n',
    "id": '#!/bin/sh\necho "$STUB_UID"\n',
}


@pytest.fixture
def run_script(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, body in STUBS.items():
        (bin_dir / name).write_text(body)
        (bin_dir / name).chmod(0o755)
    log = tmp_path / "apt.log"

    def run(*args, installed=(), removed=(), uid=0):
        env = {
            "PATH": f"{bin_dir}:/usr/bin:/bin",
            "STUB_INSTALLED": " ".join(installed),
            "STUB_REMOVED": " ".join(removed),
            "STUB_UID": str(uid),
            "STUB_LOG": str(log),
        }
        result = subprocess.run(
            ["bash", str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=30
        )
        apt_calls = log.read_text().splitlines() if log.exists() else []
        return result, apt_calls

    return run


def test_a_machine_that_has_everything_runs_no_apt(run_script):
    result, apt_calls = run_script("test", installed=[*APP, *TEST_ONLY], uid=1000)
    assert result.returncode == 0, result.stderr
    assert apt_calls == []
    assert result.stdout == result.stderr == ""


def test_root_installs_only_what_is_missing_after_an_update(run_script):
    installed = [p for p in APP if p != "fonts-liberation2"]
    result, apt_calls = run_script(
        "test", installed=[*installed, "slapd", "ldap-utils"], removed=["chromium"]
    )
    assert result.returncode == 0, result.stderr
    assert apt_calls == [
        "update -qq",
        "install -y -qq --no-install-recommends fonts-liberation2 chromium",
    ]


def test_the_app_alone_does_not_need_chromium(run_script):
    result, apt_calls = run_script("app", installed=APP)
    assert result.returncode == 0, result.stderr
    assert apt_calls == []


def test_a_user_who_is_not_root_is_told_the_one_command(run_script):
    installed = [p for p in APP if p not in {"poppler-utils", "libharfbuzz-subset0"}]
    result, apt_calls = run_script("app", installed=installed, uid=1000)
    assert result.returncode == 1
    assert apt_calls == []
    assert (
        "sudo apt-get update && sudo apt-get install -y --no-install-recommends "
        "libharfbuzz-subset0 poppler-utils"
    ) in result.stderr


def test_dry_run_says_what_it_would_install(run_script):
    result, apt_calls = run_script("--dry-run", "test", installed=APP)
    assert "slapd" in result.stdout and "ldap-utils" in result.stdout
    assert result.returncode == 0
    assert apt_calls == []
    assert "missing: chromium" in result.stdout
    assert "would run: apt-get update && apt-get install" in result.stdout


def test_an_unknown_group_is_refused(run_script):
    result, _ = run_script("everything")
    assert result.returncode == 2
    assert "usage" in result.stderr


def make_dry_run(*args: str, **extra_env: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT"}}
    env.update(extra_env)
    result = subprocess.run(
        ["make", "--no-print-directory", "-n", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_make_run_and_make_test_check_the_system_packages(tmp_path):
    assert "deploy/system-packages.sh app" in make_dry_run("run")
    # A virtualenv still to be filled checks what python-ldap is compiled with first.
    assert "deploy/system-packages.sh build" in make_dry_run(f"VENV={tmp_path}/venv", "install")
    assert "deploy/system-packages.sh test" in make_dry_run("test")
    assert "deploy/system-packages.sh" in (ROOT / ".ci" / "run").read_text()


def test_make_run_points_e_mail_links_at_its_own_port():
    assert 'export SITE_URL="http://127.0.0.1:8101"' in make_dry_run("run", "PORT=8101")
    assert 'export SITE_URL="http://10.0.0.2:8000"' in make_dry_run("run", "HOST=10.0.0.2")


def test_a_site_url_that_is_set_wins_over_host_and_port():
    output = make_dry_run("run", "PORT=8101", SITE_URL="https://cchc.example.gov.vn")
    assert 'export SITE_URL="https://cchc.example.gov.vn"' in output


def test_the_pdf_text_reader_is_a_main_dependency():
    """Production installs `pip install .` (no dev extra) and must still read PDF plans."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = {spec.split(">")[0].split("[")[0].strip() for spec in project["dependencies"]}
    assert "pypdf" in names
