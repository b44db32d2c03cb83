"""Goods checks: HS codes against versioned code lists (the Common High Priority List and
annex lists), part numbers and manufacturers against a component watch list.

**HS code lists** are JSON files in the ``stopship.hs_list/1`` format (see
``src/stopship/data/goods/chpl_2024-02-23.json``): a ``list`` block with id, name, version,
publisher, publication date, source URL and citation; ``groups`` (a tier or annex part, each
with the reason code it yields and its definition); ``entries`` (an HS code of 2-10 digits and
its group). The packaged lists load by default; more files come from ``extra_paths`` or the
``STOPSHIP_GOODS_LISTS`` environment variable (paths separated by ``os.pathsep``). A file whose
list id equals an already loaded list's replaces it (a newer CHPL, a complete annex).

**Matching rule.** Codes are compared as digit strings after :func:`normalize_hs`. An order
code *hits* an entry when it starts with the entry's digits (``8542.31.00.00`` hits CHPL
``8542.31``): severity from the list (``review`` for the packaged lists). An order code that is
*shorter* than entries it is a prefix of (``8542`` against ``8542.31``, ``8542.32``, ...) cannot
be placed: it is reported as an **ambiguous** hit, one reason per list group, with the code
``<group code>_ambiguous``, severity ``review`` and every covered entry listed in ``covered``.

**Watch lists** are CSV files (``manufacturer,part_number,note,source[,severity]`` after
``# key: value`` header comments). Part numbers match case-insensitively with spaces and
punctuation removed; a pattern ending in ``*`` is a prefix. A row with a manufacturer and no
part number hits every item of that manufacturer (names compared without case, punctuation
or a trailing legal form).
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict

from stopship.errors import InputError, SourceFormatError

HS_LIST_FORMAT = "stopship.hs_list/1"
ENV_VAR = "STOPSHIP_GOODS_LISTS"

Severity = Literal["block", "review"]
MatchKind = Literal["exact", "ambiguous", "part", "prefix", "manufacturer"]

_HS_ALLOWED = re.compile(r"[0-9.\s]+")


class HsCodeError(InputError):
    """An HS code that is not 2-10 digits in pairs (dots and spaces allowed)."""


def normalize_hs(code: str | int) -> str:
    """The digits of an HS / CN / HTS code: ``"8542.31.00"``, ``"854231"`` and
    ``"8542 31 0000"`` give ``"85423100"``, ``"854231"``, ``"8542310000"``. Raises
    :class:`HsCodeError` for letters, other characters, an empty code or an odd length."""
    if isinstance(code, bool) or not isinstance(code, str | int):
        raise HsCodeError(f"HS code {code!r} is not text")
    text = unicodedata.normalize("NFKC", str(code)).strip()
    if not text:
        raise HsCodeError("HS code is empty")
    if not _HS_ALLOWED.fullmatch(text):
        raise HsCodeError(
            f"HS code {text!r} may hold only digits, dots and spaces (e.g. 8542.31.00)"
        )
    digits = re.sub(r"[.\s]", "", text)
    if not digits:
        raise HsCodeError(f"HS code {text!r} has no digits")
    if len(digits) % 2 or not 2 <= len(digits) <= 10:
        raise HsCodeError(
            f"HS code {text!r} has {len(digits)} digits; expected 2, 4, 6, 8 or 10 "
            "(chapter, heading, subheading or a national 8/10-digit line)"
        )
    return digits


def format_hs(digits: str) -> str:
    """``"85423100"`` -> ``"8542.31.00"`` (a chapter stays ``"85"``)."""
    if len(digits) <= 4:
        return digits
    return ".".join([digits[:4], *(digits[i : i + 2] for i in range(4, len(digits), 2))])


# -- HS code lists -------------------------------------------------------------------------


@dataclass(frozen=True)
class ListInfo:
    """Where a goods list comes from: what every reason it yields cites."""

    id: str
    name: str
    version: str
    citation: str
    source_url: str | None
    published: str | None
    excerpt: bool
    severity: Severity
    path: str


@dataclass(frozen=True)
class HsEntry:
    hs: str  # digits
    group: str
    code: str  # the reason code: "chpl_tier_1"
    description: str | None

    @property
    def dotted(self) -> str:
        return format_hs(self.hs)


@dataclass(frozen=True)
class HsHit:
    entry: HsEntry
    kind: Literal["exact", "ambiguous"]


class HsList:
    """One versioned HS code list, indexed for prefix look-ups both ways."""

    def __init__(self, info: ListInfo, groups: dict[str, str], entries: Iterable[HsEntry]):
        self.info = info
        self.group_definitions = groups
        self.entries = tuple(sorted(entries, key=lambda e: e.hs))
        self._by_hs = {e.hs: e for e in self.entries}
        self._keys = [e.hs for e in self.entries]

    def __len__(self) -> int:
        return len(self.entries)

    def match(self, digits: str) -> list[HsHit]:
        """Entries the code falls under (exact) or, for a code shorter than some entries,
        the entries it covers (ambiguous)."""
        hits = [
            HsHit(self._by_hs[digits[:n]], "exact")
            for n in range(2, len(digits) + 1, 2)
            if digits[:n] in self._by_hs
        ]
        i = bisect.bisect_right(self._keys, digits)
        while i < len(self._keys) and self._keys[i].startswith(digits):
            hits.append(HsHit(self._by_hs[self._keys[i]], "ambiguous"))
            i += 1
        return hits

    @classmethod
    def from_json(cls, text: str, path: str) -> HsList:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SourceFormatError(path, f"not valid JSON: {exc.msg}", line=exc.lineno) from exc
        if not isinstance(doc, dict) or doc.get("format") != HS_LIST_FORMAT:
            raise SourceFormatError(path, f"not a goods list: 'format' must be {HS_LIST_FORMAT!r}")
        meta = doc.get("list")
        groups = doc.get("groups")
        entries = doc.get("entries")
        if not isinstance(meta, dict) or not isinstance(groups, dict):
            raise SourceFormatError(path, "a goods list needs a 'list' and a 'groups' object")
        if not isinstance(entries, list) or not entries:
            raise SourceFormatError(path, "a goods list needs a non-empty 'entries' array")
        info = _list_info(meta, path)
        codes: dict[str, str] = {}
        definitions: dict[str, str] = {}
        for name, g in groups.items():
            if not isinstance(g, dict) or not isinstance(g.get("code"), str):
                raise SourceFormatError(path, f"group {name!r} needs a 'code'")
            codes[name] = g["code"]
            definitions[name] = str(g.get("definition") or "")
        parsed: list[HsEntry] = []
        seen: set[str] = set()
        for n, e in enumerate(entries, start=1):
            where = f"entry {n}"
            if not isinstance(e, dict):
                raise SourceFormatError(path, "not an object", record=where)
            group = e.get("group")
            if group not in codes:
                raise SourceFormatError(path, f"unknown group {group!r}", record=where)
            try:
                digits = normalize_hs(e.get("hs", ""))
            except HsCodeError as exc:
                raise SourceFormatError(path, str(exc), record=where) from exc
            if digits in seen:
                raise SourceFormatError(path, f"HS {format_hs(digits)} listed twice", record=where)
            seen.add(digits)
            desc = e.get("description")
            parsed.append(HsEntry(digits, str(group), codes[str(group)], desc and str(desc)))
        return cls(info, definitions, parsed)


def _severity(value: Any, path: str, where: str | None = None) -> Severity:
    v = str(value or "review").strip().lower()
    if v == "block":
        return "block"
    if v == "review":
        return "review"
    raise SourceFormatError(path, f"severity {value!r} is not 'block' or 'review'", record=where)


def _list_info(meta: dict[str, Any], path: str) -> ListInfo:
    missing = [k for k in ("id", "name", "version", "citation") if not meta.get(k)]
    if missing:
        raise SourceFormatError(path, f"list metadata lacks {', '.join(missing)}")
    return ListInfo(
        id=str(meta["id"]),
        name=str(meta["name"]),
        version=str(meta["version"]),
        citation=str(meta["citation"]),
        source_url=meta.get("source_url") or None,
        published=meta.get("published") or None,
        excerpt=bool(meta.get("excerpt", False)),
        severity=_severity(meta.get("severity"), path),
        path=path,
    )


# -- component watch lists -------------------------------------------------------------------

_LEGAL_TAIL = re.compile(
    r"\b(inc|incorporated|corp|corporation|co|company|ltd|limited|llc|plc|gmbh|ag|sa|sas|"
    r"srl|spa|bv|nv|kk|oy|ab|as|oao|ooo|zao|pao|ao|jsc|llp|lp|pte|pty|sarl)\b\.?$"
)


def part_key(part_number: str) -> str:
    """A part number without case, spaces or punctuation: ``"nwm-32f4 07"`` -> ``"NWM32F407"``."""
    text = unicodedata.normalize("NFKC", part_number).upper()
    return "".join(c for c in text if c.isalnum())


def manufacturer_key(name: str) -> str:
    """A manufacturer name without case, punctuation or a trailing legal form."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    while True:
        shorter = _LEGAL_TAIL.sub("", text).strip()
        if shorter == text or not shorter:
            break
        text = shorter
    return text.replace(" ", "")


@dataclass(frozen=True)
class WatchEntry:
    manufacturer: str | None
    part_pattern: str | None
    note: str
    source: str
    severity: Severity
    line: int
    manufacturer_key: str
    part_key: str
    prefix: bool

    @property
    def label(self) -> str:
        return " / ".join(x for x in (self.manufacturer, self.part_pattern) if x)


class WatchList:
    """Watched components: part numbers (exact or prefix) and manufacturers."""

    def __init__(self, info: ListInfo, entries: Iterable[WatchEntry]):
        self.info = info
        self.entries = tuple(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def match(
        self, part_number: str | None, manufacturer: str | None
    ) -> list[tuple[WatchEntry, MatchKind]]:
        pk = part_key(part_number) if part_number else ""
        mk = manufacturer_key(manufacturer) if manufacturer else ""
        hits: list[tuple[WatchEntry, MatchKind]] = []
        for e in self.entries:
            if e.part_key:
                if not pk:
                    continue
                if e.prefix and pk.startswith(e.part_key):
                    hits.append((e, "prefix"))
                elif not e.prefix and pk == e.part_key:
                    hits.append((e, "part"))
            elif mk and mk == e.manufacturer_key:
                hits.append((e, "manufacturer"))
        return hits

    @classmethod
    def from_csv(cls, text: str, path: str) -> WatchList:
        meta: dict[str, str] = {}
        lines = text.lstrip("\ufeff").splitlines(keepends=True)
        first = 0  # index of the header line: the first that is not a "#" comment
        while first < len(lines) and lines[first].strip().startswith("#"):
            m = re.match(r"#\s*([a-z_]+)\s*:\s*(.*)$", lines[first].strip())
            if m and m.group(1) not in meta:
                meta[m.group(1)] = m.group(2).strip()
            first += 1
        reader = csv.reader(io.StringIO("".join(lines[first:]), newline=""))
        try:
            header = [h.strip().lower() for h in next(reader)]
        except StopIteration:
            raise SourceFormatError(path, "no header row (manufacturer,part_number,...)") from None
        for col in ("manufacturer", "part_number", "note", "source"):
            if col not in header:
                raise SourceFormatError(path, f"no {col!r} column", line=first + 1)
        info = ListInfo(
            id=meta.get("list_id") or Path(path).stem,
            name=meta.get("name") or Path(path).stem,
            version=meta.get("version") or "unversioned",
            citation=meta.get("source") or "",
            source_url=meta.get("source_url") or None,
            published=meta.get("published") or None,
            excerpt=False,
            severity=_severity(meta.get("severity"), path),
            path=path,
        )
        entries: list[WatchEntry] = []
        for values in reader:
            line = first + reader.line_num
            if not any(v.strip() for v in values):
                continue
            row = {h: v.strip() for h, v in zip(header, values, strict=False)}
            maker = row.get("manufacturer") or None
            pattern = row.get("part_number") or None
            if not maker and not pattern:
                raise SourceFormatError(path, "needs a manufacturer or a part_number", line=line)
            if not row.get("source"):
                raise SourceFormatError(path, "every watch-list row must cite a source", line=line)
            prefix = bool(pattern and pattern.endswith("*"))
            pkey = part_key(pattern.rstrip("*")) if pattern else ""
            if pattern and (not pkey or "*" in pattern.rstrip("*")):
                raise SourceFormatError(
                    path,
                    f"part_number pattern {pattern!r}: only a trailing '*' is allowed",
                    line=line,
                )
            entries.append(
                WatchEntry(
                    manufacturer=maker,
                    part_pattern=pattern,
                    note=row.get("note", ""),
                    source=row["source"],
                    severity=_severity(row.get("severity") or info.severity, path, f"line {line}"),
                    line=line,
                    manufacturer_key=manufacturer_key(maker) if maker else "",
                    part_key=pkey,
                    prefix=prefix,
                )
            )
        return cls(info, entries)


# -- reasons and rules -----------------------------------------------------------------------


class GoodsReason(BaseModel):
    """One goods finding, carrying the list, its version and its source."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str  # "chpl_tier_1", "chpl_tier_1_ambiguous", "eu_833_annex_xl", "watchlist_part"
    severity: Severity
    message: str
    match: MatchKind
    hs_code: str | None = None  # the item's code, dotted ("8542.31.00")
    part_number: str | None = None
    manufacturer: str | None = None
    entry: str  # the matched list entry: "8542.31" or "Maker / NWM32F4*"
    covered: tuple[str, ...] = ()  # ambiguous: every list entry the code covers
    group: str | None = None  # "Tier 1", "Annex XL"
    group_definition: str | None = None
    list_id: str
    list_name: str
    list_version: str
    list_excerpt: bool = False
    source: str  # the citation
    source_url: str | None = None


class GoodsItem(Protocol):
    """What :meth:`GoodsRules.check_item` reads from a line item."""

    @property
    def hs_code(self) -> str | None: ...

    @property
    def part_number(self) -> str | None: ...

    @property
    def manufacturer(self) -> str | None: ...


def _packaged_files() -> list[tuple[str, str]]:
    root = resources.files("stopship").joinpath("data", "goods")
    out = []
    for res in sorted(root.iterdir(), key=lambda r: r.name):
        if res.name.endswith((".json", ".csv")):
            out.append((f"stopship/data/goods/{res.name}", res.read_text(encoding="utf-8")))
    return out


def _expand(paths: Iterable[Path | str]) -> Iterator[Path]:
    for p in paths:
        path = Path(p).expanduser()
        if path.is_dir():
            yield from sorted(x for x in path.iterdir() if x.suffix.lower() in (".json", ".csv"))
        elif path.is_file():
            yield path
        else:
            raise InputError(f"{path}: no such goods list file or directory")


class GoodsRules:
    """The goods lists in force; :meth:`check_item` explains every hit."""

    def __init__(self, hs_lists: Iterable[HsList] = (), watchlists: Iterable[WatchList] = ()):
        self.hs_lists = tuple(hs_lists)
        self.watchlists = tuple(watchlists)

    @classmethod
    def load(
        cls,
        extra_paths: Iterable[Path | str] = (),
        *,
        defaults: bool = True,
        use_env: bool = True,
    ) -> GoodsRules:
        """The packaged lists (unless ``defaults=False``), then the files or directories in
        ``$STOPSHIP_GOODS_LISTS`` and ``extra_paths`` (``.json`` HS lists, ``.csv`` watch
        lists). A later list with the id of an earlier one replaces it."""
        sources: list[tuple[str, str]] = _packaged_files() if defaults else []
        paths: list[Path | str] = []
        env = os.environ.get(ENV_VAR) if use_env else None
        if env:
            paths.extend(p for p in env.split(os.pathsep) if p.strip())
        paths.extend(extra_paths)
        for path in _expand(paths):
            try:
                sources.append((str(path), path.read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError) as exc:
                raise SourceFormatError(path, f"cannot read goods list: {exc}") from exc
        hs: dict[str, HsList] = {}
        watch: dict[str, WatchList] = {}
        for name, text in sources:
            if name.lower().endswith(".json"):
                h = HsList.from_json(text, name)
                hs[h.info.id] = h
            else:
                w = WatchList.from_csv(text, name)
                watch[w.info.id] = w
        return cls(hs.values(), watch.values())

    @property
    def versions(self) -> dict[str, str]:
        """List id -> version, for recording with a decision."""
        lists = [*(h.info for h in self.hs_lists), *(w.info for w in self.watchlists)]
        return {i.id: i.version for i in lists}

    def check_hs(self, code: str) -> list[GoodsReason]:
        """Reasons for one HS code (raises :class:`HsCodeError` when it is malformed)."""
        digits = normalize_hs(code)
        reasons: list[GoodsReason] = []
        for hl in self.hs_lists:
            ambiguous: dict[str, list[HsEntry]] = {}
            for hit in hl.match(digits):
                if hit.kind == "exact":
                    reasons.append(_exact_reason(hl, hit.entry, digits))
                else:
                    ambiguous.setdefault(hit.entry.group, []).append(hit.entry)
            for group, entries in ambiguous.items():
                reasons.append(_ambiguous_reason(hl, group, entries, digits))
        return reasons

    def check_item(self, item: GoodsItem) -> list[GoodsReason]:
        """Every goods reason for a line item: HS code lists, then watch lists."""
        reasons = self.check_hs(item.hs_code) if item.hs_code else []
        for wl in self.watchlists:
            for entry, kind in wl.match(item.part_number, item.manufacturer):
                reasons.append(_watch_reason(wl, entry, kind, item))
        return reasons


def _cite(info: ListInfo) -> dict[str, Any]:
    return {
        "list_id": info.id,
        "list_name": info.name,
        "list_version": info.version,
        "list_excerpt": info.excerpt,
        "source": info.citation,
        "source_url": info.source_url,
    }


def _exact_reason(hl: HsList, e: HsEntry, digits: str) -> GoodsReason:
    what = f" ({e.description})" if e.description else ""
    return GoodsReason(
        code=e.code,
        severity=hl.info.severity,
        message=(
            f"HS {format_hs(digits)} falls under {e.dotted}{what}, {e.group} of the "
            f"{hl.info.name}, version {hl.info.version}"
        ),
        match="exact",
        hs_code=format_hs(digits),
        entry=e.dotted,
        group=e.group,
        group_definition=hl.group_definitions.get(e.group) or None,
        **_cite(hl.info),
    )


def _ambiguous_reason(hl: HsList, group: str, entries: list[HsEntry], digits: str) -> GoodsReason:
    covered = tuple(e.dotted for e in entries)
    return GoodsReason(
        code=f"{entries[0].code}_ambiguous",
        severity="review",
        message=(
            f"HS {format_hs(digits)} is too short to tell: it covers {len(covered)} "
            f"{group} entr{'y' if len(covered) == 1 else 'ies'} of the {hl.info.name} "
            f"({', '.join(covered)}); give the 6-digit subheading or longer"
        ),
        match="ambiguous",
        hs_code=format_hs(digits),
        entry=covered[0],
        covered=covered,
        group=group,
        group_definition=hl.group_definitions.get(group) or None,
        **_cite(hl.info),
    )


def _watch_reason(wl: WatchList, e: WatchEntry, kind: MatchKind, item: GoodsItem) -> GoodsReason:
    if kind == "manufacturer":
        what = f"manufacturer {item.manufacturer!r} is on the watch list"
    elif kind == "prefix":
        what = f"part number {item.part_number!r} matches the watched prefix {e.part_pattern!r}"
    else:
        what = f"part number {item.part_number!r} is on the watch list as {e.part_pattern!r}"
    note = f": {e.note}" if e.note else ""
    return GoodsReason(
        code=f"watchlist_{kind}",
        severity=e.severity,
        message=f"{what} ({wl.info.name}, version {wl.info.version}, line {e.line}){note}",
        match=kind,
        hs_code=None,
        part_number=item.part_number,
        manufacturer=item.manufacturer,
        entry=e.label,
        list_id=wl.info.id,
        list_name=wl.info.name,
        list_version=wl.info.version,
        list_excerpt=False,
        source=e.source,
        source_url=wl.info.source_url,
    )
