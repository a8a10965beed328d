#!/bin/sh
# diff-changed-designs.sh BASE [FERMI DIFF OPTIONS…]
#
# Prints, as one Markdown pull-request comment, the capacity-plan diff of every design
# (*.fermi) that changed between the revision BASE (e.g. origin/main) and the working tree:
# `fermi diff FILE --base BASE --format markdown` for each, a line for each added or removed
# design. Extra options go to every `fermi diff` (e.g. --fail-on "cost.monthly > +10%").
# Exit status: 0, or 1 when a threshold was crossed, or 2 when a design could not be read.
# Run it from anywhere inside the repository; `fermi` must be on PATH (or set FERMI).
set -u
if [ $# -lt 1 ]; then
  echo "usage: $0 BASE [fermi diff options…]" >&2
  exit 2
fi
base=$1
shift
fermi=${FERMI:-fermi}
top=$(git rev-parse --show-toplevel) || exit 2
cd "$top" || exit 2
git rev-parse --verify --quiet "$base^{commit}" >/dev/null || {
  echo "unknown revision \`$base\` (fetch it first: git fetch origin)" >&2
  exit 2
}
status=0
changed=$(git diff --name-only --diff-filter=AMRD "$base" -- '*.fermi' | sort)
if [ -z "$changed" ]; then
  echo "No design changed since \`$base\`."
  exit 0
fi
echo "### Capacity plan changes since \`$base\`"
echo
for f in $changed; do
  if [ ! -f "$f" ]; then
    echo "**\`$f\`**: removed"
    echo
    continue
  fi
  if ! git cat-file -e "$base:$f" 2>/dev/null; then
    echo "**\`$f\`**: new design"
    echo
    continue
  fi
  "$fermi" diff "$f" --base "$base" --format markdown "$@"
  code=$?
  if [ "$code" -gt "$status" ]; then
    status=$code
  fi
  echo
done
exit "$status"
