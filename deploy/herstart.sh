#!/usr/bin/env bash
# Rolling restart of every app process (after an update): one at a time, each back and
# healthy before the next goes down, so the site stays up. Sessions of the restarted
# process reconnect through nginx to another process and rerun from their URL.
# Usage (as root): deploy/herstart.sh [poort ...]   (default: every running unit)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ports=("$@")
if [ ${#ports[@]} -eq 0 ]; then
  mapfile -t ports < <(systemctl list-units --plain --no-legend 'wijkprofielen@*.service' \
    | awk '{print $1}' | sed -E 's/^wijkprofielen@([0-9]+)\.service$/\1/')
fi
if [ ${#ports[@]} -eq 0 ]; then
  echo "herstart: geen draaiende wijkprofielen@POORT-eenheden gevonden" >&2
  exit 1
fi
for port in "${ports[@]}"; do
  echo "herstart: wijkprofielen@$port"
  systemctl restart "wijkprofielen@$port.service"   # ExecStartPost waits for health
  "$here/wacht-op-gezond.sh" "http://127.0.0.1:$port" 120
  sleep 5  # let nginx's passive check (fail_timeout) see it back before the next one
done
echo "herstart: klaar (${#ports[@]} processen)"
