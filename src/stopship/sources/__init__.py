"""One adapter per official list format, each producing the common entity model.

Sources group datasets; a dataset lists alternative formats in order of preference
(the first whose files are found is used). Within a source, the first dataset to
produce an entity id keeps it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from stopship.errors import UnknownSourceError
from stopship.sources.base import Adapter, ParsedDataset, ParseIssue, SourceFile


@dataclass(frozen=True)
class DatasetSpec:
    name: str
    adapters: tuple[str, ...]  # "module:Class", most preferred first

    def load_adapters(self) -> list[Adapter]:
        out: list[Adapter] = []
        for ref in self.adapters:
            mod, cls = ref.split(":")
            out.append(getattr(importlib.import_module(f"stopship.sources.{mod}"), cls)())
        return out


SOURCES: dict[str, tuple[DatasetSpec, ...]] = {
    "ofac": (
        DatasetSpec("sdn", ("ofac_xml:OfacSdnXml", "ofac_csv:OfacSdnCsv")),
        DatasetSpec("cons", ("ofac_xml:OfacConsXml", "ofac_csv:OfacConsCsv")),
    ),
    "un": (DatasetSpec("consolidated", ("un_xml:UnXml",)),),
    "eu": (
        DatasetSpec(
            "consolidated", ("eu_fsf:EuFsfXml", "eu_fsf:EuFsfCsv", "eu_journal:EuJournalCsv")
        ),
    ),
    "uk": (
        DatasetSpec(
            "consolidated",
            (
                "uk_sanctions_list:UkSanctionsListXml",
                "uk_sanctions_list:UkSanctionsListCsv",
                "uk_ofsi:OfsiConListCsv",
                "uk_ofsi:OfsiConListXlsx",
            ),
        ),
        DatasetSpec("summary", ("uk_fcdo_summary:FcdoSummaryOds",)),
    ),
    "csl": (
        DatasetSpec("csl", ("csl:CslJson", "csl:CslCsv")),
        DatasetSpec("dpl", ("bis_dpl:BisDplTxt",)),
        DatasetSpec("mieu", ("bis_mieu:BisMieuCsv",)),
    ),
    "opensanctions": (DatasetSpec("ftm", ("ftm:FtmJson",)),),
}

#: sources loaded when none are named (OpenSanctions data is opt-in: CC BY-NC licence)
DEFAULT_SOURCES: tuple[str, ...] = ("ofac", "un", "eu", "uk", "csl")


def resolve_sources(names: str | None, *, include_optional: bool = False) -> list[str]:
    if not names:
        return list(SOURCES) if include_optional else list(DEFAULT_SOURCES)
    out: list[str] = []
    for raw in names.split(","):
        n = raw.strip().lower()
        if not n:
            continue
        if n not in SOURCES:
            raise UnknownSourceError(f"unknown source {n!r}; known sources: {', '.join(SOURCES)}")
        out.append(n)
    return out


__all__ = [
    "DEFAULT_SOURCES",
    "SOURCES",
    "Adapter",
    "DatasetSpec",
    "ParseIssue",
    "ParsedDataset",
    "SourceFile",
    "resolve_sources",
]
