#!/usr/bin/env bash
# Benchmark (issue 9): build a SYNTHETIC national project — every municipality
# and ward of Japan, a hub per five areas, 20,000 providers, council statuses,
# about 47,000 pages — and report wall time, pages/second and peak memory
# (/usr/bin/time), median of N runs, for:
#   cold   clean output directory (no manifest, no parse cache)
#   warm   nothing changed
#   change one provider's phone number changed
# Usage: benches/national.sh [runs]   (default 3; output on tmpfs /dev/shm)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
work=${BENCH_DIR:-/dev/shm/tsunagu-bench}
geo=${BENCH_GEODATA:-../shared/geodata/N03-21_210101.json}

cargo build --release --locked --quiet
bin=$PWD/target/release/tsunagu
rm -rf "$work" && mkdir -p "$work"
if [[ -f $geo ]]; then
  "$bin" bench-data "$work/project" --geodata "$geo"
else
  echo "note: $geo not found; municipal names are invented" >&2
  "$bin" bench-data "$work/project"
fi
site=$work/site

# One run: prints "<wall s> <peak KB> <pages> <files written>".
run() {
  local log=$work/run.log
  /usr/bin/time -f "%e %M" -o "$work/time" "$bin" --root "$work/project" build --out "$site" >"$log"
  local pages written
  pages=$(grep -o 'built [0-9]*' "$log" | grep -o '[0-9]*' || echo -)
  written=$(grep -o '[0-9]* written' "$log" | grep -o '[0-9]*' || echo 0)
  echo "$(cat "$work/time") $pages $written"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# pages/s only where every page was rendered (the cold build).
report() {
  local name=$1 file=$2
  local wall rss pages written
  wall=$(cut -d' ' -f1 "$file" | median)
  rss=$(cut -d' ' -f2 "$file" | median)
  pages=$(cut -d' ' -f3 "$file" | head -1)
  written=$(cut -d' ' -f4 "$file" | head -1)
  local rate=-
  [[ $name == cold ]] && rate=$(awk -v p="$pages" -v w="$wall" 'BEGIN {printf "%d", p / w}')
  printf '| %-6s | %6s s | %7s | %7s | %6s | %6d MB |\n' "$name" "$wall" "$pages" "$written" "$rate" $((rss / 1024))
}

: >"$work/cold"; : >"$work/warm"; : >"$work/change"
for _ in $(seq "$runs"); do
  rm -rf "$site" "$work/.site.tsunagu-manifest" "$work/.site.tsunagu-cache"
  run >>"$work/cold"
done
for _ in $(seq "$runs"); do run >>"$work/warm"; done
provider_file=$(ls "$work"/project/data/providers/*.toml | head -1)
for i in $(seq "$runs"); do
  # Toggle one provider's phone number between two values.
  sed -i "0,/^phone = \"[0-9-]*\"/s//phone = \"03-0000-00$((10 + i))\"/" "$provider_file"
  run >>"$work/change"
done

echo
echo "tsunagu $("$bin" --version | cut -d' ' -f2), $(nproc) cores, output on $(df --output=fstype "$work" | tail -1), median of $runs"
echo "| build  | wall     | pages   | written | pages/s | peak RSS |"
echo "| ---    | ---      | ---     | ---     | ---     | ---      |"
report cold "$work/cold"
report warm "$work/warm"
report change "$work/change"
