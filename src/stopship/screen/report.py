"""Outputs of a screening batch: a self-contained HTML report, and CSV/XLSX exports whose
cells cannot be read as spreadsheet formulas."""

from __future__ import annotations

import csv
import html
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from stopship.screen.decision import Decision, Outcome, Reason

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A cell value a spreadsheet shows as text: strings that start like a formula
    (= + - @, tab, carriage return) get a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


EXPORT_COLUMNS = (
    "document_id",
    "document_type",
    "decision",
    "severity",
    "check",
    "code",
    "subject",
    "message",
    "entity_ids",
    "source",
    "list_versions",
    "ruleset_version",
    "screened_at",
)


def export_rows(decisions: Iterable[Decision]) -> Iterable[list[Any]]:
    """One row per reason (one row with empty reason fields for a clear document)."""
    for d in decisions:
        common = {
            "document_id": d.document_id,
            "document_type": d.document_type,
            "decision": d.decision.value,
            "list_versions": json.dumps(d.list_versions, sort_keys=True),
            "ruleset_version": d.ruleset_version,
            "screened_at": d.screened_at.isoformat(),
        }
        reasons: list[Reason | None] = list(d.reasons) or [None]
        for r in reasons:
            row = dict(common)
            if r is not None:
                row.update(
                    severity=r.severity.value,
                    check=r.check,
                    code=r.code,
                    subject=r.subject,
                    message=r.message,
                    entity_ids=" ".join(r.entity_ids),
                    source=r.source.name if r.source else "",
                )
            yield [safe_cell(row.get(c, "")) for c in EXPORT_COLUMNS]


def write_export(path: Path, decisions: Sequence[Decision]) -> None:
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("decisions")
        ws.append(list(EXPORT_COLUMNS))
        for row in export_rows(decisions):
            ws.append(row)
        wb.save(path)
        return
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(EXPORT_COLUMNS)
        w.writerows(export_rows(decisions))


_COLORS = {Outcome.BLOCK: "#b00020", Outcome.REVIEW: "#b26a00", Outcome.CLEAR: "#2e7d32"}


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _chart(counts: Counter[Outcome]) -> str:
    total = max(1, sum(counts.values()))
    bars = []
    y = 10
    for outcome in (Outcome.BLOCK, Outcome.REVIEW, Outcome.CLEAR):
        n = counts.get(outcome, 0)
        width = int(360 * n / total)
        bars.append(
            f'<text x="0" y="{y + 14}" font-size="13">{outcome.value}</text>'
            f'<rect x="70" y="{y}" width="{width}" height="20" fill="{_COLORS[outcome]}"/>'
            f'<text x="{76 + width}" y="{y + 14}" font-size="13">{n}</text>'
        )
        y += 30
    return (
        f'<svg role="img" aria-label="decisions by outcome" width="480" height="{y}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(bars)}</svg>'
    )


def _hit_table(hit: dict[str, Any]) -> str:
    ex = hit.get("explanation", {})
    pairs = "".join(
        f"<tr><td>{_e(p['query'])}</td><td>{_e(p['list'] or '—')}</td>"
        f"<td>{p['similarity']:.2f}</td><td>{p['weight']:.2f}</td></tr>"
        for p in ex.get("token_pairs", [])
    )
    feats = "".join(
        f"<tr><td>{_e(f['name'])}</td><td>{f['value']:.2f}</td><td>{f['weight']:.2f}</td>"
        f"<td>{f['contribution']:+.2f}</td></tr>"
        for f in ex.get("features", [])
    )
    return (
        '<div class="side"><div><h4>Document</h4><p>'
        f"{_e(ex.get('query_name', ''))}</p></div><div><h4>List entry "
        f"{_e(hit.get('entity_id', ''))}</h4><p>{_e(hit.get('matched_name', ''))}<br>"
        f"<small>{_e(hit.get('caption', ''))} · {_e(hit.get('kind', ''))} · "
        f"{_e(hit.get('list_name') or hit.get('source', ''))}</small></p></div></div>"
        "<table><tr><th>query token</th><th>list token</th><th>similarity</th>"
        f"<th>weight</th></tr>{pairs}</table>"
        "<table><tr><th>feature</th><th>value</th><th>weight</th><th>contribution</th></tr>"
        f"{feats}</table>"
    )


def render_html(decisions: Sequence[Decision], title: str = "stopship screening report") -> str:
    counts: Counter[Outcome] = Counter(d.decision for d in decisions)
    versions: dict[str, int] = {}
    rulesets: set[str] = set()
    for d in decisions:
        versions.update(d.list_versions)
        rulesets.add(d.ruleset_version)
    docs = []
    for d in decisions:
        reasons = []
        for r in d.reasons:
            detail = ""
            hit = r.evidence.get("hit") if isinstance(r.evidence, dict) else None
            if isinstance(hit, dict):
                detail = _hit_table(hit)
            elif r.evidence:
                detail = f"<pre>{_e(json.dumps(r.evidence, ensure_ascii=False, indent=1))}</pre>"
            src = ""
            if r.source:
                link = (
                    f' <a href="{_e(r.source.url)}">{_e(r.source.url)}</a>' if r.source.url else ""
                )
                ver = f" (version {_e(r.source.version)})" if r.source.version else ""
                src = f"<div class='src'>Source: {_e(r.source.name)}{ver}{link}</div>"
            reasons.append(
                f"<li class='{_e(r.severity.value)}'><b>{_e(r.severity.value.upper())}</b> "
                f"[{_e(r.check)} · {_e(r.code)}] <i>{_e(r.subject)}</i><br>{_e(r.message)}"
                f"{src}<details><summary>evidence</summary>{detail}</details></li>"
            )
        docs.append(
            f"<section><h3>{_e(d.document_type)} {_e(d.document_id)} — "
            f"<span style='color:{_COLORS[d.decision]}'>{_e(d.decision.value.upper())}</span>"
            f"</h3><ul>{''.join(reasons) or '<li>no findings</li>'}</ul></section>"
        )
    ver = ", ".join(f"{_e(k)} v{_e(v)}" for k, v in sorted(versions.items()))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}}
li{{margin:.6em 0}} li.block{{border-left:4px solid #b00020;padding-left:.5em}}
li.review{{border-left:4px solid #b26a00;padding-left:.5em}}
table{{border-collapse:collapse;margin:.4em 0}} td,th{{border:1px solid #ccc;padding:2px 6px}}
.side{{display:flex;gap:2em}} .src{{color:#555;font-size:90%}} pre{{white-space:pre-wrap}}
</style></head><body>
<h1>{_e(title)}</h1>
<p>{len(decisions)} documents: {counts.get(Outcome.BLOCK, 0)} block,
{counts.get(Outcome.REVIEW, 0)} review, {counts.get(Outcome.CLEAR, 0)} clear.</p>
{_chart(counts)}
<p><small>Lists: {ver or "—"}. Rule set: {_e("; ".join(sorted(rulesets)))}.</small></p>
{"".join(docs)}
</body></html>
"""
