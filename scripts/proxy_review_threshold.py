#!/usr/bin/env python3
"""The review threshold chosen on the unseen-wording proxy (docs/matcher.md).

Runs `vouch eval DEV --cv 5 --score-dropout 0.5 --fit-seed S --json` for three
draws (S = 1, 2, 3), averages top-1 + abstention F1 of their threshold sweeps
and prints the best threshold. Extra arguments go to every `vouch eval` run
(full mode: `--model DIR --fit-dropout 0.99`).

    python3 scripts/proxy_review_threshold.py ../shared/eval/dev [ARGS...]

VOUCH (default: target/release/vouch) is the binary.
"""
import json
import os
import subprocess
import sys


def sweep(vouch, dev, seed, extra):
    out = subprocess.run(
        [vouch, "eval", dev, "--cv", "5", "--score-dropout", "0.5",
         "--fit-seed", str(seed), "--json", "--quiet", *extra],
        check=True, capture_output=True, text=True,
    ).stdout
    return json.loads(out)["summary"]["sweep"]


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    vouch = os.environ.get("VOUCH", "target/release/vouch")
    dev, extra = sys.argv[1], sys.argv[2:]
    sweeps = [sweep(vouch, dev, seed, extra) for seed in (1, 2, 3)]
    best = None
    for points in zip(*sweeps):
        t = points[0]["threshold"]
        value = sum(p["top1"] + p["abstain_f1"] for p in points) / len(points)
        print(f"t={t:.2f}  top-1 + F1 = {value:.3f}")
        if best is None or value > best[0] + 1e-12:
            best = (value, t)
    print(f"best review threshold: {best[1]:.2f}")


if __name__ == "__main__":
    main()
