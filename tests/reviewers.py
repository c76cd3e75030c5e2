"""The reviewers the reviews tests use: two organisations, a reviewer and an admin in the
first, a reviewer in the second."""

PASSWORD = "a long enough passphrase"


def add_people(reviews) -> dict:
    reviews.add_organisation("Committee Secretariat")
    reviews.add_organisation("Parliament of Canada")
    reviews.add_user("alice", PASSWORD, "reviewer", "Committee Secretariat")
    reviews.add_user("carol", PASSWORD, "admin", "Committee Secretariat")
    reviews.add_user("bob", PASSWORD, "reviewer", "Parliament of Canada")
    return {n: reviews.reader_named(n) for n in ("alice", "carol", "bob")}


def statuses(web_data, country: str, obligation: str) -> tuple[str, str]:
    """(the machine's status of the item, a different status for a reviewer to set), so the
    tests hold whatever the aligner says about the item today."""
    from harmonize.service import Harmonize

    machine = next(r for r in Harmonize(web_data).align(country) if r["obligation"] == obligation)["status"]
    return machine, "partial" if machine == "covered" else "covered"
