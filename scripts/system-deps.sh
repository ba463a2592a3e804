#!/usr/bin/env bash
# System packages callbot's demo and tests use, installed with apt-get when missing and we are root.
#   scripts/system-deps.sh          what the demo needs (espeak-ng)
#   scripts/system-deps.sh test     plus what the tests need (Node.js for Prism, PostgreSQL, Chromium,
#                                   flite: a second synthesiser, so recognition tests are not espeak-ng alone,
#                                   and the sphinxtrain tools `callbot enroll` adapts the acoustic model with)
#   scripts/system-deps.sh bench    plus the voices the spoken corpora are made with (flite, festival), real
#                                   recorded speech (the Asterisk prompts) for note WER, and Chromium for
#                                   the live page's latency
set -euo pipefail

need=()
command -v espeak-ng >/dev/null || need+=(espeak-ng)
ldconfig -p 2>/dev/null | grep -q libespeak-ng || need+=(libespeak-ng1)
if [ "${1:-}" = "test" ]; then
  command -v node >/dev/null || need+=(nodejs)
  command -v npm >/dev/null || need+=(npm)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  command -v chromium >/dev/null || need+=(chromium)
  command -v flite >/dev/null || need+=(flite)
  command -v sphinx_fe >/dev/null || need+=(sphinxbase-utils)
  command -v pocketsphinx_mdef_convert >/dev/null || need+=(pocketsphinx)
  [ -x /usr/lib/sphinxtrain/bw ] || command -v bw >/dev/null || need+=(sphinxtrain)
fi
if [ "${1:-}" = "bench" ]; then
  command -v chromium >/dev/null || need+=(chromium)  # the live page's latency (bench/page.py)
  command -v flite >/dev/null || need+=(flite)
  command -v sphinx_fe >/dev/null || need+=(sphinxbase-utils)  # python -m bench enroll
  command -v pocketsphinx_mdef_convert >/dev/null || need+=(pocketsphinx)
  [ -x /usr/lib/sphinxtrain/bw ] || command -v bw >/dev/null || need+=(sphinxtrain)
  command -v text2wave >/dev/null || need+=(festival)
  # the voices, and real recorded English with its transcripts (the Asterisk prompts, CC BY-SA 3.0)
  for pkg in festvox-us-slt-hts festvox-kallpc16k festvox-kdlpc16k asterisk-core-sounds-en-wav \
             asterisk-core-sounds-en; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
fi

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
