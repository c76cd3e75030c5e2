"""Decisions read through the law's own structure, on real statutes: the "Meaning of" sections
that give an offence its conduct, outlines that only point elsewhere, the general criminal
law's rule for legal persons, and objects broader (or narrower) than the duty's.

A small store of real Acts (analysed as `harmonize ingest` does, no search index: candidates
come from the analysed offence categories, the definitions and the general rules) is aligned
with the catalogue. Each test is one decision checked against the statute's words.
"""

from __future__ import annotations

import pytest

from conftest import by_number, parse_corpus_file
from harmonize.align.coverage import outline
from harmonize.align.elements import defining_text, match_elements, narrowings
from harmonize.analyze.references import find_definitions
from harmonize.model import OffenceRecord
from harmonize.obligations import by_id, load_catalogue
from webdata import store_aligner

CATALOGUE = by_id(load_catalogue())
AUS_CODE = "national/AUS/criminal-code-act-1995-vol2.md"
AUS_GENERAL = "national/AUS/criminal-code-act-1995-vol1.md"
AUS_DRUGS_1990 = "national/AUS/crimes-traffic-narcotic-drugs-psychotropic-substances-act-1990.md"
AUS_POC = "national/AUS/proceeds-of-crime-act-2002.md"
NZL_CRIMES = "national/NZL/crimes-act-1961.md"
IND_IPC = "national/IND/indian-penal-code-1860.xml"
SOURCES = (AUS_CODE, AUS_GENERAL, AUS_DRUGS_1990, AUS_POC, NZL_CRIMES, IND_IPC, "national/IND/immoral-traffic-prevention-act-1956.xml",
           "national/IND/uapa-1967.xml", "conventions/vienna-illicit-traffic-1988.md", "conventions/untoc-2000.md",
           "conventions/untoc-trafficking-persons-protocol-2000.md")


def _section(source: str, number: str):
    return by_number(parse_corpus_file(source), number, "section")


@pytest.fixture(scope="module")
def align(tmp_path_factory):
    run, store = store_aligner(tmp_path_factory.mktemp("definitions"), SOURCES)
    yield run
    store.close()


def test_a_meaning_of_section_defines_its_term() -> None:
    # Criminal Code (Cth) s.302.1 "Meaning of traffics": "(e) the person possesses the substance
    # with the intention of selling any of it"; the 1990 Act s.6 "Meaning of dealing in drugs":
    # "(fb) organising, managing or financing a dealing in drugs".
    s = _section(AUS_CODE, "302.1")
    found = find_definitions(s.text, True, s.heading)
    assert [d.term for d in found] == ["traffics"]
    assert "possesses the substance with the intention of selling any of it" in found[0].text
    s = _section(AUS_DRUGS_1990, "6")
    found = find_definitions(s.text, True, s.heading)
    assert [d.term for d in found] == ["dealing in drugs"]
    assert "organising, managing or financing a dealing in drugs" in found[0].text
    s = _section(AUS_CODE, "303.1")  # "Meanings of cultivate and cultivates a plant"
    assert [d.term for d in find_definitions(s.text, True, s.heading)] == ["cultivate", "cultivates a plant"]
    # Not a term: a repealed section, "Meaning of terms used in sections 378C and 378D".
    for number in ("3", "378B"):
        s = _section(NZL_CRIMES, number)
        assert s.heading.startswith("Meaning of") and find_definitions(s.text, True, s.heading) == []


def test_possession_for_sale_is_trafficking_through_the_meaning_of_traffics(align) -> None:
    # s.302.4 "the person traffics in a substance" reaches possession for sale only through s.302.1(1)(e).
    a = align("AUS", "UN1988:3(1)(a)(iii)")
    assert a.status == "covered", a.reason
    numbers = [c.provision.number for c in a.provisions]
    basic = "AUS/criminal-code-act-1995-vol2/sec-302.4"
    assert basic in a.carried_by and "AUS/criminal-code-act-1995-vol2/sec-302.1" in a.carried_by, a.carried_by
    # The definition is listed right after the first offence that takes its conduct from it.
    first = min(i for i, c in enumerate(a.provisions)
                if c.provision.id in a.carried_by and "AUS/criminal-code-act-1995-vol2/sec-302.1" in c.companions)
    assert numbers[first] in ("302.2", "302.3", "302.4") and numbers[first + 1] == "302.1", numbers
    s302_4 = next(c for c in a.provisions if c.provision.id == basic)
    assert "possess" in s302_4.elements.found["conduct"] and not s302_4.elements.narrower
    # ... the commercial quantity form is narrower, not another offence.
    s302_2 = next(c for c in a.provisions if c.provision.number == "302.2")
    assert "a minimum quantity" in s302_2.elements.narrower


def test_organising_a_dealing_in_drugs_is_read_through_its_meaning(align) -> None:
    # 1990 Act ss.10-13 punish "conduct that is a dealing in drugs" (on Australian aircraft and
    # ships, or outside Australia); s.6(1)(fb) makes organising, managing or financing one such dealing.
    a = align("AUS", "UN1988:3(1)(a)(v)")
    assert a.status in ("covered", "partial"), a.reason
    first = [(c.source.rsplit("/", 1)[-1], c.provision.number) for c in a.provisions[:5]]
    assert ("crimes-traffic-narcotic-drugs-psychotropic-substances-act-1990.md", "6") in first, first


def test_an_outline_of_the_act_does_not_carry_a_duty(align) -> None:
    # Proceeds of Crime Act 2002 s.7 "The confiscation scheme (Chapter 2)": "Chapter 2 sets out a
    # number of processes ... forfeiture orders ... (see Part 22)"; s.48 makes the forfeiture order.
    assert outline(_section(AUS_POC, "7")) and outline(_section(AUS_POC, "46"))  # "Simplified outline of this Part"
    assert not outline(_section(AUS_POC, "48"))
    a = align("AUS", "UN1988:5")
    assert a.status in ("covered", "partial"), a.reason
    assert a.provisions[0].provision.number != "7"
    s7 = [c for c in a.provisions if c.provision.number == "7" and c.source.endswith("proceeds-of-crime-act-2002.md")]
    assert all(c.signals.get("operative") == 0.0 and c.score < 0.35 for c in s7)


def test_the_general_criminal_law_makes_legal_persons_liable(align) -> None:
    # Crimes Act 1961 (NZ) s.2: "person, owner, and other words and expressions of the like kind,
    # include ... any board, society, or company"; Criminal Code (Cth) s.12.1: "This Code applies to
    # bodies corporate in the same way as it applies to individuals".
    nzl = align("NZL", "UNTOC:10")
    assert nzl.status == "covered", nzl.reason
    assert "NZL/crimes-act-1961/sec-2" in nzl.carried_by
    assert "company" in nzl.evidence
    aus = align("AUS", "UNTOC:10")
    assert aus.status == "covered", aus.reason
    assert aus.provisions[0].provision.number == "12.1"


def test_india_legal_persons_are_persons_of_the_penal_code(align) -> None:
    # IPC s.11: '"Person".—The word "person" includes any Company or Association or body of persons';
    # UAPA s.22A "Offences by companies" reaches "an offence under this Act" only.
    a = align("IND", "UNTOC:10")
    assert a.status == "covered", a.reason
    assert "IND/indian-penal-code-1860/sec-11" in a.carried_by
    s22a = next(c for c in a.provisions if c.provision.id == "IND/uapa-1967/sec-22A")
    assert "the Act's own offences only" in s22a.elements.narrower


def test_trafficking_requiring_force_for_children_leads_not_a_custody_section(align) -> None:
    # IPC s.370(1) "Whoever, for the purpose of exploitation, recruits ... by using threats ... force
    # ... abduction" is the trafficking offence, narrower (means even for a minor); ITPA s.17
    # "Intermediate custody of persons removed under Section 15" is procedure without the purpose.
    a = align("IND", "TIP:5(1)")
    assert a.status == "partial", a.reason
    assert a.provisions[0].provision.number == "370", [c.provision.number for c in a.provisions]
    assert "even when the victim is a child" in a.reason
    # Organising others to traffic is reached through abetment (party liability), not covered by s.17.
    org = align("IND", "TIP:5(2)(c)")
    assert org.status == "partial" and "party liability" in org.reason, org.reason
    assert "IND/immoral-traffic-prevention-act-1956/sec-17" not in org.carried_by


def test_membership_of_a_terrorist_gang_is_partial_participation(align) -> None:
    a = align("IND", "UNTOC:5(1)(a)(ii)")
    assert a.status == "partial", a.reason
    assert a.provisions[0].provision.id == "IND/uapa-1967/sec-20"
    assert "terrorist" in a.reason


def test_children_as_recipients_narrow_a_drug_offence() -> None:
    # s.309.4 "Supplying controlled drugs to children for trafficking" requires a child; s.302.4 does not.
    ob = CATALOGUE["UN1988:3(1)(a)(i)"]
    record = OffenceRecord("x", ["supply"], ["drug", "child"])
    child = _section(AUS_CODE, "309.4")
    assert "a victim or recipient under 18" in narrowings(ob, defining_text(child.heading, child.text), record)
    basic = _section(AUS_CODE, "302.4")
    assert narrowings(ob, defining_text(basic.heading, basic.text), OffenceRecord("x", ["traffic"], ["drug"])) == {}


def test_membership_of_a_terrorist_organisation_is_narrower_than_of_a_criminal_group() -> None:
    # UAPA s.20 "Punishment for being member of terrorist gang or organisation".
    s = _section("national/IND/uapa-1967.xml", "20")
    found = narrowings(CATALOGUE["UNTOC:5(1)(a)(ii)"], defining_text(s.heading, s.text), None)
    assert "a terrorist group" in found, found
    # ... while a terrorism duty is about exactly that.
    assert "a terrorist group" not in narrowings(CATALOGUE["ICSFT:2"], defining_text(s.heading, s.text), None)


def test_an_order_directing_publication_is_no_one_directing_trafficking() -> None:
    # Criminal Code (Canada) s.672.501: "the Review Board shall make an order directing that any
    # information that could identify a victim ... shall not be published".
    s = _section("national/CAN/criminal-code.md", "672.501")
    m = match_elements(CATALOGUE["TIP:5(2)(c)"], s.text)
    assert "conduct" in m.missing, m.found
