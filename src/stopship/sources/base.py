"""The adapter contract every list format implements, and shared file helpers.

An :class:`Adapter` knows one publisher file format. It finds its files in a folder
(``discover``), knows where the publisher serves them (``urls``), and turns them into
:class:`~stopship.model.Entity` objects (``parse``). Adapters never touch the store.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from stopship.errors import SourceFormatError, UnsafeXMLError
from stopship.model import Entity


@dataclass(frozen=True)
class SourceFile:
    """One file an adapter reads, under the role it plays in the adapter's format."""

    path: Path
    role: str

    def sha256(self) -> str:
        h = hashlib.sha256()
        with self.path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()


@dataclass(frozen=True)
class ParseIssue:
    """Something in a file worth a reviewer's attention that did not stop the load
    (e.g. a record with no name: it is loaded under its id and reported here)."""

    path: str
    message: str
    line: int | None = None
    record: str | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f", line {self.line}"
        if self.record is not None:
            where += f", record {self.record}"
        return f"{where}: {self.message}"


@dataclass
class ParsedDataset:
    """What an adapter returns for one dataset."""

    adapter: str
    entities: list[Entity]
    files: list[SourceFile]
    published: date | None = None
    issues: list[ParseIssue] = field(default_factory=list)


class Adapter:
    """Base class for one list file format. Subclasses set the class attributes and
    implement :meth:`discover` and :meth:`parse`."""

    #: adapter name, e.g. "ofac_sdn_csv"
    name: ClassVar[str]
    #: the source its entities belong to: "ofac", "un", "eu", "uk", "csl", "opensanctions"
    source: ClassVar[str]
    #: the publisher's download URLs by file role (empty: no official download)
    urls: ClassVar[dict[str, str]] = {}

    def discover(self, root: Path) -> list[SourceFile] | None:
        """Find this format's files below ``root``; None when they are not there."""
        raise NotImplementedError

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        raise NotImplementedError


#: month names and abbreviations as lists write them ("Jan", "January", "Sept") -> 1..12
MONTHS: dict[str, int] = {
    **{calendar.month_name[i].lower(): i for i in range(1, 13)},
    **{calendar.month_abbr[i].lower(): i for i in range(1, 13)},
    "sept": 9,
}


# --------------------------------------------------------------------------- discovery


def newest(paths: Sequence[Path]) -> Path | None:
    """Of several dated copies of one file (``alt_2025-12.csv``, ``alt_2026-06.csv``),
    the newest by the date in its name, else by name. None for no paths."""
    if not paths:
        return None

    def key(p: Path) -> tuple[str, str]:
        m = re.search(r"(\d{4})[-_]?(\d{2})(?:[-_]?(\d{2}))?", p.name)
        stamp = "".join(g or "00" for g in m.groups()) if m else ""
        return (stamp, p.name)

    return sorted(paths, key=key)[-1]


def find_files(root: Path, pattern: str) -> list[Path]:
    """Files below ``root`` (recursively) whose name matches the case-insensitive regex."""
    rx = re.compile(pattern, re.IGNORECASE)
    if root.is_file():
        return [root] if rx.fullmatch(root.name) else []
    return sorted(p for p in root.rglob("*") if p.is_file() and rx.fullmatch(p.name))


# --------------------------------------------------------------------------- reading


def read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceFormatError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip(b" \t\r\n\x1a\xef\xbb\xbf"):
        raise SourceFormatError(path, "file is empty")
    return data


def decode_text(path: Path, data: bytes, encodings: Sequence[str] = ("utf-8",)) -> str:
    """Decode with the first encoding that fits; name the byte offset and line otherwise."""
    last: UnicodeDecodeError | None = None
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as exc:
            last = exc
            continue
        return text.removeprefix("\ufeff")
    assert last is not None
    line = data[: last.start].count(b"\n") + 1
    raise SourceFormatError(
        path,
        f"not valid {' or '.join(encodings)} text (bad byte 0x{data[last.start]:02x} "
        f"at offset {last.start})",
        line=line,
    )


def read_text(path: Path, encodings: Sequence[str] = ("utf-8",)) -> str:
    return decode_text(path, read_bytes(path), encodings)


def iter_csv(
    path: Path,
    text: str,
    *,
    delimiter: str = ",",
    min_fields: int = 1,
) -> Iterator[tuple[int, list[str]]]:
    """Rows of a CSV text with their 1-based physical line number; a malformed row
    (unterminated quote, too few fields) raises :class:`SourceFormatError`."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    line = 1
    try:
        for row in reader:
            start = line
            line = reader.line_num + 1
            if not row or (len(row) == 1 and row[0].strip(" \x1a") == ""):
                continue
            if len(row) < min_fields:
                raise SourceFormatError(
                    path,
                    f"expected at least {min_fields} fields, found {len(row)} "
                    "(truncated or not this list's format)",
                    line=start,
                )
            yield start, row
    except csv.Error as exc:
        raise SourceFormatError(path, f"malformed CSV: {exc}", line=reader.line_num) from exc


def parse_xml(path: Path, data: bytes | None = None) -> Element:
    """Parse XML safely (no DTDs, entity expansion or external entities)."""
    raw = read_bytes(path) if data is None else data
    try:
        root: Element = SafeET.fromstring(raw, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise UnsafeXMLError(
            path, f"refused unsafe XML ({type(exc).__name__}: DTDs/entities are not allowed)"
        ) from exc
    except SafeET.ParseError as exc:
        line = getattr(exc, "position", (None, None))[0]
        raise SourceFormatError(path, f"malformed XML: {exc}", line=line) from exc
    return root


def local(tag: str) -> str:
    """An XML tag without its namespace."""
    return tag.rsplit("}", 1)[-1]


def clean(value: str | None) -> str | None:
    """Strip a field; OFAC's ``-0-`` and empty strings become None."""
    if value is None:
        return None
    v = " ".join(value.split())
    if v in ("", "-0-"):
        return None
    return v
