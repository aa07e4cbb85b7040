#!/usr/bin/env python3
"""The text corpus the static embedding table is distilled on
(`scripts/distill_static.py --variant learned`): sentences of technical and
security prose that no eval set contains.

Sources (all openly licensed; only the trained table is committed, never the
corpus):
- Debian documentation packages, bookworm: debian-handbook 11.20220922
  (GPL-2+ / CC-BY-SA-3.0), harden-doc (the Securing Debian Manual, GPL-2+),
  debian-reference-en 2.100 (GPL-2+), python3.11-doc (PSF licence), and the
  licence texts in /usr/share/common-licenses. Install them with
  `apt-get install debian-handbook harden-doc debian-reference-en python3.11-doc`.
- Google's VSAQ questionnaires (Apache-2.0) and the ThinSky SIG-Lite-style
  template (CC BY 4.0) from ../shared/questionnaires.
- This repository's demo answer library (answers/*.toml).

Neither eval set (../shared/eval/dev, ../shared/eval/val) is read: dev stays an
honest test of the table. Sentences of 5-60 words, mostly letters, deduplicated;
the documentation sentences are shuffled with a fixed seed and the Python docs
capped at 25,000.

    python3 scripts/static_corpus.py --shared ../shared --out corpus.txt
"""
import argparse
import csv
import glob
import html
import os
import random
import re
import sys
import tomllib


def sentences(text, strict=False):
    text = re.sub(r"\s+", " ", text)
    for s in re.split(r"(?<=[.?!])\s+(?=[A-Z])", text):
        words = s.split()
        if not 5 <= len(words) <= 60 or sum(c.isalpha() for c in s) <= 0.6 * len(s):
            continue
        if strict and re.search(r"[{}=<>|_\\]|::|\(\)", s):
            continue  # code, not prose
        yield s.strip()


def html_text(path):
    page = open(path, encoding="utf-8", errors="ignore").read()
    page = re.sub(r"(?s)<(script|style|pre).*?</\1>", " ", page)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def rst_text(path):
    text = open(path, encoding="utf-8", errors="ignore").read()
    text = re.sub(r"(?m)^\s{3,}.*$", "", text)  # indented code blocks
    text = re.sub(r":[a-z:]+:`([^`<]*)(<[^>]*>)?`", r"\1", text)
    text = re.sub(r"[`*]+", "", text)
    return re.sub(r"(?m)^[=\-~^\"#*]{3,}$", "", text)


def strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default="../shared")
    ap.add_argument("--answers", default="answers")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    docs = []
    pages = sorted(
        glob.glob("/usr/share/doc/debian-handbook/html/en-US/*.html")
        + glob.glob("/usr/share/doc/harden-doc/html/en-US/*.html")
        + glob.glob("/usr/share/debian-reference/*.en.html")
    )
    if not pages:
        sys.exit("no Debian documentation found: apt-get install debian-handbook harden-doc debian-reference-en python3.11-doc")
    for page in pages:
        docs.extend(sentences(html_text(page)))
    q = os.path.join(args.shared, "questionnaires")
    for path in sorted(glob.glob(os.path.join(q, "vsaq-*.json"))):
        for m in re.finditer(r'"text"\s*:\s*"((?:[^"\\]|\\.)*)"', open(path, encoding="utf-8").read()):
            docs.extend(sentences(html.unescape(re.sub(r"<[^>]+>", " ", m.group(1)))))
    for row in csv.reader(open(os.path.join(q, "thinsky-sig-lite-style-answer-library.csv"), encoding="utf-8")):
        for cell in row:
            docs.extend(sentences(cell))
    for path in sorted(glob.glob(os.path.join(args.answers, "*.toml"))):
        for text in strings(tomllib.load(open(path, "rb"))):
            docs.extend(sentences(text))
    docs = list(dict.fromkeys(docs))
    random.Random(0).shuffle(docs)

    general = []
    for path in sorted(glob.glob("/usr/share/doc/python3.11/html/_sources/**/*.txt", recursive=True)):
        general.extend(sentences(rst_text(path), strict=True))
    for path in sorted(glob.glob("/usr/share/common-licenses/*")):
        if os.path.isfile(path):
            general.extend(sentences(open(path, encoding="utf-8", errors="ignore").read(), strict=True))
    seen = set(docs)
    general = [s for s in dict.fromkeys(general) if s not in seen]
    random.Random(1).shuffle(general)
    corpus = docs + general[:25000]
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("\n".join(corpus) + "\n")
    print(f"{args.out}: {len(corpus)} sentences ({len(docs)} documentation and questionnaire, {len(corpus) - len(docs)} general)")


if __name__ == "__main__":
    main()
