#!/usr/bin/env bash
# Print a short hash of the given files and folders' contents and names (ignoring caches).
set -euo pipefail
find "$@" -type f ! -path '*/__pycache__/*' ! -name '*.pyc' -print0 2>/dev/null \
  | LC_ALL=C sort -z \
  | xargs -0 sha256sum \
  | sha256sum | cut -c1-16
