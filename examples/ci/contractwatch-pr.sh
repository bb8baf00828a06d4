#!/usr/bin/env bash
# What the example CI jobs run for a pull request or merge request, step by step, against a
# fresh PostgreSQL (the job's service): the same commands work on your machine against a
# throwaway server (README, "CI").
#
#   examples/ci/contractwatch-pr.sh BASE_REF
#
# Environment: DSN (libpq connection string, no password in it: use PGPASSWORD or ~/.pgpass),
# CONTRACTWATCH (the binary, default contractwatch), CONTRACTS (default contracts), MIGRATIONS
# (default db/migrations, numbered *.sql files applied with psql in version order), OUT (where
# the reports go, default contractwatch-out), FORMAT (annotations on stdout: github, gitlab or
# text; default text).
#
# Writes OUT/check.sarif, OUT/check.gitlab.json, OUT/check.xml, OUT/preview.sarif and
# OUT/comment.md (one comment: check, contract diff, migration preview, starting with the
# marker a CI step finds it by). Exits 1 when a contract breaks, a breaking contract change or
# an error-severity migration hazard is found, 3 when the database cannot be reached.
set -uo pipefail

base=${1:?usage: contractwatch-pr.sh BASE_REF}
cw=${CONTRACTWATCH:-contractwatch}
contracts=${CONTRACTS:-contracts}
migrations=${MIGRATIONS:-db/migrations}
out=${OUT:-contractwatch-out}
format=${FORMAT:-text}
: "${DSN:?set DSN to the database the migrations run on}"
mkdir -p "$out"
status=0
note() { [ "$1" -gt "$status" ] && status=$1; return 0; }

# The migrations this change adds, in version order; the first one is where preview starts.
added=$(git diff --name-only --diff-filter=A "$base" -- "$migrations" | xargs -r -n1 basename | sort -V)
first_added=$(printf '%s\n' "$added" | head -n1)

echo "== 1. the base branch's migrations"
for file in $(ls "$migrations" 2>/dev/null | grep '\.sql$' | sort -V); do
  printf '%s\n' "$added" | grep -qx "$file" && continue
  psql "$DSN" -X -q -v ON_ERROR_STOP=1 -f "$migrations/$file" || exit 3
done

echo "== 2. what the added migrations would break and do (on a schema copy of the database)"
if [ -n "$first_added" ]; then
  "$cw" preview "$migrations" --from "$first_added" --dsn "$DSN" --contracts "$contracts" --format "$format"
  note $?
  "$cw" preview "$migrations" --from "$first_added" --dsn "$DSN" --contracts "$contracts" --format sarif \
    > "$out/preview.sarif" 2>/dev/null
  "$cw" preview "$migrations" --from "$first_added" --dsn "$DSN" --contracts "$contracts" --format markdown \
    > "$out/preview.md" 2>/dev/null
else
  echo "no migration added"
  : > "$out/preview.md"
fi

echo "== 3. the added migrations, applied"
for file in $added; do psql "$DSN" -X -q -v ON_ERROR_STOP=1 -f "$migrations/$file" || note 1; done

echo "== 4. the contracts against the migrated database"
"$cw" check --dsn "$DSN" --contracts "$contracts" --format "$format"
note $?
for report in sarif:check.sarif gitlab:check.gitlab.json junit:check.xml markdown:check.md; do
  "$cw" check --dsn "$DSN" --contracts "$contracts" --format "${report%%:*}" > "$out/${report#*:}" 2>/dev/null
done

echo "== 5. the contract changes, from the consumers' side"
"$cw" diff --base "$base" --contracts "$contracts" --format "$format"
note $?
"$cw" diff --base "$base" --contracts "$contracts" --format markdown > "$out/diff.md" 2>/dev/null

cat "$out/check.md" "$out/diff.md" "$out/preview.md" > "$out/comment.md"
exit "$status"
