#!/usr/bin/env bash
# Install stopship and run its main job: load the official lists, then show what is in service.
# Loads ../shared/lists (or $STOPSHIP_LISTS) when present, else downloads from the publishers.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
lists=${STOPSHIP_LISTS:-../shared/lists}
if [ -d "$lists" ]; then
  .venv/bin/stopship lists update --from "$lists"
else
  .venv/bin/stopship lists update
fi
.venv/bin/stopship lists status
