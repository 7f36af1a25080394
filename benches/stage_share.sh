#!/usr/bin/env bash
# What each stage's rules add to the pipeline's time, as issues 4 and 5 ask
# ("value extraction adds no more than 20%", "fact extraction no more than
# 25%"): `extract --threads 1` on about 10 MB of JSONL (the corpus and the
# seed repeated), with the full rule pack and with a copy lacking one
# stage's rule files; best user CPU time of 3 runs each (steady on a busy
# machine, unlike wall time).
#
#   benches/stage_share.sh            # from the repository root
#   MB=50 benches/stage_share.sh      # a bigger input
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
bin=target/release/factsift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/in.jsonl" "${MB:-10}" <<'PY'
import glob, json, os, re, sys
out, mb = sys.argv[1], float(sys.argv[2])
paths = sorted(p for p in glob.glob("corpus/*.txt") + glob.glob("corpus/*.md")
               if not os.path.basename(p).startswith(("README", "ENTITY")))
paths += glob.glob("../shared/seeds/*.txt")
docs = []
for p in paths:
    t = open(p, encoding="utf-8").read()
    m = re.search(r"^date:\s*(\S+)", t, re.M)
    docs.append((os.path.basename(p), t, m.group(1) if m else "2025-06-30"))
n = i = 0
with open(out, "w", encoding="utf-8") as f:
    while n < mb * 1e6:
        name, t, d = docs[i % len(docs)]
        line = json.dumps({"id": f"{i}-{name}", "text": t, "date": d})
        f.write(line + "\n")
        n += len(line.encode())
        i += 1
PY
bytes=$(stat -c %s "$work/in.jsonl")
best() {
    local best=""
    for _ in 1 2 3; do
        local t
        t=$( { TIMEFORMAT=%U; time "$bin" extract "$work/in.jsonl" --jsonl --threads 1 "$@" -o /dev/null 2>/dev/null; } 2>&1 )
        if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
    done
    echo "$best"
}
full=$(best)
awk -v t="$full" -v b="$bytes" 'BEGIN{printf "full pack: %.2f s user, %.1f MB/s\n", t, b/t/1e6}'
for spec in "dates:dates.toml" "numbers:counts.toml units.toml" "values:dates.toml counts.toml units.toml" \
            "facts:facts.toml claims.toml" "world cities:places-world.toml"; do
    name=${spec%%:*}
    dir="$work/rules-${name// /-}"
    cp -r rules "$dir"
    for f in ${spec#*:}; do rm -f "$dir/$f"; done
    without=$(best --rules "$dir")
    awk -v n="$name" -v f="$full" -v w="$without" \
        'BEGIN{printf "%-13s without: %.2f s; adds %.2f s = %.1f%% to the rest\n", n, w, f-w, 100*(f-w)/w}'
done
