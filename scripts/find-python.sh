#!/usr/bin/env bash
# Print the path of a Python interpreter of the given minor version (e.g. 3.10), or explain and fail.
# Looks at $PYTHON310 / $PYTHON311, then pythonX.Y on PATH, then pyenv's versions.
set -euo pipefail
want="${1:?usage: find-python.sh 3.10}"
var="PYTHON${want/./}"
candidates=()
[ -n "${!var:-}" ] && candidates+=("${!var}")
command -v "python${want}" >/dev/null 2>&1 && candidates+=("$(command -v "python${want}")")
roots=()
command -v pyenv >/dev/null 2>&1 && roots+=("$(pyenv root)")
roots+=("${PYENV_ROOT:-$HOME/.pyenv}")
for root in "${roots[@]}"; do
  for dir in "$root"/versions/"$want".*; do
    [ -x "$dir/bin/python$want" ] && candidates+=("$dir/bin/python$want")
  done
done
for py in "${candidates[@]}"; do
  if "$py" -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$want' else 1)" 2>/dev/null; then
    echo "$py"
    exit 0
  fi
done
cat >&2 <<MSG
error: Python $want was not found.
  Looked at \$$var, python$want on PATH, and pyenv's versions/$want.*.
  Install it (for example: pyenv install $want) or set $var=/path/to/python$want, then run make again.
MSG
exit 1
