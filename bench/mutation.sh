#!/bin/sh
# Mutation check of the domain (specialist_tui/domain/) against tests/domain/, with mutmut.
# Not in CI: ~15 minutes with one worker on a shared 2-core machine (docs/mutation.md has the
# last scores and the surviving mutants explained). Needs `pip install mutmut` in the
# venv. Prints mutmut's result list, then the score per file (killed / all mutants); every
# survivor should be explained as equivalent or killed by a new test.
#
#   sh bench/mutation.sh            # run (resumes where a cut-off run stopped)
#   sh bench/mutation.sh --fresh    # forget the last run's results first (stale after edits)
#   MUTMUT_CHILDREN=1 sh bench/mutation.sh   # run with one worker on a busy machine
#   sh bench/mutation.sh --report   # only print the scores of the last run
set -eu
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--fresh" ]; then
    rm -rf mutants .mutmut-cache .mutmut-results.txt
fi
if [ "${1:-}" != "--report" ]; then
    nice mutmut run --max-children "${MUTMUT_CHILDREN:-2}" || true
fi
mutmut results --all true > .mutmut-results.txt 2>/dev/null || mutmut results > .mutmut-results.txt
python - <<'PY'
import collections, re
counts = collections.defaultdict(collections.Counter)
for line in open(".mutmut-results.txt", encoding="utf-8"):
    match = re.match(r"\s*(specialist_tui\.domain\.[\w.]+?)\.x.*?: (\w[\w ]*)$", line.rstrip())
    if match:
        module = match.group(1).rsplit(".", 1)[0] if "__mutmut" in match.group(1) else match.group(1)
        counts[module][match.group(2)] += 1
print(f"{'module':48} {'killed':>7} {'all':>6} {'score':>7}")
for module, c in sorted(counts.items()):
    total = sum(c.values())
    killed = c["killed"] + c["timeout"]
    print(f"{module:48} {killed:7} {total:6} {killed / total:7.1%}  {dict(c)}")
PY
