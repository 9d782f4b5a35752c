#!/usr/bin/env bash
# What `npm test` needs besides Node, made sure of before the tests run (package.json pretest):
#   1. the Debian packages the tests use: mosquitto, openssl, nats-server, rabbitmq-server,
#      nghttp2-client (h2load) and shellcheck (installed with apt-get when missing);
#   2. a Mosquitto broker on 127.0.0.1:1883, the shared broker of the tests marked (M)
#      (.ci/start-mosquitto: reused when something listens there, else started in the background);
#   3. the real daprd, built by scripts/install-dapr.sh into its cache (reused when present).
# Each thing it cannot get stops it with one line naming it, and a non-zero exit.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=SCRIPTDIR/../.ci/lib.sh
source "${repo}/.ci/lib.sh"

# has_binary NAME: NAME on PATH or in an sbin folder (Debian puts servers there, outside a
# non-root PATH).
has_binary() {
  command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 || -x /usr/local/sbin/$1 ]]
}

# Debian package and the binary the tests look for.
declare -A binary_of=(
  [mosquitto]=mosquitto [openssl]=openssl [nats-server]=nats-server
  [rabbitmq-server]=rabbitmq-server [nghttp2-client]=h2load [shellcheck]=shellcheck
)
present() { if [[ $1 == mosquitto ]]; then find_mosquitto >/dev/null; else has_binary "${binary_of[$1]}"; fi; }

missing=()
for pkg in mosquitto openssl nats-server rabbitmq-server nghttp2-client shellcheck; do
  present "${pkg}" || missing+=("${pkg}")
done
if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null 2>&1 ||
    die "missing ${missing[*]} and no apt-get to install them: install ${missing[*]}"
  apt_install "${missing[@]}" >/dev/null || die "apt-get could not install ${missing[*]}"
  for pkg in "${missing[@]}"; do
    present "${pkg}" || die "${binary_of[${pkg}]} still missing after apt-get install ${pkg}"
  done
fi

bash "${repo}/.ci/start-mosquitto" || die "no MQTT broker on 127.0.0.1:1883 and mosquitto could not be started there (run bash .ci/start-mosquitto to see why)"

bash "${repo}/scripts/install-dapr.sh"
