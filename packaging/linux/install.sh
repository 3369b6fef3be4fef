#!/usr/bin/env bash
# Install the desktop entry, icon and AppStream metadata for the current user (or a prefix):
#   packaging/linux/install.sh            -> ~/.local/share
#   PREFIX=/usr/local packaging/linux/install.sh
# The `ociconsole` command itself comes from `pip install .` (it must be on PATH).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
share="${PREFIX:+$PREFIX/share}"
share="${share:-${XDG_DATA_HOME:-$HOME/.local/share}}"
id=io.github.ociconsole.OciConsole

install -Dm644 "$here/$id.desktop" "$share/applications/$id.desktop"
install -Dm644 "$here/$id.metainfo.xml" "$share/metainfo/$id.metainfo.xml"
install -Dm644 "$root/resources/icons/app.svg" "$share/icons/hicolor/scalable/apps/$id.svg"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$share/icons/hicolor" || true
echo "installed $id into $share"
command -v ociconsole >/dev/null || echo "note: ociconsole is not on PATH yet (pip install . first)" >&2
