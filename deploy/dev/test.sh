#!/usr/bin/env bash
# `make test`: the whole suite as two pytest processes side by side, one per core of the 2-core
# machine CI runs on. Most integration tests wait (on RabbitMQ, a render child, a browser, a
# platform starting), so the unit tests' CPU work fits in those waits: the suite takes about the
# time of the longer half instead of the sum. Each half is a full pytest run of its own (its own
# RabbitMQ vhost, temporary folder and report); any arguments go to both.
# The halves are balanced by measured time (`pytest --durations`), not by count.
set -uo pipefail
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-.venv/bin/python}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# The halves split the tree so that every test runs exactly once, new files included: the
# integration folder but its schemathesis run here; everything else, and that run, there.
MOVED=tests/integration/test_schemathesis.py
INTEGRATION=(tests/integration --ignore="$MOVED")
REST=(tests)
for file in tests/integration/test_*.py; do
    [ "$file" = "$MOVED" ] || REST+=(--ignore="$file")
done

echo "Running the suite in two halves: integration tests here, the rest in the background (its report follows)."
"$PYTHON" -m pytest --basetemp="$WORK/rest" -p no:cacheprovider -q "${REST[@]}" "$@" > "$WORK/rest.log" 2>&1 &
rest=$!
"$PYTHON" -m pytest --basetemp="$WORK/integration" -p no:cacheprovider "${INTEGRATION[@]}" "$@"
integration=$?
echo "Waiting for the other half (unit, conformance, browser, schemathesis, benchmark smoke)..."
wait "$rest"
others=$?
cat "$WORK/rest.log"
echo "integration half: exit $integration; other half: exit $others"
[ "$integration" -eq 0 ] && [ "$others" -eq 0 ]
