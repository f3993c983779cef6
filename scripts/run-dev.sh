#!/usr/bin/env bash
# `make run`: migrate, load the demo district (once), start a task worker and serve on 127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-true}"
# The demo district is 周村区 as of the seed reply's date; pages and deadlines use that day (kechuang.core.dates).
export KECHUANG_AS_OF="${KECHUANG_AS_OF-2020-11-30}"
KC=.venv/bin/kechuang
$KC migrate --no-input -v0
$KC demo --district 370303   # 周村区, plus 张店区 so city staff can compare districts
# Background tasks (imports, screening, e-mail) run in a separate worker process, as in production.
$KC db_worker --queue-name default --no-reload >var/worker.log 2>&1 &
worker=$!
trap 'kill $worker 2>/dev/null || true' EXIT INT TERM
echo
echo "科创已启动 / Kechuang is running:  http://127.0.0.1:8000/"
echo "后台任务进程 / task worker pid $worker (log: var/worker.log)"
echo
$KC runserver 127.0.0.1:8000
