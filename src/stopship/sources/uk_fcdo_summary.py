"""FCDO UK Sanctions List, 8-column summary spreadsheet (OpenDocument ``.ods``).

One sheet, header ``Unique ID, OFSI Group ID, Name, Regime Name, Type, Designation source,
Date Designated, Sanctions Imposed``; one row per designation with its primary name only.
Rows sharing an OFSI group id (one target under several regimes) are one entity
``uk:<OFSI Group ID>``; rows without a group id (mostly ships) are ``uk:<Unique ID>``.
The publication date is taken from the file name (``..._2025-08-11.ods`` or the FCDO's
own ``FCDO_SL_Mon_Aug 11 2025.ods``).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar
from xml.sax import SAXException

from stopship.errors import SourceFormatError, UnsafeXMLError
from stopship.model import NameType
from stopship.sources.base import (
    Adapter,
    ParsedDataset,
    ParseIssue,
    SourceFile,
    clean,
    find_files,
    newest,
    read_bytes,
)
from stopship.sources.uk_ofsi import KINDS, SOURCE, UkBuilder, row_as_csv

ROLE = "uk_summary"
LIST_NAME = "UK Sanctions List (summary)"
HEADER = (
    "Unique ID",
    "OFSI Group ID",
    "Name",
    "Regime Name",
    "Type",
    "Designation source",
    "Date Designated",
    "Sanctions Imposed",
)
_NAME_RX = r"(fcdo[-_ ].*|uk[-_ ]?sanctions[-_ ]?list.*summary.*)\.ods"
_MAX_CONTENT = 512 << 20  # refuse a content.xml that inflates beyond 512 MiB
_MAX_COLS = 64


def published_from_name(name: str) -> date | None:
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", name)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    m2 = re.search(r"([A-Za-z]{3})[a-z]*[ _-]+(\d{1,2})[ _-]+(\d{4})", name)
    if m2:
        try:
            return datetime.strptime(
                f"{m2.group(1)} {m2.group(2)} {m2.group(3)}", "%b %d %Y"
            ).date()
        except ValueError:
            return None
    return None


def _check_container(path: Path) -> None:
    """Cheap safety checks before odfpy (which uses expat) sees the file."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("content.xml")
            if info.file_size > _MAX_CONTENT:
                raise SourceFormatError(path, "content.xml is implausibly large (zip bomb?)")
            with zf.open(info) as fh:
                head = fh.read(1 << 16)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise SourceFormatError(path, f"not an OpenDocument spreadsheet: {exc}") from exc
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnsafeXMLError(path, "refused unsafe XML (DTDs/entities are not allowed)")


def _cell_text(cell: Any) -> str:
    from odf import teletype

    return " ".join(teletype.extractText(cell).split())


def _rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    """Rows of the first sheet as text cells, honouring the repeat attributes."""
    from odf.opendocument import load
    from odf.table import Table, TableRow

    try:
        doc = load(str(path))
    except (SAXException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceFormatError(path, f"cannot read the spreadsheet: {exc}") from exc
    tables = doc.getElementsByType(Table)
    if not tables:
        raise SourceFormatError(path, "spreadsheet has no sheet")
    line = 0
    for row in tables[0].getElementsByType(TableRow):
        cells: list[str] = []
        for c in row.childNodes:
            if c.nodeType != c.ELEMENT_NODE:
                continue
            rep = int(c.getAttribute("numbercolumnsrepeated") or 1)
            text = _cell_text(c)
            cells.extend([text] * min(rep, _MAX_COLS - len(cells)))
            if len(cells) >= _MAX_COLS:
                break
        while cells and not cells[-1]:
            cells.pop()
        reps = int(row.getAttribute("numberrowsrepeated") or 1)
        for _ in range(reps if cells else 1):
            line += 1
            if cells:
                yield line, cells
        if not cells:
            line += reps - 1


class FcdoSummaryOds(Adapter):
    name: ClassVar[str] = "uk_fcdo_summary_ods"
    source: ClassVar[str] = SOURCE
    urls: ClassVar[dict[str, str]] = {}  # the FCDO publishes it on GOV.UK under dated URLs

    def discover(self, root: Path) -> list[SourceFile] | None:
        p = newest(find_files(root, _NAME_RX))
        return [SourceFile(p, ROLE)] if p else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        path = files[0].path
        read_bytes(path)  # empty / unreadable file -> SourceFormatError
        _check_container(path)
        rows = _rows(path)
        first = next(rows, None)
        if first is None:
            raise SourceFormatError(path, "spreadsheet is empty")
        hline, header = first
        if tuple(header[: len(HEADER)]) != HEADER:
            raise SourceFormatError(
                path, f"unexpected header {header[:10]!r}, expected {', '.join(HEADER)}", line=hline
            )
        builders: dict[str, UkBuilder] = {}
        names: dict[str, list[str]] = {}
        issues: list[ParseIssue] = []
        for line, cells in rows:
            cells = cells + [""] * (len(HEADER) - len(cells))
            uid, gid, name, regime, typ, dsource, designated, imposed = cells[: len(HEADER)]
            key = clean(gid) or clean(uid)
            if key is None:
                issues.append(
                    ParseIssue(
                        str(path), "row without Unique ID or OFSI Group ID skipped", line=line
                    )
                )
                continue
            b = builders.get(key)
            if b is None:
                b = builders[key] = UkBuilder(key, LIST_NAME, "ods")
                b.first_line = line
                names[key] = []
            b.add_raw(row_as_csv(cells[: len(HEADER)]))
            kind = KINDS.get(typ.casefold())
            if kind is not None:
                b.kind = kind
            if clean(name):
                names[key].append(name)
            b.add_prop("unique_id", uid)
            b.add_program(regime)
            b.add_prop("designation_source", dsource)
            b.set_listed_on(designated)
            for measure in re.split(r"\s*[,|]\s*", imposed):
                b.add_prop("sanctions_imposed", measure)
        entities = []
        for key, b in builders.items():
            for i, n in enumerate(names[key]):
                b.add_name(n, NameType.PRIMARY if i == 0 else NameType.STRONG_ALIAS)
            if not b.names:
                issues.append(
                    ParseIssue(
                        str(path), "designation without a name", line=b.first_line, record=key
                    )
                )
            entities.append(b.build())
        return ParsedDataset(
            self.name, entities, list(files), published_from_name(path.name), issues
        )
