#!/usr/bin/env bash
# Installs DuckDB's httpfs extension, with which `bin/tidings serve --lake s3://...` reads the lake:
# it is not inside the duckdb_jdbc jar, and DuckDB may not download it at run time (no network).
# PyPI publishes it, signed by DuckDB, as the wheel duckdb-extension-httpfs (one per platform, same
# version as DuckDB). pip picks this machine's wheel; the extension is copied out of it to
#   DEST/vVERSION/httpfs.duckdb_extension
# where the dashboard LOADs it from (dashboard/src/main/java/io/tidings/dashboard/lake/S3LakeRoot.java).
# Usage: dashboard/fetch-httpfs.sh VERSION DEST     (the Makefile passes the pom's DuckDB version)
set -euo pipefail
version="${1:?usage: fetch-httpfs.sh DUCKDB_VERSION DEST}"
dest="${2:?usage: fetch-httpfs.sh DUCKDB_VERSION DEST}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pip=(python3 -m pip)
if ! python3 -m pip --version >/dev/null 2>&1; then
  # No pip beside the system Python (Debian's python3 without python3-pip): a throwaway venv has one.
  python3 -m venv "$work/venv"
  pip=("$work/venv/bin/pip")
fi
"${pip[@]}" download -q --disable-pip-version-check --no-deps --only-binary=:all: \
  "duckdb-extension-httpfs==$version" -d "$work/wheel"
python3 -m zipfile -e "$work"/wheel/duckdb_extension_httpfs-*.whl "$work/unpacked"
mkdir -p "$dest/v$version"
# Renamed into place, so a half-copied file is never LOADed.
cp "$work/unpacked/duckdb_extension_httpfs/extensions/v$version/httpfs.duckdb_extension" "$dest/v$version/.httpfs.partial"
mv "$dest/v$version/.httpfs.partial" "$dest/v$version/httpfs.duckdb_extension"
echo "installed $dest/v$version/httpfs.duckdb_extension"
