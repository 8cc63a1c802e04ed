"""Several data folders (one per municipality) → one folder of Parquet files that holds them all,
with the ids of each folder kept apart.

Each folder is read and checked on its own, with every rule of `data.ingest` (a problem names
its own file and row). Its typed tables are then written out as Parquet with every pseudonym
column (`borger_id`, `medarbejder_id`, and the columns that reference them) prefixed by the
folder's number – `B0001` of the first folder becomes `1:B0001` – because two municipalities'
pseudonyms are not the same people even when they are the same text. The union of the folders,
one Parquet file per dataset, can then be read like any data folder (typed Parquet columns are
taken as they are). So a key figure over the union counts each citizen once and never merges two
municipalities' citizens or workers.
"""

from __future__ import annotations

from pathlib import Path

from hfspec.data.ingest import load_data
from hfspec.diagnostics import Diagnostic
from hfspec.lang.sql import literal, quote_ident
from hfspec.spec.model import DatasetSpec


def id_columns(spec: DatasetSpec, datasets: dict[str, DatasetSpec]) -> list[str]:
    """The columns of a dataset that hold pseudonymous ids: `pseudonym: true`, or a reference to one."""
    out = []
    for name, col in spec.columns.items():
        target_ds, _, target_col = (col.references or "").partition(".")
        target = datasets.get(target_ds).columns.get(target_col) if target_ds in datasets else None
        if col.type == "string" and (col.pseudonym or (target is not None and target.pseudonym)):
            out.append(name)
    return out


def union_folders(datasets: dict[str, DatasetSpec], folders: list[Path], needed: list[str], out: Path,
                  allow_invalid_rows: bool = False) -> list[Diagnostic]:
    """Write the union of `folders` into `out` (one `<dataset>.parquet` per needed dataset that any
    folder has) and return the folders' warnings. Raises `HfspecError` when a folder's data is
    refused, as reading it alone would."""
    import duckdb

    warnings: list[Diagnostic] = []
    parts: dict[str, list[Path]] = {}
    for number, folder in enumerate(folders, start=1):
        con = duckdb.connect()
        try:
            got = load_data(con, datasets, Path(folder), needed=needed, allow_invalid_rows=allow_invalid_rows)
            warnings += got.warnings
            for name in got.loaded:
                spec = datasets[name]
                ids = set(id_columns(spec, datasets))
                columns = ", ".join((f"{literal(f'{number}:')} || {quote_ident(c)} AS {quote_ident(c)}" if c in ids else quote_ident(c))
                                    for c in spec.columns)
                target = out / f"part{number}" / f"{name}.parquet"
                target.parent.mkdir(parents=True, exist_ok=True)
                con.execute(f"COPY (SELECT {columns} FROM {quote_ident(name)}) TO {literal(str(target))} (FORMAT parquet)")
                parts.setdefault(name, []).append(target)
        finally:
            con.close()
    con = duckdb.connect()
    try:
        for name, files in parts.items():
            sources = "[" + ", ".join(literal(str(f)) for f in files) + "]"
            con.execute(f"COPY (SELECT * FROM read_parquet({sources}, union_by_name = true)) TO {literal(str(out / f'{name}.parquet'))} (FORMAT parquet)")
    finally:
        con.close()
    return warnings
