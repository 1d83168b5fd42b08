#!/usr/bin/env bash
# Wait until an app process answers /_stcore/health with "ok".
# Usage: deploy/wacht-op-gezond.sh http://127.0.0.1:8501 [seconden]
set -euo pipefail
url="${1:?gebruik: wacht-op-gezond.sh URL [seconden]}"
limit="${2:-60}"
py="${PYTHON:-python3}"
end=$((SECONDS + limit))
while [ "$SECONDS" -lt "$end" ]; do
  if "$py" - "$url" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1].rstrip("/") + "/_stcore/health", timeout=2) as r:
    sys.exit(0 if r.read().strip() == b"ok" else 1)
PY
  then
    exit 0
  fi
  sleep 0.5
done
echo "wacht-op-gezond: $url is na ${limit} s niet gezond" >&2
exit 1
