#!/usr/bin/env bash
# Install the Debian packages whose files are missing, in one apt-get call.
#
#   scripts/apt-ensure.sh /usr/bin/chromium:chromium '/usr/lib/postgresql/*/bin/initdb:postgresql'
#
# Each argument is FILE:PACKAGE (FILE may be a glob). Packages are installed only when their file is
# missing, and only as root (CI, a container); otherwise this says what to install and exits 0, so
# that a developer without root still gets a test run (the end-to-end tests then skip, saying why).
# Never runs `playwright install`: the browser is always Debian's chromium.
set -euo pipefail

missing=()
for pair in "$@"; do
  file=${pair%%:*}
  package=${pair#*:}
  # shellcheck disable=SC2086  # the glob must expand
  if ! compgen -G "$file" >/dev/null; then
    missing+=("$package")
  fi
done
[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "apt-ensure: missing ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
echo "apt-ensure: apt-get install -y ${missing[*]}" >&2
# The package lists of a fresh machine may be stale or empty: update once if the install fails.
if ! apt-get install -y -q "${missing[@]}" >/tmp/apt-ensure.log 2>&1; then
  apt-get update -q >>/tmp/apt-ensure.log 2>&1
  apt-get install -y -q "${missing[@]}" >>/tmp/apt-ensure.log 2>&1 \
    || { tail -n 30 /tmp/apt-ensure.log >&2; exit 1; }
fi
