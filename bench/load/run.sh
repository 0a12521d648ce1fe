#!/usr/bin/env bash
# Load test: generated data on PostgreSQL, gunicorn (4 workers) on loopback,
# wrk with logged-in sessions against the dashboard, a plan page, an officer's
# inbox and an assignment page, next to the floor in the same run: /ping (a
# trivial Django view: no query, no session, no template) and /healthz (two
# tiny queries).
#
#   bash bench/load/run.sh
#
# Environment (all optional): LOAD_DB (default cchc_load), PGURL (server, default
# postgres://postgres@127.0.0.1:5432), PORT (8971), ROUNDS (3: in each, the floor then every
# page, so each page is compared with a floor measured seconds before), DURATION (5s per page
# and round),
# MAX_REQUESTS (50000 per page, a safety cap: a capped row is marked), CONNECTIONS (8), THREADS (2),
# WRITES_PER_SECOND (0: none; else a writer records progress on random assignments
# during the run, so every cached figure is recomputed after each write, as in real use),
# CACHE (redis, as in production, or file), LOAD_REDIS_URL (redis://127.0.0.1:6379/14:
# the load test's own Redis database, emptied at the start of each run), and the application's
# own settings, passed through to gunicorn (PAGE_CACHE_SECONDS=0: every page drawn, as on a
# user's first view).
# Only ever talks to 127.0.0.1. Results: a table on stdout and in $OUT/results.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

LOAD_DB=${LOAD_DB:-cchc_load}
PGURL=${PGURL:-postgres://postgres@127.0.0.1:5432}
PORT=${PORT:-8971}
ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
MAX_REQUESTS=${MAX_REQUESTS:-50000}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
WRITES_PER_SECOND=${WRITES_PER_SECOND:-0}
OUT=${OUT:-$(mktemp -d /tmp/cchc-load.XXXXXX)}
PAGES=(ping floor dashboard plan inbox assignment)

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

# Production settings, as behind nginx (wrk sends X-Forwarded-Proto: https).
export DJANGO_ENV=production
export DATABASE_URL="${PGURL}/${LOAD_DB}"
export ALLOWED_HOSTS=127.0.0.1
SECRET_KEY="load-test-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export SECRET_KEY
export GUNICORN_BIND="127.0.0.1:${PORT}" GUNICORN_WORKERS=4
export GUNICORN_ACCESSLOG="${OUT}/access.log"
# No worker recycling during the run: at ~1,000 requests/s it would restart a
# worker every few seconds and its start-up (not the pages) would make the tail.
export GUNICORN_MAX_REQUESTS=${GUNICORN_MAX_REQUESTS:-0}
# The shared cache (sessions, cached figures and pages) as in production: Redis,
# in a database of the load test's own, emptied so every run starts cold.
# CACHE=file uses the file cache in a fresh directory instead.
CACHE=${CACHE:-redis}
LOAD_REDIS_URL=${LOAD_REDIS_URL:-redis://127.0.0.1:6379/14}
if [ "${CACHE}" = redis ]; then
  export REDIS_URL="${LOAD_REDIS_URL}"
  .venv/bin/python -c 'import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()' "${REDIS_URL}"
else
  unset REDIS_URL
  export CACHE_DIR="${OUT}/cache"
fi

if curl -s -o /dev/null "http://127.0.0.1:${PORT}/"; then
  echo "port ${PORT} is already in use; set PORT=..." >&2
  exit 1
fi

echo "== database ${LOAD_DB}"
psql "${PGURL}/postgres" -qtc "SELECT 1 FROM pg_database WHERE datname='${LOAD_DB}'" | grep -q 1 \
  || psql "${PGURL}/postgres" -qc "CREATE DATABASE ${LOAD_DB}"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
.venv/bin/python bench/load/prepare.py "${OUT}"

echo "== gunicorn, 4 workers on 127.0.0.1:${PORT} (log: ${OUT}/gunicorn.log)"
.venv/bin/gunicorn -c config/gunicorn.conf.py config.wsgi >"${OUT}/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
WRITER_PID=""
cleanup() {
  [ -z "${WRITER_PID}" ] || kill "${WRITER_PID}" 2>/dev/null || true
  kill "${GUNICORN_PID}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 50); do
  curl -fsS "http://127.0.0.1:${PORT}/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

echo "== warm-up: every target must answer 200"
for page in "${PAGES[@]}"; do
  while IFS=$'\t' read -r cookie path; do
    jar=()
    [ "$cookie" = "-" ] || jar=(-b "sessionid=${cookie}")
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' "${jar[@]}" \
      "http://127.0.0.1:${PORT}${path}")
    [ "$code" = 200 ] || { echo "${page} ${path}: HTTP ${code}" >&2; exit 1; }
  done <"${OUT}/${page}.targets"
done

if [ "${WRITES_PER_SECOND}" != 0 ]; then
  echo "== writer: ${WRITES_PER_SECOND} assignment updates per second during the run"
  .venv/bin/python bench/load/writer.py "${WRITES_PER_SECOND}" >"${OUT}/writer.log" 2>&1 &
  WRITER_PID=$!
fi
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== wrk: ${ROUNDS} rounds of ${DURATION} or ${MAX_REQUESTS} requests per page, ${CONNECTIONS} connections"
PER_THREAD=$((MAX_REQUESTS / THREADS))
: >"${OUT}/results.jsonl"
for round in $(seq "${ROUNDS}"); do
  for page in "${PAGES[@]}"; do
    wrk -t"${THREADS}" -c"${CONNECTIONS}" -d"${DURATION}" -s bench/load/pages.lua \
      "http://127.0.0.1:${PORT}" -- "${page}" "${OUT}/${page}.targets" "${PER_THREAD}" \
      | tee "${OUT}/${page}.${round}.wrk" | grep '^{' | sed "s/^{/{\"round\": ${round}, /" \
      | tee -a "${OUT}/results.jsonl"
  done
done

echo
{
  .venv/bin/python bench/load/report.py "${OUT}/results.jsonl" || true
  echo
  echo "Máy: $(nproc) CPU; tải sau khi đo: $(cut -d' ' -f1-3 /proc/loadavg);" \
    "${CONNECTIONS} kết nối, ${THREADS} luồng wrk, ${ROUNDS} vòng, mỗi vòng tối đa ${DURATION} hoặc ${MAX_REQUESTS} yêu cầu mỗi trang;" \
    "ghi dữ liệu: ${WRITES_PER_SECOND} lần/giây; bộ nhớ đệm: ${CACHE}."
} | tee "${OUT}/results.md"
