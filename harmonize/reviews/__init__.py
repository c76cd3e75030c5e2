"""Reviewer decisions: what a committee secretariat confirms, overrides or comments on.

Human data, never derived: the reviews database is apart from the store and the indexes
(its own SQLite file beside them, or PostgreSQL), and nothing that ingests, indexes or
rebuilds the store opens it. harmonize.service joins the two: the effective status of an
obligation is the reviewer's decision where the reader may see one whose cited provisions
still read as they did (else the machine's, with the decision shown as needing re-review).

- models.py      SQLAlchemy tables (organisations, users, decisions, login attempts)
- migrations/    Alembic revisions, run when the database is opened (db.py)
- core.py        `Reviews`: users, sign-in with rate limit, append-only decisions, visibility
- passwords.py   argon2id hashing
"""

from harmonize.reviews.core import Reader, Reviews
from harmonize.reviews.db import reviews_url

__all__ = ["Reader", "Reviews", "reviews_url"]
