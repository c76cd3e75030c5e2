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
