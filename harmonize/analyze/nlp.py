"""The spaCy pipeline: blank English + clause boundaries + sentencizer + lookup lemmatizer.

A text longer than PIECE_CHARS is analysed in pieces cut at line breaks and joined again
(`pipe`), so no section meets spaCy's max_length (error E088) however long it is.

A full English model is used instead when HARMONIZE_SPACY_MODEL names one that is installed
(e.g. en_core_web_sm); nothing is downloaded.
"""

from __future__ import annotations

import collections
import functools
import logging
import os
from collections.abc import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

log = logging.getLogger(__name__)

PIECE_CHARS = 100_000  # well under max_length; a piece ends at a line break where there is one


@Language.component("clause_boundaries")
def clause_boundaries(doc: Doc) -> Doc:
    """Start a new sentence after a line break or a semicolon, and at the bracket of a label.

    Statutes write penalty tiers as "(a) ...; (b) ..." or one subsection per line, and a
    tier is the unit the penalty extractor reads.
    """
    for token in doc[:-1]:
        if token.text == ";" or "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
    # "... currency points. (2) An offence mentioned in ...": the sentencizer leaves the opening
    # bracket of the next label on the sentence before; the label opens the next sentence.
    for token in doc[1:-1]:
        if token.text == "(" and doc[token.i + 1].is_sent_start and doc[token.i - 1].text in (".", ":", ";"):
            token.is_sent_start = True
            doc[token.i + 1].is_sent_start = False
    return doc


@functools.lru_cache(maxsize=1)
def get_nlp() -> Language:
    name = os.environ.get("HARMONIZE_SPACY_MODEL")
    if name:
        try:
            nlp = spacy.load(name, exclude=["ner"])
            nlp.add_pipe("clause_boundaries", before="parser" if "parser" in nlp.pipe_names else None)
            nlp.max_length = 5_000_000
            return nlp
        except OSError:
            log.warning("spaCy model %r is not installed; using the blank English pipeline", name)
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("clause_boundaries")  # after the sentencizer, which would overwrite it
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup tables from spacy-lookups-data (on disk)
    nlp.max_length = 5_000_000
    return nlp


def split_pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """`text` cut into pieces of at most `size` characters, each ending at a line break (else at a
    space) where one is near; the pieces join back into `text` exactly."""
    pieces = []
    start = 0
    while len(text) - start > size:
        end = start + size
        cut = text.rfind("\n", start + size // 2, end)
        if cut < 0:
            cut = text.rfind(" ", start + size // 2, end)
        end = cut + 1 if cut >= 0 else end
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces


def pipe(nlp: Language, texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
    """`nlp.pipe(texts)`, one Doc per text, long texts analysed in pieces (see `split_pieces`)."""
    counts: collections.deque[int] = collections.deque()
    size = min(PIECE_CHARS, nlp.max_length // 2)

    def pieces() -> Iterator[str]:
        for text in texts:
            parts = split_pieces(text, size)
            counts.append(len(parts))  # before its pieces reach the pipeline
            yield from parts

    docs = nlp.pipe(pieces(), batch_size=batch_size)
    for doc in docs:
        n = counts.popleft()
        yield doc if n == 1 else Doc.from_docs([doc, *(next(docs) for _ in range(n - 1))], ensure_whitespace=False)
