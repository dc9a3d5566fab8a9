#!/usr/bin/env bash
# Web-of-trust benchmark: synthetic 100k keys / 1M certifications, then GnuPG side by side on the
# 1,000-key oracle keyring. Usage: bench/wot/run.sh [keys] [certs] [oracle-dir]
# Builds the keyserver classes first (offline); needs java 17, mvn, gpg.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
keys="${1:-100000}"
certs="${2:-1000000}"
oracle="${3:-$root/../shared/wot-oracle/out-1000}"
m2="${HOME}/.m2/repository"
(cd "$root" && mvn -q -B -o -pl keyserver compile)
cp="$root/keyserver/target/classes"
cp="$cp:$root/common/target/classes:$m2/org/keyhaven/keyhaven-common/0.1.0-SNAPSHOT/keyhaven-common-0.1.0-SNAPSHOT.jar"
cp="$cp:$m2/org/bouncycastle/bcprov-jdk18on/1.86/bcprov-jdk18on-1.86.jar"
cp="$cp:$m2/org/bouncycastle/bcpg-jdk18on/1.86/bcpg-jdk18on-1.86.jar"
cp="$cp:$m2/org/bouncycastle/bcutil-jdk18on/1.86/bcutil-jdk18on-1.86.jar"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
javac -d "$out" -cp "$cp" "$here/WotBench.java"
# -Xmx1g: the issue's budget is "under 1 GiB of heap" for the 100k/1M evaluation
exec java -Xmx1g -Xms1g -cp "$out:$cp" WotBench "$keys" "$certs" "$oracle"
