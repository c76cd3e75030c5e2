"""Errors every stage can raise; each names the file, the place and what was expected."""

from __future__ import annotations


class ParseError(Exception):
    """A file that cannot be parsed: names the file, the place and what was expected."""

    def __init__(self, source: str, where: str, message: str):
        self.source = source
        self.where = where
        self.message = message
        super().__init__(f"{source}: {where}: {message}")


class BuildLocked(Exception):
    """Another `harmonize ingest` or `index` holds the data directory's build lock."""


class DiskFull(OSError):
    """A build ran out of disk space: names what it was writing; the previous data is kept."""
