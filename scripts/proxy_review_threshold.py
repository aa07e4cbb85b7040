#!/usr/bin/env python3
"""The review threshold chosen on the unseen-wording proxy (docs/matcher.md).

Runs `vouch eval DEV --cv 5 --score-dropout 0.5 --fit-seed S --json` for three
draws (S = 1, 2, 3), averages top-1 + abstention F1 of their threshold sweeps
and prints the best threshold. Extra arguments go to every `vouch eval` run
(full mode: `--model DIR --fit-dropout 0.99`).

    python3 scripts/proxy_review_threshold.py ../shared/eval/dev [ARGS...]
    python3 scripts/proxy_review_threshold.py --at 0.25 ../shared/eval/dev [ARGS...]

With `--at T` it prints each draw's top-1, abstention F1 and their sum at
threshold T instead: the figures the keep-or-drop rule compares (a setting is
kept when the sum rises in all three draws).

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
    args = sys.argv[1:]
    at = None
    if args[0] == "--at":
        if len(args) < 3:
            sys.exit(__doc__)
        at, args = float(args[1]), args[2:]
    dev, extra = args[0], args[1:]
    sweeps = [sweep(vouch, dev, seed, extra) for seed in (1, 2, 3)]
    if at is not None:
        for seed, points in zip((1, 2, 3), sweeps):
            p = min(points, key=lambda p: abs(p["threshold"] - at))
            total = p["top1"] + p["abstain_f1"]
            print(f"draw {seed} at {p['threshold']:.2f}: top-1 {p['top1']:.3f}  F1 {p['abstain_f1']:.3f}  sum {total:.3f}")
        return
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
