#!/usr/bin/env bash
# The system packages callbot's demo and tests use; installed with apt-get when missing and we are root.
set -euo pipefail

need=()
command -v espeak-ng >/dev/null || need+=(espeak-ng)
[ -e /usr/lib/x86_64-linux-gnu/libespeak-ng.so.1 ] || [ -e /usr/lib/aarch64-linux-gnu/libespeak-ng.so.1 ] \
  || need+=(libespeak-ng1)

if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "callbot needs these system packages: ${need[*]}" >&2
  echo "install them (e.g. sudo apt-get install -y ${need[*]}) and run make again" >&2
  exit 1
fi
echo "installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
