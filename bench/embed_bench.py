"""Embedding speed and agreement per setting, on a sample of the corpus's real units.

Usage: python bench/embed_bench.py --data DIR [--n 640] [--seed 0] [--threads 2]
       [--configs 256:fp32:32,128:fp32:32,128:int8:32,...]

Takes ``--n`` units at random (fixed seed) from the store of DIR, builds their embedded texts
as `harmonize index` does, and for each configuration ``SEQ:fp32|int8|bf16:BATCH`` (word pieces
the model reads; float, the Linear layers in int8 dynamic quantisation, or bfloat16 weights;
batch size) prints the units
per second and how closely its vectors agree with the first configuration's (cosine: mean,
5th percentile, minimum), and the share of units for which the first configuration's nearest
neighbour in the sample is still the nearest. Also: how many word pieces the texts have (the
share cut at 128 and at 256), and how many of them are identical texts (embedded once).
Print ``uptime`` beside the figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time

import numpy as np

from harmonize import config
from harmonize.index.embed import EmbedSettings, collect_units, encode, load_model
from harmonize.store import Store


def parse_config(text: str) -> tuple[EmbedSettings, int]:
    seq, kind, batch = text.split(":")
    return EmbedSettings(int(seq), kind), int(batch)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--n", type=int, default=640)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: every core)")
    ap.add_argument("--configs", default="256:fp32:32,128:fp32:32,256:int8:32,128:int8:32,128:int8:64,128:int8:16")
    args = ap.parse_args()
    import torch

    with Store(config.store_path(config.data_dir(args.data))) as store:
        units = collect_units(store)
    texts_all = [u.embed_text() for u in units]
    print(f"units {len(units)}, distinct embedded texts {len(set(texts_all))} "
          f"({len(units) - len(set(texts_all))} identical copies, embedded once)")
    sample = random.Random(args.seed).sample(range(len(units)), min(args.n, len(units)))
    texts = [texts_all[i] for i in sample]
    tokenizer = load_model(None, EmbedSettings(256, "fp32")).tokenizer
    pieces = np.array([len(tokenizer(t, add_special_tokens=True, truncation=False)["input_ids"]) for t in texts])
    print(f"sample {len(texts)} units: word pieces median {int(np.median(pieces))}, mean {pieces.mean():.0f}; "
          f"over 128: {np.mean(pieces > 128):.0%}, over 256: {np.mean(pieces > 256):.0%}")
    print(f"load: {os.getloadavg()[0]:.2f} (1 min)")
    reference = None
    print(f"{'config':<16} {'threads':>7} {'units/s':>8} {'cos mean':>9} {'cos p5':>7} {'cos min':>8} {'nn kept':>8}")
    for spec in args.configs.split(","):
        settings, batch = parse_config(spec)
        model = load_model(None, settings)
        encode(model, texts[:8], batch_size=batch)  # warm up
        started = time.perf_counter()
        vecs = encode(model, texts, batch_size=batch, threads=args.threads or None)
        rate = len(texts) / (time.perf_counter() - started)
        threads = torch.get_num_threads()
        if reference is None:
            reference = vecs
            ref_nn = _nearest(reference)
        cos = np.sum(vecs * reference, axis=1)
        kept = np.mean(_nearest(vecs) == ref_nn)
        print(f"{spec:<16} {threads:>7} {rate:>8.1f} {cos.mean():>9.4f} {np.percentile(cos, 5):>7.4f} "
              f"{cos.min():>8.4f} {kept:>8.2f}   (load {os.getloadavg()[0]:.2f})")
    return 0


def _nearest(vecs: np.ndarray) -> np.ndarray:
    sims = vecs @ vecs.T
    np.fill_diagonal(sims, -2)
    return sims.argmax(axis=1)


if __name__ == "__main__":
    sys.exit(main())
