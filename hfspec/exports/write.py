"""Mapped datasets in a DuckDB connection → the standard data folder: one CSV or Parquet file per
dataset, as `hfspec eval` reads them, written all or nothing, and a manifest (`hfspec-map.json`)
with the pseudonym key's fingerprint, so that a run with another key is refused before it gives
every citizen a new pseudonym.

Files are first written beside their final names and moved into place only when every one of
them is written: a failed run leaves the folder as it was. CSV files are UTF-8 with a BOM (so
that Danish Excel shows æ, ø, å), `,`-separated, ISO dates, `true`/`false`, decimal points:
the standard contract's plain form.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

from hfspec.data.ingest import DATA_SUFFIXES
from hfspec.data.mapping import MappedData
from hfspec.data.pseudonym import PseudonymKey
from hfspec.diagnostics import Diagnostic, HfspecError
from hfspec.messages import Message
from hfspec.lang.sql import literal, quote_ident
from hfspec.source import display_path
from hfspec.version import __version__

#: The manifest `hfspec map` writes into the data folder.
MANIFEST = "hfspec-map.json"
FORMATS = ("csv", "parquet")


def check_key(out: Path, key: PseudonymKey | None, new_key: bool) -> None:
    """Refuse (HF539) to write into a folder that was written with another pseudonym key."""
    manifest = out / MANIFEST
    if key is None or new_key or not manifest.is_file():
        return
    try:
        before = json.loads(manifest.read_text(encoding="utf-8")).get("key_fingerprint")
    except (OSError, ValueError, AttributeError):
        return  # not our manifest: nothing to compare with
    if before and before != key.fingerprint:
        raise HfspecError([Diagnostic("HF539", Message("map.other_key", folder=display_path(out), before=before, now=key.fingerprint, origin=key.origin),
                                      None, hint=Message("map.other_key_hint"))])


def conflicts(out: Path, datasets: list[str], fmt: str) -> list[Diagnostic]:
    """Other files for the same datasets in the folder (status.xlsx beside the status.csv to be written): HF515."""
    found = []
    for ds in datasets:
        others = [out / f"{ds}{s}" for s in DATA_SUFFIXES if s != f".{fmt}" and (out / f"{ds}{s}").is_file()]
        if others:
            found.append(Diagnostic("HF515", Message("map.two_files", other=display_path(others[0]), dataset=ds, fmt=fmt), None,
                                    hint=Message("map.two_files_hint")))
    return found


def write_folder(con, mapped: MappedData, out: Path, fmt: str = "csv") -> dict[str, Path]:
    """Write every mapped dataset into `out` (made if missing) and the manifest; returns the files by dataset."""
    datasets = list(mapped.loaded)
    problems = conflicts(out, datasets, fmt)
    if problems:
        raise HfspecError(problems)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise HfspecError([Diagnostic("HF803", Message("map.cannot_make_folder", folder=display_path(out), reason=error.strerror or str(error)), None)]) from None
    import duckdb

    written: dict[str, Path] = {}
    temporary: list[tuple[Path, Path]] = []
    try:
        for ds in datasets:
            final = out / f"{ds}.{fmt}"
            part = out / f".{ds}.{fmt}.part"
            if fmt == "parquet":
                con.execute(f"COPY (SELECT * FROM {quote_ident(ds)}) TO {literal(str(part))} (FORMAT parquet)")
            else:
                raw = out / f".{ds}.{fmt}.raw"
                con.execute(f"COPY (SELECT * FROM {quote_ident(ds)}) TO {literal(str(raw))} (FORMAT csv, HEADER true, DELIMITER ',')")
                with part.open("wb") as target, raw.open("rb") as source:
                    target.write("\ufeff".encode("utf-8"))  # Danish Excel reads UTF-8 only with a BOM
                    shutil.copyfileobj(source, target, 1 << 20)
                raw.unlink()
            temporary.append((part, final))
            written[ds] = final
        manifest = {
            "hfspec": __version__, "written": dt.datetime.now().replace(microsecond=0).isoformat(), "format": fmt,
            "key_fingerprint": mapped.key.fingerprint if mapped.key else None,
            "datasets": {ds: {"mapping": mapped.reports[ds].mapping, "file": written[ds].name, "rows": mapped.loaded[ds].rows,
                              "exports": [display_path(p) for p in mapped.reports[ds].files]} for ds in datasets},
        }
        old = {}
        if (out / MANIFEST).is_file():
            try:
                old = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = {}
        if isinstance(old, dict) and isinstance(old.get("datasets"), dict):
            manifest["datasets"] = {**{k: v for k, v in old["datasets"].items() if k not in written}, **manifest["datasets"]}
        part = out / f".{MANIFEST}.part"
        part.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        temporary.append((part, out / MANIFEST))
    except (OSError, duckdb.IOException) as error:
        for part, _ in temporary:
            part.unlink(missing_ok=True)
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
        raise HfspecError([Diagnostic("HF803", Message("map.cannot_write_into", folder=display_path(out), reason=reason), None,
                                      hint=Message("map.cannot_write_into_hint"))]) from None
    for part, final in temporary:
        os.replace(part, final)
    return written
