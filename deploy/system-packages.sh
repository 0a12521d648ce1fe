#!/usr/bin/env bash
# The Debian packages the application needs, in one list, installed only when missing.
#
#   deploy/system-packages.sh [--dry-run] GROUP...
#
# Groups:
#   venv  Python 3.11, its venv module and headers (a fresh Debian 12 lacks ensurepip)
#   build what `pip install ".[ldap]"` compiles python-ldap with
#   app   what the running application needs: Pango and HarfBuzz for weasyprint's
#         PDF reports, Liberation 2.x (the serif with ơ and ư), pdftotext for PDF plans
#   test  app, plus Chromium for the browser tests and OpenLDAP (slapd, ldap-utils)
#         for the directory sign-in tests
#
# `make run`, `make test`, .ci/run and docs/DEPLOY.md call this script, so the
# list lives here only. dpkg-query decides what is missing; a machine that has
# everything runs no apt at all. As root the missing packages are installed
# (apt-get update first, only then); otherwise the script stops and prints the
# one command to run. --dry-run only says what it would do.
set -euo pipefail

VENV_PACKAGES=(python3.11 python3.11-venv python3.11-dev)
BUILD_PACKAGES=(gcc libldap2-dev libsasl2-dev)
APP_PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation2 poppler-utils)
TEST_PACKAGES=(chromium slapd ldap-utils)

dry_run=0
wanted=()
for arg in "$@"; do
  case "$arg" in
    --dry-run) dry_run=1 ;;
    venv) wanted+=("${VENV_PACKAGES[@]}") ;;
    build) wanted+=("${BUILD_PACKAGES[@]}") ;;
    app) wanted+=("${APP_PACKAGES[@]}") ;;
    test) wanted+=("${APP_PACKAGES[@]}" "${TEST_PACKAGES[@]}") ;;
    *)
      echo "usage: $0 [--dry-run] venv|build|app|test..." >&2
      exit 2
      ;;
  esac
done
if [ ${#wanted[@]} -eq 0 ]; then
  echo "usage: $0 [--dry-run] venv|build|app|test..." >&2
  exit 2
fi
mapfile -t wanted < <(printf '%s\n' "${wanted[@]}" | awk '!seen[$0]++')

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-packages: not a Debian system (no dpkg-query); make sure these are installed:" \
    "${wanted[*]}" >&2
  exit 0
fi

# One dpkg-query for all; a package it has never heard of is simply not listed.
installed=$(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${wanted[@]}" 2>/dev/null |
  awk '$2 == "installed" { print $1 }' || true)
missing=()
for package in "${wanted[@]}"; do
  if ! grep -qxF -- "$package" <<<"$installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  [ "$dry_run" -eq 1 ] && echo "system-packages: all installed: ${wanted[*]}"
  exit 0
fi

install_command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$dry_run" -eq 1 ]; then
  echo "system-packages: missing: ${missing[*]}"
  echo "system-packages: would run: apt-get update && ${install_command}"
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  echo "Missing Debian packages: ${missing[*]}" >&2
  echo "Install them as root, then run make again:" >&2
  echo "  sudo apt-get update && sudo ${install_command}" >&2
  exit 1
fi

echo "system-packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
