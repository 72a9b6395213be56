#!/usr/bin/env bash
# The browser tests drive Debian's Chromium; the test tool never downloads a browser of its own.
# `npm test` runs this first, so the README's test command is all the set-up a fresh machine
# needs: where Chromium is missing and the machine allows it (root, apt-get), it is installed.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $browser is missing; installing Debian's chromium" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$browser" ] && exit 0
fi
echo "ensure-chromium: $browser is missing and cannot be installed here; install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH" >&2
exit 1
