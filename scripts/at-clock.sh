#!/usr/bin/env bash
# Runs a command with this machine's clock set to a local time of the deployment's zone, by libfaketime
# (Debian package "faketime"); the clock then runs on from there. DynamoDB Local keeps the real clock.
#
#   scripts/at-clock.sh "2026-11-29 20:00" npm test          # a Sunday evening in Panama
#   scripts/at-clock.sh "2026-12-08 10:00" npm test          # a holiday of the city hall's calendar
#   TIME_ZONE=America/Bogota scripts/at-clock.sh "2026-11-30 03:00" npm test
set -euo pipefail
if [ $# -lt 2 ]; then
  echo 'usage: scripts/at-clock.sh "YYYY-MM-DD HH:MM" command [args…]' >&2
  exit 2
fi
if ! command -v faketime >/dev/null 2>&1; then
  echo 'scripts/at-clock.sh needs libfaketime: sudo apt-get install -y faketime' >&2
  exit 2
fi
zone="${TIME_ZONE:-America/Panama}"
local_time="$1"
shift
utc="$(date -u -d "TZ=\"$zone\" $local_time" '+%Y-%m-%d %H:%M:%S')"
echo "Clock set to $local_time in $zone ($utc UTC)" >&2
FAKETIME_DONT_FAKE_MONOTONIC=1 exec faketime -f "@$utc" "$@"
