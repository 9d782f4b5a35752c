#!/usr/bin/env bash
# Builds the real daprd the tests run, from the Go modules of the pinned Dapr releases, into a
# cache folder outside the repository (reused while its inputs are unchanged):
#
#   ${DAPR_BUILD_CACHE:-$HOME/.cache/dapr-mqtt-pluggable}/daprd-<version>/daprd
#
# One build per Go main under dapr/ (dapr/daprd: the release the project pins; dapr/daprd-oldest:
# the oldest release it is tested against). Each main imports upstream's cmd/daprd/app unchanged
# and registers only the built-in components named in its builtins/ package; pluggable-component
# support is part of the runtime. Upstream's cmd/daprd/components refuses to build without the
# allcomponents/stablecomponents tags (zz_notag.go panics), and the Go command forbids overlays
# inside the module cache, so the build uses a writable copy of the dapr module where that one file
# is emptied (a directory `replace` in a temporary copy of our go.mod; the committed go.sum is used).
#
# A build is reused when daprd-<version>/inputs.sha256 matches the hash of the main's go.mod,
# go.sum and *.go files: editing the main rebuilds it.
#
# The dapr CLI (github.com/dapr/cli) is built too when DAPR_CLI_VERSION is set, into
# cli-<version>/dapr; the Go module proxy this project's machines reach does not serve it (see
# docs/daprd.md), so it is not built by default.
#
# Exit status non-zero, with one line naming what is missing, when Go or the module proxy fails.
# Usage: scripts/install-dapr.sh [--print]   (--print: print the binaries' paths, build nothing)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${DAPR_BUILD_CACHE:-${HOME}/.cache/dapr-mqtt-pluggable}"

log() { printf '[install-dapr] %s\n' "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# module_version DIR MODULE: the version of MODULE that DIR/go.mod requires.
module_version() {
  awk -v m="$2" '($1 == m && $2 ~ /^v/) { print $2; exit } ($1 == "require" && $2 == m) { print $3; exit }' "$1/go.mod"
}

# inputs_hash DIR: one hash over the main's go.mod, go.sum and Go sources (paths included).
inputs_hash() {
  (cd "$1" && find . -type f \( -name go.mod -o -name go.sum -o -name '*.go' \) -print | LC_ALL=C sort |
    while read -r f; do
      printf '%s\n' "${f}"
      cat "${f}"
    done) | sha256sum | cut -d' ' -f1
}

# first_error TEXT: the most telling line of a go command's error output.
first_error() {
  grep -m1 -E 'Forbidden|not available|dial tcp|no such host|timeout|connection refused|unknown revision|verifying|error|cannot' <<<"$1" ||
    head -n1 <<<"$1"
}

mains=()
for dir in "${repo}"/dapr/daprd "${repo}"/dapr/daprd-oldest; do
  [[ -f ${dir}/go.mod ]] && mains+=("${dir}")
done
((${#mains[@]} > 0)) || die "no Go main found under ${repo}/dapr"

if [[ ${1:-} == --print ]]; then
  for dir in "${mains[@]}"; do
    v="$(module_version "${dir}" github.com/dapr/dapr)"
    printf '%s\n' "${cache}/daprd-${v#v}/daprd"
  done
  exit 0
fi

# require_go: stops with one line when there is no Go (only when something must be built).
require_go() {
  command -v go >/dev/null 2>&1 ||
    die "go not found on PATH: Go >= 1.26 is needed to build daprd (the end-to-end tests run the real daprd)"
}

# build_daprd DIR: builds (or reuses) the daprd of the Go main in DIR.
build_daprd() {
  local dir="$1" version hash out_dir out work dapr_dir err start
  version="$(module_version "${dir}" github.com/dapr/dapr)"
  [[ -n ${version} ]] || die "${dir}/go.mod does not require github.com/dapr/dapr"
  hash="$(inputs_hash "${dir}")"
  out_dir="${cache}/daprd-${version#v}"
  out="${out_dir}/daprd"
  if [[ -x ${out} && -f ${out_dir}/inputs.sha256 && "$(cat "${out_dir}/inputs.sha256")" == "${hash}" ]]; then
    log "daprd ${version}: ${out} (cached)"
    return 0
  fi
  require_go
  log "daprd ${version}: building from ${dir#"${repo}/"} (a few minutes on 2 cores the first time)"
  start=${SECONDS}
  mkdir -p "${cache}"
  work="$(mktemp -d "${cache}/build.XXXXXX")"
  # shellcheck disable=SC2064 # expand now: the trap must remove this build's folder
  trap "rm -rf '${work}'" EXIT

  if ! dapr_dir="$(cd "${dir}" && go mod download -json "github.com/dapr/dapr@${version}" 2>&1)" ||
    grep -q '"Error"' <<<"${dapr_dir}"; then
    die "Go module proxy ($(go env GOPROXY)): cannot download github.com/dapr/dapr@${version}: $(first_error "${dapr_dir}")"
  fi
  dapr_dir="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"${dapr_dir}")"
  [[ -d ${dapr_dir} ]] || die "go mod download printed no folder for github.com/dapr/dapr@${version}"

  cp -R "${dapr_dir}" "${work}/dapr"
  chmod -R u+w "${work}/dapr"
  # The package keeps one (empty) file, so app's import of it still compiles.
  printf '// Emptied by scripts/install-dapr.sh: components are registered by our main.\npackage components\n' \
    >"${work}/dapr/cmd/daprd/components/zz_notag.go"
  cp -R "${dir}" "${work}/main"
  (cd "${work}/main" && go mod edit -replace "github.com/dapr/dapr=../dapr")

  if ! err="$(cd "${work}/main" && go mod download 2>&1)"; then
    die "Go module proxy ($(go env GOPROXY)): cannot download the modules daprd ${version} needs: $(first_error "${err}")"
  fi
  if ! err="$(cd "${work}/main" && go build -trimpath \
    -ldflags "-s -w -X github.com/dapr/dapr/pkg/buildinfo.version=${version#v}" \
    -o "${work}/daprd" . 2>&1)"; then
    printf '%s\n' "${err}" >&2
    die "building daprd ${version} failed (go build output above)"
  fi
  mkdir -p "${out_dir}"
  mv -f "${work}/daprd" "${out}"
  printf '%s\n' "${hash}" >"${out_dir}/inputs.sha256"
  rm -rf "${work}"
  trap - EXIT
  log "daprd ${version}: built ${out} in $((SECONDS - start)) s"
}

# build_cli VERSION: builds the dapr CLI at VERSION (its module has replace directives, which
# `go install` refuses: build inside a writable copy instead).
build_cli() {
  local version="$1" out_dir out work src err
  out_dir="${cache}/cli-${version#v}"
  out="${out_dir}/dapr"
  if [[ -x ${out} ]]; then
    log "dapr CLI ${version}: ${out} (cached)"
    return 0
  fi
  require_go
  if ! src="$(go mod download -json "github.com/dapr/cli@${version}" 2>&1)" || grep -q '"Error"' <<<"${src}"; then
    die "Go module proxy ($(go env GOPROXY)): cannot download github.com/dapr/cli@${version}: $(first_error "${src}")"
  fi
  src="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"${src}")"
  mkdir -p "${cache}"
  work="$(mktemp -d "${cache}/build.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '${work}'" EXIT
  cp -R "${src}" "${work}/cli"
  chmod -R u+w "${work}/cli"
  if ! err="$(cd "${work}/cli" && go build -trimpath -ldflags "-s -w -X main.version=${version#v}" -o "${work}/dapr" . 2>&1)"; then
    printf '%s\n' "${err}" >&2
    die "building the dapr CLI ${version} failed (go build output above)"
  fi
  mkdir -p "${out_dir}"
  mv -f "${work}/dapr" "${out}"
  rm -rf "${work}"
  trap - EXIT
  log "dapr CLI ${version}: built ${out}"
}

for dir in "${mains[@]}"; do
  build_daprd "${dir}"
done
if [[ -n ${DAPR_CLI_VERSION:-} ]]; then
  build_cli "${DAPR_CLI_VERSION}"
fi
