"""Read and write the fil rouge tables as CSV, typed by `casekit.casestudy.schema`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from casekit.casestudy.schema import TABLES, Table
from casekit.errors import DataError


def write_tables(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write every table as UTF-8 CSV with ISO dates and `\\n` line ends; same tables, same bytes."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        df = tables[table.name][table.column_names].copy()
        for col in table.columns:
            if col.type == "date":
                df[col.name] = pd.to_datetime(df[col.name]).dt.strftime("%Y-%m-%d").fillna("")
            elif col.type == "float":
                df[col.name] = df[col.name].astype(float).round(6)
        path = out_dir / table.file
        df.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
        written.append(path)
    return written


def read_table(table: Table, path: Path) -> pd.DataFrame:
    """Read one table and give each column its type; a bad file raises `DataError` naming it."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError:
        raise DataError("fichier introuvable", path=path) from None
    missing = [c for c in table.column_names if c not in raw.columns]
    if missing:
        raise DataError(f"colonne(s) manquante(s) : {', '.join(missing)}", path=path)
    df = pd.DataFrame(index=raw.index)
    for col in table.columns:
        values = raw[col.name]
        if col.type == "date":
            parsed = pd.to_datetime(values.where(values != ""), format="%Y-%m-%d", errors="coerce")
            bad = parsed.isna() & (values != "")
        elif col.type in ("float", "int"):
            parsed = pd.to_numeric(values.where(values != ""), errors="coerce")
            bad = parsed.isna() & (values != "")
            if col.type == "int" and not bad.any() and parsed.notna().all():
                parsed = parsed.astype("int64")
        elif col.type == "bool":
            parsed = values.map({"True": True, "False": False})
            bad = parsed.isna()
            parsed = parsed.astype(bool) if not bad.any() else parsed
        else:
            parsed = values.astype("category") if col.type == "category" else values.astype(str)
            bad = pd.Series(False, index=values.index)
        if col.required and col.type != "str":
            bad = bad | (values == "")
        if bad.any():
            row = int(bad.to_numpy().argmax())
            raise DataError(f"valeur « {values.iloc[row]} » invalide (type attendu : {col.type})",
                            path=path, line=row + 2, column=col.name)
        df[col.name] = parsed
    return df
