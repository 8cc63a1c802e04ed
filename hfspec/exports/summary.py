"""What `hfspec map` did → text for the terminal (in Danish or English) and plain data for JSON:
per dataset, the export files, the rows of each step of its mapping, and where it was written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hfspec.data.mapping import MappedData
from hfspec.source import display_path
from hfspec.words import MAP, format_number


def summary_data(mapped: MappedData, written: dict[str, Path] | None) -> dict[str, Any]:
    """Plain data (stable keys) for `hfspec map --format json`."""
    return {
        "key_fingerprint": mapped.key.fingerprint if mapped.key else None,
        "datasets": [{
            "dataset": ds, "mapping": report.mapping, "exports": [display_path(p) for p in report.files],
            "steps": [{"step": s.key, "rows": s.rows, "detail": s.detail} for s in report.steps],
            "people": report.people, "file": display_path(written[ds]) if written and ds in written else None,
        } for ds, report in mapped.reports.items()],
        "unchecked_references": [{"dataset": d, "column": c, "target": t} for d, c, t in mapped.unchecked],
    }


def summary_text(mapped: MappedData, written: dict[str, Path] | None, out: Path | None, lang: str = "da") -> str:
    """The terminal summary: one block per dataset, a line per step with its rows."""
    w = MAP["en" if lang == "en" else "da"]
    if not mapped.reports:
        return w["nothing"]
    head = [w["title"]]
    head.append(w["into"].format(folder=display_path(out)) if written and out is not None else w["not_written"])
    head.append(w["key"].format(fingerprint=mapped.key.fingerprint) if mapped.key else w["no_key"])
    lines = [" · ".join(head), ""]
    for ds, report in mapped.reports.items():
        n = len(report.files)
        files = (w["files"] if n == 1 else w["files_plural"]).format(n=format_number(n, None, lang))
        lines.append(f"{ds}  ← {report.mapping} ({files})")
        rows = [(w["steps"][s.key], format_number(s.rows, None, lang), s.detail) for s in report.steps if s.rows or s.key in ("read", "written")]
        if report.people:
            rows.insert(-1, (w["people"], format_number(report.people, None, lang), ""))
        width = max(len(r[0]) for r in rows)
        digits = max(len(r[1]) for r in rows)
        for step, count, detail in rows:
            shown = detail if step != w["steps"]["read"] else ""
            if step == w["steps"]["written"] and written and ds in written:
                shown = w["written_to"].format(file=display_path(written[ds]))
            lines.append(f"  {step:<{width}}  {count:>{digits}}" + (f"  {shown}" if shown else ""))
        lines.append("")
    for ds, column, target in mapped.unchecked:
        lines.append(w["unchecked"].format(column=f"{ds}.{column}", target=target))
    return "\n".join(lines).rstrip() + "\n"
