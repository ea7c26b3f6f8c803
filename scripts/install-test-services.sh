#!/usr/bin/env bash
# Installs the system services the tests run against for real: dovecot-imapd (the IMAP server of
# the e-mail tests), Chromium (the browser tests) and faketime (the time-sensitive suites run again
# with the clock a year ahead: npm run test:year-ahead). Only what is missing is installed, so running
# it again does nothing. Debian/Ubuntu (apt-get); run it as root, or as a user with sudo.
# README (Tests) and .ci/run both use this script.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# dovecot lives in /usr/sbin, which a non-root PATH often leaves out.
have_dovecot() { command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ]; }
have_chromium() { command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; }
have_faketime() { command -v faketime >/dev/null 2>&1; }

missing=()
have_dovecot || missing+=(dovecot-imapd)
have_chromium || missing+=(chromium)
have_faketime || missing+=(faketime)
if ((${#missing[@]} == 0)); then
  echo "install-test-services: dovecot, chromium and faketime are already installed"
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
