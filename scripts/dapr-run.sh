#!/usr/bin/env bash
# Runs the two example apps with `dapr run` (self-hosted mode) against this component:
#
#   1. builds the component (npm run build) and the examples (tsc -p examples/tsconfig.json);
#   2. starts one component process per app, each on its own socket folder: the first also runs
#      the bundled broker with its state service on 127.0.0.1:1883 (what `npm start` runs), the
#      second uses that broker (MQTT_BROKER=off). One per app because the component keeps one
#      instance per Component name, and both apps' daprd load Components named `pubsub` and
#      `statestore`: a second daprd on the same socket would re-initialise the first one's;
#   3. waits for each socket (daprd discovers sockets once, at startup), then starts
#      `dapr run --app-id order-subscriber ...` and `dapr run --app-id order-publisher ...`
#      with --resources-path ./components and DAPR_COMPONENTS_SOCKETS_FOLDER set for each;
#   4. runs until Ctrl-C (or until one of them exits), then stops what it started, and only that.
#
# Needs: node >= 20 and `npm ci` done; the Dapr CLI with daprd (`dapr init`, or `dapr init --slim`).
# Environment: MQTT_BROKER=off to use a broker (and `npm run state-service`) already listening on
# 127.0.0.1:1883 instead of the bundled one; LOG_LEVEL for the component processes;
# DAPR_RUN_SOCKET_TIMEOUT (seconds to wait for a socket, default 30).
# Logs: the component processes log to files in the run folder (printed at start); `dapr run`
# prints daprd's and the app's output here.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf '[dapr-run] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

command -v dapr >/dev/null 2>&1 ||
  die "the Dapr CLI (dapr) is not on PATH: install it (https://docs.dapr.io/getting-started/install-dapr-cli/), then run 'dapr init' (or 'dapr init --slim')"
command -v node >/dev/null 2>&1 || die "node >= 20 is required (not found on PATH)"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
((node_major >= 20)) || die "node >= 20 is required, found $(node --version)"
[[ -d node_modules/@dapr/dapr ]] || die "dependencies missing: run 'npm ci' first"

readonly SOCKET_NAME="${MQTT_SOCKET_NAME:-mqtt-pluggable}"
readonly SOCKET_TIMEOUT="${DAPR_RUN_SOCKET_TIMEOUT:-30}"
readonly BROKER_MODE="${MQTT_BROKER:-embedded}"
readonly SUBSCRIBER_APP_PORT=3000

# Short, fixed base: a Unix socket path must stay under ~100 bytes (macOS's TMPDIR is long).
run_dir="$(mktemp -d /tmp/dapr-run.XXXXXX)"
readonly run_dir

# Process groups (pgids) of what this script started; see spawn.
started=()

stop_started() {
  local status=$? pgid i
  trap - EXIT INT TERM
  # Apps first, then the components they use: reverse start order.
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    pgid="${started[i]}"
    kill -TERM -- "-${pgid}" 2>/dev/null || true
  done
  # (The ${a[@]+...} form: an empty array under set -u on bash < 4.4, as on macOS.)
  for pgid in ${started[@]+"${started[@]}"}; do
    for ((i = 0; i < 100; i++)); do
      kill -0 -- "-${pgid}" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 -- "-${pgid}" 2>/dev/null; then
      log "process group ${pgid} still running after 10 s: SIGKILL"
      kill -KILL -- "-${pgid}" 2>/dev/null || true
    fi
  done
  rm -rf "${run_dir}"
  exit "${status}"
}
trap stop_started EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# spawn LOG COMMAND...: runs COMMAND in the background, stdin from /dev/null, output appended
# to LOG ("-": this terminal). Job control is on only while it forks, so COMMAND gets its own
# process group: stopping it stops everything it started (the Dapr CLI, daprd, the app) and
# nothing else, while Ctrl-C still reaches this script (foreground commands stay in our group).
spawn() {
  local out="$1"
  shift
  set -m
  if [[ ${out} == - ]]; then
    "$@" </dev/null &
  else
    "$@" </dev/null >>"${out}" 2>&1 &
  fi
  set +m
  started+=("$!")
}

log "building the component and the examples"
npm run --silent build
node node_modules/typescript/bin/tsc -p examples/tsconfig.json

# start_component APP BROKER_MODE: a component process for APP on its own socket folder.
start_component() {
  local app="$1" broker="$2" folder="${run_dir}/${1}"
  mkdir -p "${folder}"
  # What `npm start` runs (after its build), without npm in between.
  spawn "${run_dir}/${app}-component.log" \
    env DAPR_COMPONENTS_SOCKETS_FOLDER="${folder}" MQTT_SOCKET_NAME="${SOCKET_NAME}" MQTT_BROKER="${broker}" \
    node dist/src/main.js
  log "component for ${app}: pid ${started[${#started[@]} - 1]}, socket ${folder}/${SOCKET_NAME}.sock, log ${run_dir}/${app}-component.log"
}

# wait_for_socket APP PID: until the component of APP has created its socket.
wait_for_socket() {
  local app="$1" pid="$2" socket="${run_dir}/${1}/${SOCKET_NAME}.sock" i
  for ((i = 0; i < SOCKET_TIMEOUT * 10; i++)); do
    [[ -S ${socket} ]] && return 0
    if ! kill -0 "${pid}" 2>/dev/null; then
      cat "${run_dir}/${app}-component.log" >&2 || true
      die "the component for ${app} exited before creating ${socket} (its log is above)"
    fi
    sleep 0.1
  done
  die "no socket ${socket} after ${SOCKET_TIMEOUT} s (log: ${run_dir}/${app}-component.log)"
}

# The subscriber's component runs the bundled broker (unless MQTT_BROKER=off): start it first.
start_component order-subscriber "${BROKER_MODE}"
wait_for_socket order-subscriber "${started[0]}"
start_component order-publisher off
wait_for_socket order-publisher "${started[1]}"

# daprd reads DAPR_COMPONENTS_SOCKETS_FOLDER from the environment `dapr run` passes on.
spawn - env DAPR_COMPONENTS_SOCKETS_FOLDER="${run_dir}/order-subscriber" APP_PORT="${SUBSCRIBER_APP_PORT}" \
  dapr run --app-id order-subscriber --app-port "${SUBSCRIBER_APP_PORT}" --app-protocol http \
  --resources-path ./components -- node dist/examples/order-subscriber/main.js
spawn - env DAPR_COMPONENTS_SOCKETS_FOLDER="${run_dir}/order-publisher" \
  dapr run --app-id order-publisher --resources-path ./components \
  -- node dist/examples/order-publisher/main.js

log "running; Ctrl-C stops everything started here"
while true; do
  for pgid in "${started[@]}"; do
    kill -0 "${pgid}" 2>/dev/null || die "process ${pgid} exited; stopping the others"
  done
  sleep 1
done
