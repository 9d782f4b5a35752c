#!/usr/bin/env bash
# What `npm test` needs besides Node, made sure of before the tests run (package.json pretest):
#   1. the Debian packages the tests start private instances of: mosquitto, openssl,
#      nats-server, rabbitmq-server (installed with apt-get when their binaries are missing);
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

missing=()
find_mosquitto >/dev/null || missing+=(mosquitto)
has_binary openssl || missing+=(openssl)
has_binary nats-server || missing+=(nats-server)
has_binary rabbitmq-server || missing+=(rabbitmq-server)
if ((${#missing[@]} > 0)); then
  command -v apt-get >/dev/null 2>&1 ||
    die "missing ${missing[*]} and no apt-get to install them: install ${missing[*]}"
  apt_install "${missing[@]}" >/dev/null || die "apt-get could not install ${missing[*]}"
  for name in "${missing[@]}"; do
    if [[ ${name} == mosquitto ]]; then
      find_mosquitto >/dev/null || die "mosquitto still missing after apt-get install mosquitto"
    else
      has_binary "${name}" || die "${name} still missing after apt-get install ${name}"
    fi
  done
fi

bash "${repo}/.ci/start-mosquitto" || die "no MQTT broker on 127.0.0.1:1883 and mosquitto could not be started there (run bash .ci/start-mosquitto to see why)"

bash "${repo}/scripts/install-dapr.sh"
