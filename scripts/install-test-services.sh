#!/usr/bin/env bash
# Installs the system services the tests run against for real: dovecot-imapd (the IMAP server of
# the e-mail tests), Chromium (the browser tests), redis-server (the Redis event bus; each test starts
# its own on a free port) and faketime (the time-sensitive suites run again
# with the clock a year ahead: npm run test:year-ahead). Only what is missing is installed, so running
# it again does nothing. Debian/Ubuntu (apt-get); run it as root, or as a user with sudo.
# README (Tests) and .ci/run both use this script.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# dovecot lives in /usr/sbin, which a non-root PATH often leaves out.
have_dovecot() { command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; }
have_chromium() { command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; }
have_faketime() { command -v faketime >/dev/null 2>&1; }
have_redis() { command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; }

missing=()
have_dovecot || missing+=(dovecot-imapd)
have_chromium || missing+=(chromium)
have_faketime || missing+=(faketime)
have_redis || missing+=(redis-server)
if ((${#missing[@]} == 0)); then
  echo "install-test-services: dovecot, chromium, faketime and redis-server are already installed"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-test-services: run as root (or install sudo) to install ${missing[*]}" >&2; exit 1; }
  as_root=(sudo --preserve-env=DEBIAN_FRONTEND)
fi

echo "install-test-services: installing ${missing[*]}"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-test-services: installed ${missing[*]}"
