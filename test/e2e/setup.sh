#!/usr/bin/env bash
# Installs what the real-VS-Code test needs: Debian's chromium, ripgrep and kerberos headers, and
# code-server 4.100.3 (VS Code 1.100, the newest on Node 20) in a cache folder outside the repo.
# Idempotent: a second run finds everything in place. Prints the code-server entry point last.
set -euo pipefail
VERSION=4.100.3
CACHE="${GEL_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/go-escape-lens-e2e}"
CS="$CACHE/node_modules/code-server"

need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${need[@]}" >&2
fi

if [ ! -f "$CACHE/.installed-$VERSION" ]; then
  mkdir -p "$CACHE"
  cd "$CACHE"
  [ -f package.json ] || echo '{"name":"gel-e2e-cache","private":true}' > package.json
  # Its postinstall refuses root and downloads binaries; each step below does what it would, offline.
  npm install --no-audit --no-fund --ignore-scripts "code-server@$VERSION" >&2
  cd "$CS/lib/vscode"
  npm install --no-audit --no-fund --omit=dev --ignore-scripts >&2
  mkdir -p node_modules/@vscode/ripgrep/bin
  cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  npm_config_yes=true npm rebuild kerberos node-pty @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog >&2
  ln -sfn node_modules node_modules.asar
  cd extensions
  npm install --no-audit --no-fund --omit=dev >&2
  cd "$CACHE"
  npm rebuild argon2 >&2 || true
  touch "$CACHE/.installed-$VERSION"
fi
echo "$CS/out/node/entry.js"
