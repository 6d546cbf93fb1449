#!/bin/sh
# tml run in batch mode (one thread and two) and tml bench --json, on the
# golden cases: a batch's output must be the cases' outputs concatenated.
# usage: batch.sh TML SHARED
set -eu
tml=$1 shared=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for m in ad01_int8 vww_96_int8; do
  model=$shared/models/mlcommons_tiny/$m.tflite
  cases=$(ls "$shared/golden/$m"/*.in)
  n=$(echo "$cases" | wc -l)
  cat $cases > "$tmp/in"
  for c in $cases; do cat "${c%.in}.out"; done > "$tmp/want"
  "$tml" run "$model" --input "$tmp/in" --output "$tmp/out1"
  cmp "$tmp/out1" "$tmp/want"
  "$tml" run "$model" --input "$tmp/in" --output "$tmp/out2" --batch "$n" \
    --threads 2
  cmp "$tmp/out2" "$tmp/want"
  if "$tml" run "$model" --input "$tmp/in" --output "$tmp/out3" \
      --batch $((n + 1)) 2>/dev/null; then
    echo "batch.sh: a wrong --batch was accepted" >&2
    exit 1
  fi
  "$tml" bench "$model" --json --repeat 3 > "$tmp/bench"
  for key in median_us macs macs_per_s; do
    grep -q "\"$key\": [0-9]" "$tmp/bench"
  done
  echo "ok   $m: batch of $n, 1 and 2 threads; bench --json"
done
