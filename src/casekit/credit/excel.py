"""Export of an aged balance to a formatted Excel workbook (title, French labels, totals, frozen header)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from casekit import fmt
from casekit.credit.aged_balance import INDEX_LABELS, STATUS_LABELS, ageing_labels
from casekit.dates import to_timestamp
from casekit.errors import DataError

# Excel stores number formats in its neutral (en-US) syntax; each user's Excel renders `,` and `.` with the
# locale's separators, so a French Excel shows `1 234,56 €`. Writing `# ##0,00 €` would be wrong.
EURO_FORMAT = '#,##0.00\\ "€"'
DATE_FORMAT = "DD/MM/YYYY"
HEADER_ROW = 4
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def export_aged_balance_excel(aged: pd.DataFrame, path, title: str = "Balance âgée", as_of=None,
                              names: pd.Series | None = None) -> Path:
    """Write `aged` (from `aged_balance`) to `path` (.xlsx) and return the path.

    Layout: title in A1, « Arrêtée au » + date (JJ/MM/AAAA) in row 2, header in row 4 (frozen with the first
    column), one row per line of `aged`, a bold totals row. `names` (customer_id → name) adds a name column.
    """
    path = Path(path)
    wb = Workbook()
    ws = wb.active
    ws.title = "Balance âgée"
    _write_sheet(ws, aged, title, as_of, names)
    wb.save(path)
    return path


def export_aged_balances_excel(sheets: dict, path, as_of=None) -> Path:
    """Several aged balances in one workbook, one sheet each, laid out as `export_aged_balance_excel`.

    `sheets`: sheet name (31 characters at most, Excel's limit) → `aged`, or a tuple `(aged, title)` or
    `(aged, title, names)`. Example: `{"Par client": (by_customer, "Balance âgée par client", names),
    "Par gestionnaire": by_collector}`.
    """
    if not sheets:
        raise DataError("aucune balance âgée à exporter")
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    for name, spec in sheets.items():
        if len(str(name)) > 31 or any(ch in str(name) for ch in "[]:*?/\\"):
            raise DataError(f"nom de feuille Excel invalide : « {name} » (31 caractères au plus, sans [ ] : * ? / \\)")
        aged, title, names = (spec, str(name), None) if isinstance(spec, pd.DataFrame) else \
            (tuple(spec) + (None,) * 2)[:3]
        _write_sheet(wb.create_sheet(str(name)), aged, title or str(name), as_of, names)
    wb.save(path)
    return path


def excel_contents(path) -> pd.DataFrame:
    """What an exported workbook holds, one row per sheet: `sheet`, `title` (A1), `as_of` (B2, a date or
    None), `columns` (the header row, joined with « | »), `lines` (data rows, the totals row excluded),
    `total` (the totals row's last cell, i.e. the grand total) and `frozen` (the frozen-panes cell)."""
    book = load_workbook(Path(path))
    rows = []
    for ws in book.worksheets:
        header = [c.value for c in ws[HEADER_ROW] if c.value is not None]
        last = ws.max_row
        stamp = ws["B2"].value
        rows.append({"sheet": ws.title, "title": ws["A1"].value,
                     "as_of": pd.Timestamp(stamp) if stamp is not None else None,
                     "columns": " | ".join(str(h) for h in header), "lines": max(last - HEADER_ROW - 1, 0),
                     "total": ws.cell(last, len(header)).value if header else None, "frozen": ws.freeze_panes})
    return pd.DataFrame(rows)


def _write_sheet(ws, aged: pd.DataFrame, title: str, as_of, names: pd.Series | None) -> None:
    """One aged balance on the sheet `ws` (see `export_aged_balance_excel`)."""
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    if as_of is not None:
        ws["A2"] = "Arrêtée au"
        ws["B2"] = to_timestamp(as_of).to_pydatetime()
        ws["B2"].number_format = DATE_FORMAT
        ws["B2"].alignment = Alignment(horizontal="left")
    table = aged.rename(index=STATUS_LABELS) if aged.index.name == "status" else aged
    text_columns = [INDEX_LABELS.get(aged.index.name, aged.index.name or "")]
    if names is not None:
        text_columns.append("Raison sociale")
    labels = ageing_labels(aged.columns)
    headers = text_columns + [labels.get(c, str(c)) for c in aged.columns]
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(HEADER_ROW, col, header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first_amount = len(text_columns) + 1
    for r, (key, values) in enumerate(zip(table.index, table.to_numpy(float)), start=HEADER_ROW + 1):
        ws.cell(r, 1, _plain(key))
        if names is not None:
            ws.cell(r, 2, _plain(names.get(key, "")))
        for c, value in enumerate(values, start=first_amount):
            ws.cell(r, c, float(value)).number_format = EURO_FORMAT
    total_row = HEADER_ROW + len(table) + 1
    ws.cell(total_row, 1, "Total").font = Font(bold=True)
    for c, value in enumerate(table.sum().to_numpy(float), start=first_amount):
        cell = ws.cell(total_row, c, round(float(value), 2) + 0.0)
        cell.number_format = EURO_FORMAT
        cell.font = Font(bold=True)
    for c in range(1, len(headers) + 1):
        ws.cell(total_row, c).border = Border(top=Side(style="thin"))
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, len(text_columns) + 1).coordinate
    _autofit(ws, headers, table, names, first_amount)


def _plain(value):
    """Excel cells take plain Python scalars (not numpy / pandas ones)."""
    return value.item() if hasattr(value, "item") else value


def _autofit(ws, headers, table, names, first_amount) -> None:
    """Column widths from the longest displayed text (amounts measured as `1 234 567,89 €`)."""
    widths = [len(h) for h in headers]
    widths[0] = max([widths[0], *(len(str(k)) for k in table.index)])
    if names is not None:
        widths[1] = max([widths[1], *(len(str(names.get(k, ""))) for k in table.index)])
    for offset, column in enumerate(table.columns):
        longest = max([table[column].abs().max() if len(table) else 0.0, abs(table[column].sum())])
        widths[first_amount - 1 + offset] = max(widths[first_amount - 1 + offset], len(fmt.euros(-longest)))
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = min(width + 2, 60)
