#!/usr/bin/env bash
# Installs, with apt-get, every Debian package the build and the tests need: a base list plus one
# file per area in .ci/deps/*.txt (one package per line, '#' comments). Idempotent and quick when
# everything is already there.
set -euo pipefail
cd "$(dirname "$0")"
BASE=(openjdk-17-jdk-headless maven gnupg dirmngr openssl curl ldap-utils postgresql softhsm2 procps)
mapfile -t AREA < <(cat deps/*.txt 2>/dev/null | sed 's/#.*//' | tr -s ' \t' '\n' | grep -v '^$' || true)
missing=()
for p in "${BASE[@]}" "${AREA[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  # slapd: install the binaries only; tests start their own slapd with a temp config.
  echo "slapd slapd/no_configuration boolean true" | debconf-set-selections
  apt-get update -q >&2
  apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi
