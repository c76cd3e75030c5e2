"""Alembic migrations of the reviews database (run by `harmonize.reviews.db.open_engine`)."""
