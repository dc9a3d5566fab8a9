#!/usr/bin/env bash
# Fetches zlint 3.6.x from Debian trixie (not in bookworm) without changing the system's apt
# sources: a private apt state dir with a trixie source list, `apt-get download`, `dpkg-deb -x`.
# The binary is static Go and runs on bookworm.  Usage: fetch-zlint.sh <dest-dir>
# Prints the path of the zlint binary.
set -euo pipefail
DEST="${1:?usage: fetch-zlint.sh <dest-dir>}"
mkdir -p "$DEST"
DEST="$(cd "$DEST" && pwd)"
if [ -x "$DEST/x/usr/bin/zlint" ]; then echo "$DEST/x/usr/bin/zlint"; exit 0; fi
A="$DEST/apt"
mkdir -p "$A/etc/sources.list.d" "$A/etc/preferences.d" "$A/state/lists/partial" \
  "$A/cache/archives/partial"
: > "$A/etc/sources.list"
# The same Debian mirror the machine already uses, with the next release's suite.
MIRROR=$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -1)
[ -n "$MIRROR" ] || MIRROR=$(grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | grep -v security | head -1)
[ -n "$MIRROR" ] || { echo "fetch-zlint: no Debian mirror configured in apt" >&2; exit 1; }
cat > "$A/etc/sources.list.d/trixie.sources" <<SRC
Types: deb
URIs: $MIRROR
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
O=(-o "Dir::Etc=$A/etc" -o "Dir::Etc::sourcelist=$A/etc/sources.list"
   -o "Dir::Etc::sourceparts=$A/etc/sources.list.d" -o "Dir::State=$A/state"
   -o "Dir::Cache=$A/cache" -o "APT::Sandbox::User=root")
apt-get "${O[@]}" update -qq >/dev/null
(cd "$DEST" && apt-get "${O[@]}" download zlint >/dev/null 2>&1)
dpkg-deb -x "$(ls "$DEST"/zlint_*.deb | head -1)" "$DEST/x"
echo "$DEST/x/usr/bin/zlint"
