# Shared shell functions for .ci/run and .ci/start-mosquitto (sourced, not executed).

log() { printf '[ci] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
as_root() {
  if [[ ${EUID} -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    die "need root (or sudo) to run: $*"
  fi
}

# apt_install PKG...: installs the Debian packages given (no-op without arguments).
# apt-get update runs at most once per script run.
_ci_apt_updated=0
apt_install() {
  (($# > 0)) || return 0
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install manually: $*"
  if [[ ${_ci_apt_updated} -eq 0 ]]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    _ci_apt_updated=1
  fi
  log "apt-get install -y $*"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

# Prints the path of the mosquitto broker binary (often in /usr/sbin, which a non-root PATH
# lacks); returns 1 when it is not installed. CI_MOSQUITTO_BIN overrides the lookup.
find_mosquitto() {
  local candidate
  for candidate in "${CI_MOSQUITTO_BIN:-}" "$(command -v mosquitto 2>/dev/null || true)" /usr/sbin/mosquitto /usr/local/sbin/mosquitto; do
    if [[ -n ${candidate} && -x ${candidate} ]]; then
      printf '%s\n' "${candidate}"
      return 0
    fi
    # An explicit override that does not exist means "treat as missing".
    [[ -n ${CI_MOSQUITTO_BIN:-} ]] && return 1
  done
  return 1
}

# port_open HOST PORT: true when a TCP connection to HOST:PORT succeeds within 1 s.
port_open() {
  timeout 1 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}
