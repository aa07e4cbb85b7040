#!/usr/bin/env python3
"""Baseline for benches/matcher.rs: rapidfuzz.process.extractOne(fuzz.WRatio)
over the same synthetic data (10,000 entries x 5,000 questions).

Run `cargo bench --bench matcher` first (it writes target/bench-data/*.csv),
then: pip install rapidfuzz && python3 benches/baseline_rapidfuzz.py
"""
import csv
import resource
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process, utils

DATA = Path(__file__).resolve().parent.parent / "target" / "bench-data"


def main() -> int:
    started = time.perf_counter()
    with open(DATA / "library.csv", newline="", encoding="utf-8") as f:
        library = [row["question"] for row in csv.DictReader(f)]
    with open(DATA / "questions.csv", newline="", encoding="utf-8") as f:
        questions = [row["question"] for row in csv.DictReader(f)]
    t0 = time.perf_counter()
    for q in questions:
        process.extractOne(q, library, scorer=fuzz.WRatio, processor=utils.default_process)
    match_s = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"rapidfuzz WRatio: {len(library)} entries x {len(questions)} questions (single thread)")
    print(f"  matching:   {match_s:.3f} s ({len(questions) / match_s:.0f} questions/s)")
    print(f"  whole process wall time: {time.perf_counter() - started:.3f} s")
    print(f"  peak RSS: {peak_kb} kB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
