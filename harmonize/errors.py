"""Every error type harmonize raises on purpose; each message says what was wrong and what to do.

The surfaces (CLI, web) catch these and nothing else from the layers below:

- ParseError: a corpus file (or the manifest, the catalogue) cannot be read: file, place, expectation;
- CatalogueError: the obligations catalogue is malformed: file, line, obligation id, expectation;
- RulesError: the alignment rules (obligations/alignment.toml) are malformed: file, line, expectation;
- VocabularyError: the offence-category vocabulary (obligations/categories.toml) is malformed: file, line, expectation;
- StoreError: the store is missing, from a newer schema, or unreadable;
- SearchIndexError (IndexMissingError, IndexCorruptError): no usable search index;
- NotFound: an id, country, category or instrument that names nothing in the store;
- NotReady: a data directory the web app cannot serve (no store, no instruments, no index).
"""

from __future__ import annotations


class ParseError(Exception):
    """A file that cannot be parsed: names the file, the place and what was expected."""

    def __init__(self, source: str, where: str, message: str):
        self.source = source
        self.where = where
        self.message = message
        super().__init__(f"{source}: {where}: {message}")


class CatalogueError(Exception):
    """The catalogue is malformed: names the file, the line, the obligation id and what was expected."""

    def __init__(self, source: str, line: int | None, obligation: str | None, message: str):
        self.source = source
        self.line = line
        self.obligation = obligation
        self.message = message
        where = f"{source}:{line}" if line else source
        who = f" obligation {obligation!r}:" if obligation else ""
        super().__init__(f"{where}:{who} {message}")


class RulesError(CatalogueError):
    """The alignment rules file is malformed: names the file, the line and what was expected."""

    def __init__(self, source: str, line: int | None, message: str):
        super().__init__(source, line, None, message)


class VocabularyError(CatalogueError):
    """The offence-category vocabulary file is malformed: names the file, the line and what was expected."""

    def __init__(self, source: str, line: int | None, message: str):
        super().__init__(source, line, None, message)


class StoreError(Exception):
    """The store is missing, empty, damaged, locked, read-only for a write, or from another schema version."""


class SearchIndexError(Exception):
    """Base of the index errors; the message tells the user what to run."""


class IndexMissingError(SearchIndexError):
    pass


class IndexCorruptError(SearchIndexError):
    pass


class NotFound(LookupError):
    """An id that names nothing in the store."""


class NotReady(RuntimeError):
    """The data directory has no store or no search index: the app cannot serve it."""


class ReportError(RuntimeError):
    """A committee document cannot be made (a font is missing, an unknown format): says what to do."""


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


class BuildLocked(Exception):
    """Another `harmonize ingest` or `index` holds the data directory's build lock."""


class DiskFull(OSError):
    """A build ran out of disk space: names what it was writing; the previous data is kept."""
