#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or explain what to install and fail.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for v in 3.14 3.13 3.12; do
  command -v "python$v" >/dev/null 2>&1 && candidates+=("$(command -v "python$v")")
done
for root in "${PYENV_ROOT:-$HOME/.pyenv}/versions" /usr/local/bin /opt/python; do
  for p in $(ls -d "$root"/3.1[2-9]*/bin/python3 "$root"/python3.1[2-9] 2>/dev/null | sort -rV); do candidates+=("$p"); done
done
command -v python3 >/dev/null 2>&1 && candidates+=("$(command -v python3)")
for c in "${candidates[@]}"; do
  # pyenv shims exist for versions that are not selected; only accept one that really runs.
  if ok "$c"; then echo "$c"; exit 0; fi
done
cat >&2 <<'MSG'
找不到 Python 3.12 或更高版本。/ No Python >= 3.12 found.
请安装其一后重试 / install one, then retry:
  Debian/Ubuntu: apt-get install python3.12 python3.12-venv   (或 pyenv install 3.13)
  也可以指定解释器 / or point to one: make run PYTHON=/path/to/python3.13
MSG
exit 1
