"""The spaCy pipeline: blank English + clause boundaries + sentencizer + lookup lemmatizer.

A full English model is used instead when HARMONIZE_SPACY_MODEL names one that is installed
(e.g. en_core_web_sm); nothing is downloaded.
"""

from __future__ import annotations

import functools
import logging
import os

import spacy
from spacy.language import Language
from spacy.tokens import Doc

log = logging.getLogger(__name__)


@Language.component("clause_boundaries")
def clause_boundaries(doc: Doc) -> Doc:
    """Start a new sentence after a line break or a semicolon.

    Statutes write penalty tiers as "(a) ...; (b) ..." or one subsection per line, and a
    tier is the unit the penalty extractor reads.
    """
    for token in doc[:-1]:
        if token.text == ";" or "\n" in token.text:
            doc[token.i + 1].is_sent_start = True
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
