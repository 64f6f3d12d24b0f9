# Sourced by .ci/run: the Debian packages the tests use as real components. Each test starts
# its own redis-server on a free 127.0.0.1 port (nothing here leaves one running), and the
# browser tests drive /usr/bin/chromium through puppeteer-core. Installed only when missing,
# so a warm machine skips apt entirely. CI runs as root on a fresh machine.
pk_missing=()
command -v redis-server >/dev/null 2>&1 || pk_missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || pk_missing+=(chromium)
if [ ${#pk_missing[@]} -gt 0 ]; then
  echo "provisionkit: installing ${pk_missing[*]} with apt-get" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${pk_missing[@]}" >&2
fi
unset pk_missing SUDO
