"""The single exception every casekit user sees on bad input, with a French message."""

from __future__ import annotations


class DataError(ValueError):
    """Bad input data: the message is French and names the file, the line and the column when known."""

    def __init__(self, message: str, *, path=None, line: int | None = None, column: str | None = None):
        self.path = None if path is None else str(path)
        self.line = line
        self.column = column
        self.detail = message
        where = []
        if self.path is not None:
            where.append(f"fichier « {self.path} »")
        if line is not None:
            where.append(f"ligne {line}")
        if column is not None:
            where.append(f"colonne « {column} »")
        prefix = (", ".join(where) + " : ") if where else ""
        if prefix:
            prefix = prefix[0].upper() + prefix[1:]
        super().__init__(prefix + message)
