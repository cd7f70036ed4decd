#!/usr/bin/env bash
# Debian's Chromium without libfaketime's preload: the browser tests' pages need no faked clock, and Chromium
# runs far slower under the preloaded library (scripts/at-clock.sh runs the whole test command under it).
exec env -u LD_PRELOAD /usr/bin/chromium "$@"
