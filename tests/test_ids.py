"""Provision ids on real parsed statutes and conventions: one grammar, made and taken apart in ids.py."""

from __future__ import annotations

import pytest

from harmonize import ids
from harmonize.corpus import instrument_id as corpus_instrument_id
from harmonize.obligations import instrument_id as convention_instrument_id

from conftest import manifest_entry, parse_corpus_file

SOURCES = ("national/IND/ndps-act-1985.xml", "national/CAN/controlled-drugs-and-substances-act.xml",
           "conventions/vienna-illicit-traffic-1988.md")


@pytest.mark.parametrize("source", SOURCES)
def test_every_parsed_id_round_trips_and_names_its_instrument_and_section(source) -> None:
    doc = parse_corpus_file(source)
    by_id = {p.id: p for p in doc.provisions}
    assert ids.instrument_of(doc.instrument.id) == doc.instrument.id == corpus_instrument_id(manifest_entry(source))
    checked = 0
    for prov in doc.provisions:
        parsed = ids.ProvisionId.parse(prov.id)
        assert str(parsed) == prov.id and ids.is_valid(prov.id)
        assert parsed.instrument == ids.instrument_of(prov.id) == prov.instrument
        assert parsed.country == ids.country_of(prov.id) == doc.instrument.country
        assert parsed.is_national is ids.is_national(doc.instrument.country) is source.startswith("national/")
        # a section, or a unit inside one: its section is the section or article that holds it
        holder = prov
        while holder is not None and holder.kind not in ids.SECTION_KINDS:
            holder = by_id.get(holder.parent) if holder.parent else None
        if holder is not None:
            checked += 1
            assert ids.section_of(prov.id) == parsed.section == holder.id
        assert ids.leaf(prov.id) == prov.id.rsplit("/", 1)[1]
    assert checked > 50


def test_conventions_and_statutes_share_the_grammar() -> None:
    vienna = parse_corpus_file("conventions/vienna-illicit-traffic-1988.md").instrument
    assert convention_instrument_id("UN1988") == vienna.id
    assert not ids.is_national(vienna.country) and not ids.is_national(vienna.country.lower())
    assert ids.national(["IND", vienna.country, "CAN", "IND"]) == ["CAN", "IND"]


@pytest.mark.parametrize("text", ["", "IND", "IND/", "/ndps-act-1985", "INDIA/x", "IND/ndps act", "IND/x/<script>",
                                  "IND/" + "x" * 400])
def test_malformed_ids_are_rejected(text) -> None:
    assert not ids.is_valid(text)
    with pytest.raises(ValueError, match="not a provision id"):
        ids.ProvisionId.parse(text)
