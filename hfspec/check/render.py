"""Rule check (`CheckRun`) → terminal text and JSON: broken rules first, every finding located."""

from __future__ import annotations

import json

from hfspec.check.run import CheckRun
from hfspec.engine.rules import RuleOutcome, sort_outcomes
from hfspec.source import printable
from hfspec.words import CHECK, plural


def _group_text(outcome: RuleOutcome, finding, lang: str) -> str:
    """Where a finding is: the data file's row for row rules; for groups, the group's values that
    the message does not already name (so that every line says whom it concerns)."""
    w = CHECK[lang]
    if finding.row is not None:
        return f"{finding.file or outcome.rule.spec.dataset} {w['row']} {finding.row}: "
    missing = [str(v) for v in finding.group.values() if v is not None and str(v) not in finding.message]
    return f"{' · '.join(missing)}: " if missing else ""


def citizen_level(run: CheckRun) -> bool:
    """Whether the findings name single citizens or data rows (row rules, or rules marked
    `citizen_level`): then the output says it is citizen level, as the double bottom line does."""
    return any(o.findings and (not o.rule.grouped or o.rule.spec.citizen_level) for o in run.outcomes)


def check_text(run: CheckRun, lang: str = "da", limit: int = 20, color: bool = False) -> str:
    """Broken rules first (with their findings), then the rules that hold; a summary line. Data
    values are printed as text only (`source.printable`)."""
    w = CHECK[lang]

    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text
    colors = {"error": "1;31", "warning": "1;33", "info": "1;36"}
    out = [f"{w['check_title']} {w['as_of']} {run.reference_date or '–'} · {w['data']}: {run.data} · {plural(w['rules'], len(run.outcomes))}"]
    if citizen_level(run):
        out.append(w["confidential"])
    out.append("")
    width = max(len(v) for v in w["severity"].values())
    counts = {"error": 0, "warning": 0, "info": 0, "ok": 0}
    for o in sort_outcomes(run.outcomes):
        spec = o.rule.spec
        title = spec.title.get(lang) if spec.title else spec.id
        forms = w["groups"] if o.rule.grouped else w["rows"]
        unit = forms[0] if o.checked == 1 else forms[1]
        unknown = f", {w['unknown'].format(n=o.unknown)}" if o.unknown else ""
        if o.passed:
            counts["ok"] += 1
            out.append(f"{paint(w['ok'].ljust(width), '1;32')}  {spec.id} · {title} · {o.checked} {unit}{unknown}")
            continue
        counts[o.severity] += 1
        label = w["severity"].get(o.severity, o.severity.upper()).ljust(width)
        out.append(f"{paint(label, colors.get(o.severity, '1'))}  {spec.id} · {title} · {o.failed} {w['of']} {o.checked} {unit}{unknown}")
        shown = o.findings if limit <= 0 else o.findings[:limit]
        for f in shown:
            out.append(" " * (width + 2) + printable(_group_text(o, f, lang) + f.message))
        if len(shown) < len(o.findings):
            out.append(" " * (width + 2) + w["more"].format(n=len(o.findings) - len(shown)))
    out.append("")
    out.append(w["check_summary"].format(e=counts["error"], w=counts["warning"], i=counts["info"], o=counts["ok"]) + f" · {w['exit'].format(c=run.exit_code)}")
    return "\n".join(out)


def check_json(run: CheckRun, lang: str = "da") -> str:
    """Every rule with every finding (no limit), the reference date and the exit code."""
    data = {"kind": "rule-check", "citizen_level": citizen_level(run), "reference_date": run.reference_date, "data": run.data, "exit_code": run.exit_code,
            "summary": {sev: sum(1 for o in run.outcomes if o.severity == sev and o.findings) for sev in ("error", "warning", "info")}
            | {"ok": sum(1 for o in run.outcomes if o.passed)},
            "rules": [o.as_dict(lang) for o in run.outcomes]}
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
