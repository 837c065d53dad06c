"""Export of an aged balance to a formatted Excel workbook (title, French labels, totals, frozen header)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from casekit import fmt
from casekit.credit.aged_balance import INDEX_LABELS, STATUS_LABELS, ageing_labels
from casekit.dates import to_timestamp

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
    wb.save(path)
    return path


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
