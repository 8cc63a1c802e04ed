"""What the command line says about a run besides diagnostics: files written, validation counts,
test results, and the line printed under a crash."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "cli.wrote": ("skrev {path}", "wrote {path}"),
    "cli.xlsx_needs_out": ("--format xlsx kræver --out FIL", "--format xlsx needs --out FILE"),
    "cli.overall_needs_history": ("--overall kræver --compare-history FIL", "--overall needs --compare-history FILE"),
    "cli.compare_one_way": ("sammenlign med data (--compare, --compare-by) eller med gemte kørsler (--compare-history), ikke begge",
                            "compare with data (--compare, --compare-by) or with stored runs (--compare-history), not both"),
    "cli.unknown_code": ("ukendt fejlkode {code}; koderne står i docs/errors.md", "unknown code {code}; codes are listed in docs/errors.en.md"),
    "cli.bug": ("Dette er en fejl i hfspec, ikke et problem med dine filer. Rapportér den gerne sammen med den kommando, du kørte.",
                "This is a bug in hfspec, not a problem with your files. Please report it with the command you ran."),
    # hfspec validate: "ok: 3 filer, 52 nøgletal, 9 datasæt"
    "cli.ok": ("ok: {counts}", "ok: {counts}"),
    "cli.files": ("{n} {n:fil|filer}", "{n} {n:file|files}"),
    "cli.shipped": (" (+{n} medfølgende)", " (+{n} shipped)"),
    "cli.key_figures": ("{n} nøgletal", "{n} {n:key figure|key figures}"),
    "cli.selected": (" ({n} valgt)", " ({n} selected)"),
    "cli.datasets": ("{n} datasæt", "{n} {n:dataset|datasets}"),
    "cli.models": ("{n} {n:model|modeller}", "{n} {n:model|models}"),
    "cli.scenarios": ("{n} {n:scenarie|scenarier}", "{n} {n:scenario|scenarios}"),
    "cli.rules": ("{n} {n:regel|regler}", "{n} {n:rule|rules}"),
    "cli.mappings": ("{n} {n:mapning|mapninger}", "{n} {n:mapping|mappings}"),
    # hfspec test
    "cli.tests": ("{passed} bestået, {failed} fejlet", "{passed} passed, {failed} failed"),
    "cli.without_examples": (" ({n} nøgletal har ingen eksempler: {ids})", " ({n} {n:key figure has|key figures have} no examples: {ids})"),
    # hfspec cream
    "cli.wrote_shortlist": ("skrev {path} ({n} nøgletal)", "wrote {path} ({n} {n:key figure|key figures})"),
    "cli.wrote_shortlist_findings": ("skrev {path} ({n} nøgletal; {fails} fund om dækningen skal afklares)",
                                     "wrote {path} ({n} {n:key figure|key figures}; {fails} coverage {fails:finding|findings} to settle)"),
    "cli.weights_form": ("`{part}`: skriv kriterium=vægt, fx clear=30,relevant=30,economic=20,adequate=10,monitorable=10",
                         "`{part}`: write criterion=weight, e.g. clear=30,relevant=30,economic=20,adequate=10,monitorable=10"),
    "cli.weights_not_number": ("`{value}` i `{part}` er ikke et tal", "`{value}` in `{part}` is not a number"),
    "cli.weights_negative": ("vægten af `{name}` er negativ", "the weight of `{name}` is negative"),
    # hfspec init
    "cli.init_wrote": ("skrev {n} filer i {folder}", "wrote {n} files in {folder}"),
    "cli.init_next": ("næste skridt: udfyld {data}, og kør så `hfspec eval {catalogue} {data}`",
                      "next: fill in {data}, then run `hfspec eval {catalogue} {data}`"),
    "cli.audit_summary": ("{file}: {rows} celler, {hidden} skjulte; {verdict} (beskyttelsesniveau {level})",
                          "{file}: {rows} cells, {hidden} hidden; {verdict} (protection level {level})"),
    "cli.audit_found": ("{n} kan regnes ud", "{n} can be worked out"),
    "cli.audit_none": ("ingen kan regnes ud", "none can be worked out"),
}
