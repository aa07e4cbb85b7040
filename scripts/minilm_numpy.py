"""A plain numpy forward pass of all-MiniLM-L6-v2 (BERT, 6 layers, 384 dims)
with sentence-transformers' mean pooling and L2 normalisation.

It is the reference the Rust full mode (src/embed/transformer.rs) is checked
against, and distill_static.py can use it to run every vocabulary token through
the model (the model2vec-style variant). Only numpy and safetensors are needed.
"""

import numpy as np
from safetensors.numpy import load_file


def _gelu(x):
    # BERT's exact (erf) GELU.
    return 0.5 * x * (1.0 + _erf(x / np.float32(np.sqrt(2.0))))


def _erf(x):
    # Numerical Recipes' erfc (Chebyshev fit, fractional error < 1.2e-7),
    # evaluated in float64: numpy has no erf and scipy is not needed.
    z = np.abs(x.astype(np.float64))
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    erfc = t * np.exp(-z * z + poly)
    return np.where(x >= 0, 1.0 - erfc, erfc - 1.0).astype(x.dtype)


def _layer_norm(x, w, b, eps=1e-12):
    mu = x.mean(-1, keepdims=True)
    var = ((x - mu) ** 2).mean(-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


def _attend(q, k, v, bias):
    """Softmax attention of every head: q, k, v are (B, heads, T, head dims),
    bias is added to the scaled scores (padding mask, position bias)."""
    s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(q.shape[-1]) + bias
    s = s - s.max(-1, keepdims=True)
    a = np.exp(s)
    a /= a.sum(-1, keepdims=True)
    b, _, t, _ = q.shape
    return (a @ v).transpose(0, 2, 1, 3).reshape(b, t, -1)


def _padded(batch, pad_id):
    """Lists of token ids as a (B, T) id array padded with pad_id, and its mask."""
    t = max(len(ids) for ids in batch)
    ids = np.full((len(batch), t), pad_id, dtype=np.int64)
    mask = np.zeros((len(batch), t), dtype=np.int64)
    for i, row in enumerate(batch):
        ids[i, : len(row)] = row
        mask[i, : len(row)] = 1
    return ids, mask


def _mean_pool(h, mask, normalize=True):
    """sentence-transformers' mean pooling over real tokens (and L2 norm)."""
    m = mask[..., None].astype(np.float32)
    pooled = (h * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    if not normalize:
        return pooled
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


class MiniLM:
    def __init__(self, safetensors_path, heads=12):
        w = load_file(safetensors_path)
        self.w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in w.items()}
        self.heads = heads
        self.layers = 1 + max(
            int(k.split(".")[2]) for k in self.w if k.startswith("encoder.layer.")
        )

    def hidden(self, ids, mask):
        """Last hidden states for a padded batch: ids, mask are (B, T) int arrays."""
        w = self.w
        b, t = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(t)][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        d = x.shape[-1]
        hd = d // self.heads
        bias = (1.0 - mask[:, None, None, :].astype(np.float32)) * -1e9
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def lin(name, v):
                return v @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q = lin("attention.self.query", x).reshape(b, t, self.heads, hd).transpose(0, 2, 1, 3)
            k = lin("attention.self.key", x).reshape(b, t, self.heads, hd).transpose(0, 2, 1, 3)
            v = lin("attention.self.value", x).reshape(b, t, self.heads, hd).transpose(0, 2, 1, 3)
            ctx = _attend(q, k, v, bias)
            x = _layer_norm(
                lin("attention.output.dense", ctx) + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            h = _gelu(lin("intermediate.dense", x))
            x = _layer_norm(
                lin("output.dense", h) + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        return x

    def embed_ids(self, batch, normalize=True):
        """Mean-pooled (and L2-normalised) sentence vectors for lists of token ids."""
        ids, mask = _padded(batch, 0)
        return _mean_pool(self.hidden(ids, mask), mask, normalize)

SENTENCES = [
    "Is customer data encrypted at rest?",
    "Do you encrypt stored customer information with AES-256?",
    "Is multi-factor authentication enforced for all workforce access to production?",
    "Can your staff log in to production systems with just a username and password?",
    "Do you perform an annual third-party penetration test?",
    "Will you share the executive summary of your latest pen-test report?",
    "What are your RTO and RPO?",
    "How quickly are accounts deprovisioned when someone leaves?",
    "Are backups tested by restoring them at least once a quarter?",
    "Describe your incident response process.",
    "Please provide your SOC 2 Type II report under NDA.",
    "Is customer data used to train or fine-tune AI/ML models?",
    "Do you maintain an inventory of hardware and software assets?",
    "Are security patches applied within 30 days of release?",
    "Is logging centralised and retained for at least one year?",
    "Does the supplier screen employees before hiring (background checks)?",
    "Are passwords stored in plaintext?",
    "MFA?",
    "",
    "Café naïve résumé: ünïcödé, “quotes” and an em dash — plus 数据加密 and 🔒.",
    "We are a regional bank regulated by several supervisors, and our vendor management "
    "policy requires us to understand how suppliers protect the confidentiality of the "
    "data we send them. Our auditors have asked in particular about encryption. Do you "
    "encrypt customer data in transit over public networks using TLS 1.2 or higher?",
    # Longer than 256 tokens: truncated like sentence-transformers (max_seq_length 256).
    " ".join(["Describe how access reviews, logging, alerting and backups work together."] * 30),
    "ISO/IEC 27001:2022 certificate, PCI DSS v4.0 AOC, HIPAA BAA & GDPR DPA (Art. 28)?",
    "Zero standing privileges via just-in-time PAM elevation for SREs",
    "Is there a documented, tested business continuity plan covering pandemics?",
    "Do you support SAML 2.0 single sign-on and SCIM provisioning?",
    "How often do you recertify entitlements?",
    "Are cloud workloads protected by a CWPP and IDS/IPS?",
    "Do you hold cyber liability insurance?",
    "Is the application source code placed in escrow?",
]


def main():
    """Prints reference vectors (JSON) for SENTENCES: the Rust full mode must
    agree with them (tests/embed_transformer.rs)."""
    import json
    import sys

    from tokenizers import Tokenizer  # the reference tokeniser (pip install tokenizers)

    model_dir = sys.argv[1]
    tok = Tokenizer.from_file(f"{model_dir}/tokenizer.json")
    tok.no_padding()
    tok.enable_truncation(256)
    model = MiniLM(f"{model_dir}/model.safetensors")
    rows = []
    for s in SENTENCES:
        ids = tok.encode(s).ids
        vec = model.embed_ids([ids])[0]
        rows.append({"text": s, "tokens": len(ids), "vector": [round(float(x), 6) for x in vec]})
    json.dump({"model": "sentence-transformers/all-MiniLM-L6-v2", "rows": rows}, sys.stdout, indent=0)
    print()


if __name__ == "__main__":
    main()
