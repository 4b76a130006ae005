# Shared bash functions for scripts/setup, scripts/run, scripts/test and bench/http-baseline.
# Source it; it defines functions only (and OPLOOP_ROOT), so sourcing has no side effects.
# shellcheck shell=bash

OPLOOP_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Messages go to stderr so stdout stays for what a command is asked to print (a URL, counts).
say() { printf '%s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Runs "$@" with its output appended to LOG. On failure prints the first error lines and
# the last lines of that output, and exits with the command's status, so scripts stay
# quiet unless something breaks.
run_logged() {
  local log="$1"
  shift
  printf '\n$ %s\n' "$*" >>"$log"
  local start status=0
  start="$(wc -c <"$log")"
  "$@" >>"$log" 2>&1 </dev/null || status=$?
  if ((status != 0)); then
    say "error: '$*' failed (exit $status); full output in $log"
    # A compiler's first error is what matters, and with two jobs it may be far from the end.
    if tail -c +"$((start + 1))" "$log" | grep -qE '(error|Error|ERROR)[: ]'; then
      say "--- first errors:"
      tail -c +"$((start + 1))" "$log" | grep -m 15 -E '(error|Error|ERROR)[: ]' >&2 || true
    fi
    say "--- last lines:"
    tail -c +"$((start + 1))" "$log" | tail -n 40 >&2
    exit "$status"
  fi
}

# Prints those of the named Debian packages that are not fully installed, one a line.
missing_debian_packages() {
  local pkg state
  for pkg in "$@"; do
    state="$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)"
    [[ "$state" == ii* ]] || printf '%s\n' "$pkg"
  done
}

# Runs "$@" as root: directly when we are root, through sudo otherwise.
as_root() {
  if ((EUID == 0)); then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root for: $* (run as root or install sudo)"
  fi
}

# True when node >= 18 and npm are on PATH (for example from NodeSource); then Debian's
# nodejs/npm must not be installed over them (Debian's npm conflicts with NodeSource's node).
have_usable_node() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 &&
    node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' \
      >/dev/null 2>&1
}

# True when something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Prints a free TCP port on 127.0.0.1, searching upwards from START. Callers pass a
# random START so that two runs on one machine rarely race for the same port.
free_port() {
  local start="$1" port="$1"
  while port_in_use "$port"; do
    port=$((port + 1))
    ((port < start + 500)) || die "no free port found in $start..$port"
  done
  printf '%s\n' "$port"
}

# Waits until URL answers 2xx, for at most SECONDS (default 30); false when it never does.
# PID, when given, is the server's: stop waiting as soon as it has died.
wait_for_http() {
  local url="$1" seconds="${2:-30}" pid="${3:-}" deadline
  deadline=$((SECONDS + seconds))
  while ((SECONDS < deadline)); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.2
  done
  return 1
}

# Stops the process PID (one we started): TERM, up to 10 s grace, then KILL.
stop_pid() {
  local pid="$1" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}

# The C++ sources clang-format checks: src/ and tests/, *.cpp and *.hpp, NUL-separated.
format_sources() {
  (cd "$OPLOOP_ROOT" &&
    find src tests -type f \( -name '*.cpp' -o -name '*.hpp' \) -print0 2>/dev/null | sort -z)
}

# The format check: clang-format --dry-run --Werror over format_sources. Writes the
# violations to LOG (default build/format.log) and prints the files concerned; false when
# any file is not formatted.
format_check() {
  local log="${1:-$OPLOOP_ROOT/build/format.log}" status=0 count
  command -v clang-format >/dev/null 2>&1 || die "clang-format is missing (scripts/setup installs it)"
  mkdir -p "$(dirname "$log")"
  count="$(format_sources | tr -cd '\0' | wc -c)"
  if ((count == 0)); then
    : >"$log"
    say "format: no C++ sources found"
    return 0
  fi
  (cd "$OPLOOP_ROOT" && format_sources | xargs -0 clang-format --dry-run --Werror) \
    >"$log" 2>&1 || status=$?
  if ((status == 0)); then
    say "format: $count files formatted correctly"
    return 0
  fi
  say "format: these files need clang-format -i (details in $log):"
  grep -oE '^[^:[:space:]]+\.(cpp|hpp):' "$log" | sort -u | sed 's/:$//; s/^/  /' >&2 || true
  return 1
}

# Reads ctest output on stdin; prints "PASSED FAILED SKIPPED". ctest's closing line is
# "NN% tests passed, F tests failed out of T"; tests it lists under "did not run" as
# "(Skipped)" are counted apart from those passed. No closing line: "0 0 0".
ctest_counts() {
  awk '
    /tests passed, [0-9]+ tests? failed out of [0-9]+/ {
      for (i = 1; i <= NF; i++) {
        if ($i == "failed" && $(i + 1) == "out") { failed = $(i - 2); total = $(i + 3) }
      }
      seen = 1
    }
    /\(Skipped\)[[:space:]]*$/ { skipped++ }
    END {
      if (!seen) { print "0 0 0"; exit }
      passed = total - failed - skipped
      if (passed < 0) passed = 0
      print passed, failed + 0, skipped + 0
    }'
}

# Reads node --test TAP output on stdin; prints "PASSED FAILED SKIPPED". Cancelled tests
# (a timeout, a file that crashed) count as failed, todo as skipped. No summary: "0 0 0".
node_counts() {
  awk '
    /^# pass [0-9]+/      { pass = $3 }
    /^# fail [0-9]+/      { fail = $3 }
    /^# cancelled [0-9]+/ { cancelled = $3 }
    /^# skipped [0-9]+/   { skipped = $3 }
    /^# todo [0-9]+/      { todo = $3 }
    END { print pass + 0, fail + cancelled, skipped + todo }'
}
