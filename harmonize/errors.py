"""Errors every stage can raise; each names the file, the place and what was expected."""

from __future__ import annotations


class ParseError(Exception):
    """A file that cannot be parsed: names the file, the place and what was expected."""

    def __init__(self, source: str, where: str, message: str):
        self.source = source
        self.where = where
        self.message = message
        super().__init__(f"{source}: {where}: {message}")


class ReviewError(ValueError):
    """A reviewer decision, user or import that cannot be accepted: says which field and why.
    Nothing is written when it is raised."""


class ReviewConflict(ReviewError):
    """The item changed since the writer opened it: carries both versions (`yours`, `current`)."""

    def __init__(self, message: str, yours: dict, current: list[dict], version: int):
        super().__init__(message)
        self.yours = yours
        self.current = current  # the decisions written since, as the writer may see them
        self.version = version  # the item's version now: resubmit against it


class ReviewPermissionError(ReviewError):
    """Signed in, but the role does not allow the action (a reviewer on an admin action)."""
