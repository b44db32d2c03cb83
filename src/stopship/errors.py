"""One error type per failure a user can act on. All derive from :class:`StopshipError`."""

from __future__ import annotations

from pathlib import Path


class StopshipError(Exception):
    """Base class: every error stopship raises on purpose. ``exit_code`` is the CLI's."""

    exit_code = 1


class SourceFormatError(StopshipError):
    """A list file is malformed, truncated, of the wrong list, empty or wrongly encoded."""

    exit_code = 3

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        line: int | None = None,
        record: str | None = None,
    ) -> None:
        self.path = str(path)
        self.line = line
        self.record = record
        self.message = message
        where = self.path
        if line is not None:
            where += f", line {line}"
        if record is not None:
            where += f", record {record}"
        super().__init__(f"{where}: {message}")


class UnsafeXMLError(SourceFormatError):
    """An XML file uses entity expansion, external entities or a DTD (XML bomb, XXE)."""


class SourceNotFoundError(StopshipError):
    """No file of a requested list was found where stopship was told to look."""

    exit_code = 4


class DownloadError(StopshipError):
    """Fetching a list from its publisher failed (network, HTTP status, empty body)."""

    exit_code = 5


class UnknownSourceError(StopshipError):
    """A source name that stopship does not know."""

    exit_code = 2


class EntityNotFoundError(StopshipError):
    """No entity with that id in the lists in service."""

    exit_code = 6


class NoListsLoadedError(StopshipError):
    """An operation needs loaded lists and none are in the store."""

    exit_code = 7


class StoreError(StopshipError):
    """The store could not be opened, migrated or written."""

    exit_code = 8


class InputError(StopshipError):
    """A user-supplied input (query, batch file row, option) is invalid."""

    exit_code = 2


# ---------------------------------------------------------------------- service and cases


class AuthError(StopshipError):
    """A missing, unknown or revoked API key (HTTP 401)."""

    exit_code = 9


class PermissionDeniedError(StopshipError):
    """The key's role may not do this (HTTP 403)."""

    exit_code = 9


class CaseNotFoundError(StopshipError):
    """No alert (or key, webhook, ...) with that id (HTTP 404)."""

    exit_code = 6


class ConflictError(StopshipError):
    """Someone else changed the alert first: reload and decide again (HTTP 409)."""

    exit_code = 10


class DecisionError(StopshipError):
    """A decision that the case rules refuse: no reason given, an unknown status, a second
    decision by the same person where four eyes are needed (HTTP 422)."""

    exit_code = 2


class AuditTamperedError(StopshipError):
    """The audit log's hash chain does not verify: a row was changed, removed or inserted."""

    exit_code = 11


class EngineUnavailableError(StopshipError):
    """A batch engine cannot run here (e.g. Spark without PySpark or Java)."""

    exit_code = 12
