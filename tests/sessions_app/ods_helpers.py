"""Build spreadsheets for the import tests with odfpy (any header, typed cells, formulas)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from sessions_app.ods import COLUMNS

HEADER = [c.header for c in COLUMNS]


@dataclass
class Formula:
    formula: str
    cached: str


def valid_row(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "last_name": "Durand",
        "first_name": "Élodie",
        "sex": "F",
        "birth_date": "12/04/1988",
        "birth_country": "FRANCE",
        "birth_insee_code": "69123",
        "birth_postal_code": "",
        "birth_city": "Lyon",
        "external_id": "",
        "email": "",
        "result_recipient_email": "",
        "extra_time_percentage": "",
        "needs_adjustment": "",
        "billing_mode": "Gratuite",
        "prepayment_code": "",
    }
    row.update(overrides)
    return row


def make_ods(rows: list[list[object]]) -> bytes:
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Feuille1")
    for values in rows:
        tr = TableRow()
        for value in values:
            if isinstance(value, Formula):
                cell = TableCell(valuetype="float", value=value.cached, formula=value.formula)
                cell.addElement(P(text=value.cached))
            elif isinstance(value, date):
                cell = TableCell(valuetype="date", datevalue=value.isoformat())
                cell.addElement(P(text=value.strftime("%d/%m/%Y")))
            elif isinstance(value, int | float):
                cell = TableCell(valuetype="float", value=value)
                cell.addElement(P(text=str(value)))
            else:
                cell = TableCell(valuetype="string")
                if value != "":
                    cell.addElement(P(text=str(value)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


def candidates_ods(*rows: dict[str, object], header: list[str] | None = None) -> bytes:
    keys = [c.key for c in COLUMNS]
    return make_ods([header or HEADER] + [[row.get(k, "") for k in keys] for row in rows])
