#!/usr/bin/env bash
# Make sure a Chromium for the browser tests is installed, from the system's packages (Debian's
# `chromium`); never downloads a browser (no `playwright install`).
#
#   dev/ensure_chromium.sh      exit 0 when Chromium is there or was installed; otherwise print why
#                               and exit 0 (the browser tests then skip, giving that reason)
#   CI=true dev/ensure_chromium.sh   the same, but exit 1 when Chromium cannot be had (CI must run them)
#
# The browser is $JOINTWORK_CHROMIUM if set, else /usr/bin/chromium. Installing needs root (or
# password-less sudo) and apt-get; `apt-get update` runs only if the first install attempt fails.
set -u
BROWSER="${JOINTWORK_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$BROWSER" ]; then
  exit 0
fi

fail() {
  echo "ensure_chromium: $1" >&2
  if [ "${CI:-}" = "true" ]; then
    echo "ensure_chromium: CI=true, so the browser tests cannot be skipped" >&2
    exit 1
  fi
  echo "ensure_chromium: the browser tests (pytest -m browser) will be skipped" >&2
  exit 0
}

if [ -n "${JOINTWORK_CHROMIUM:-}" ]; then
  fail "JOINTWORK_CHROMIUM=$JOINTWORK_CHROMIUM is not an executable file"
fi
if ! command -v apt-get >/dev/null 2>&1; then
  fail "$BROWSER is missing and apt-get is not available to install the 'chromium' package (not Debian?); install Chromium and set JOINTWORK_CHROMIUM to its path"
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    fail "$BROWSER is missing and installing it needs root: run 'sudo apt-get install chromium'"
  fi
fi

echo "ensure_chromium: installing Debian's chromium package with apt-get" >&2
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq chromium >/dev/null 2>&1; then
  $SUDO apt-get update -qq >/dev/null 2>&1
  $SUDO apt-get install -y -qq chromium >/dev/null 2>&1 || fail "apt-get install chromium failed"
fi
[ -x "$BROWSER" ] || fail "the chromium package is installed but $BROWSER is not there"
echo "ensure_chromium: installed $("$BROWSER" --version 2>/dev/null || echo "$BROWSER")" >&2
