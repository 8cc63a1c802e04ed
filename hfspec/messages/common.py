"""Words every diagnostic rendering shares: severities, counts, hints, "or"/"and"."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "common.severity_error": ("fejl", "error"),
    "common.severity_warning": ("advarsel", "warning"),
    "common.severity_info": ("info", "info"),
    "common.note": ("bemærk", "note"),
    "common.hint": ("tip", "hint"),
    "common.count_error": ("{n} fejl", "{n} {n:error|errors}"),
    "common.count_warning": ("{n} {n:advarsel|advarsler}", "{n} {n:warning|warnings}"),
    "common.count_info": ("{n} {n:bemærkning|bemærkninger}", "{n} {n:note|notes}"),
    "common.no_problems": ("ingen problemer", "no problems"),
    "common.grouped_all": ("(samlet pr. fil, kolonne og værdi: {cells:,} {cells:celle|celler})",
                           "(grouped by file, column and value: {cells:,} {cells:cell|cells})"),
    "common.grouped_some": ("({n} af dem samlet pr. fil, kolonne og værdi: {cells:,} {cells:celle|celler})",
                            "({n} of them grouped by file, column and value: {cells:,} {cells:cell|cells})"),
    "common.did_you_mean": ("mente du `{name}`?", "did you mean `{name}`?"),
    "common.best_then": ("{best} {then}", "{best} {then}"),
    "common.or": ("eller", "or"),
    "common.and": ("og", "and"),
    "common.none": ("ingen", "none"),
    "common.code": ("`{text}`", "`{text}`"),
    "common.verbatim": ("{text}", "{text}"),
    "common.os_not_found": ("filen findes ikke", "no such file"),
    "common.os_no_access": ("ingen adgang", "permission denied"),
    "common.os_is_folder": ("det er en mappe", "it is a folder"),
    "common.os_not_folder": ("en del af stien er ikke en mappe", "a part of the path is not a folder"),
    "common.os_disk_full": ("disken er fuld", "the disk is full"),
    "common.os_not_utf8": ("det er ikke UTF-8-tekst", "it is not UTF-8 text"),
    # -- settings.py ---------------------------------------------------------------------------------
    "settings.disclosure_off": ("--suppress-below {k} slår diskretioneringen fra: grupper med én eller få borgere ville blive vist",
                                "--suppress-below {k} turns disclosure control off: groups of one or a few citizens would be shown"),
    "settings.disclosure_off_hint": ("tilføj --not-for-publication for at bekræfte, at resultatet bliver i kommunen (det står øverst), eller udelad --suppress-below (standard 5)",
                                     "add --not-for-publication to confirm that the output stays inside the municipality (it says so at the top), or leave --suppress-below out (default 5)"),
}
