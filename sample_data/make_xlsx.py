"""Build the sample workbook from the sample text tables (run from the repository root).

    python sample_data/make_xlsx.py

Each table of ``disclosure_with_errors.txt`` becomes one sheet: its title lines
as merged rows above the header, amounts as numbers with two displayed
decimals (one left as text, as people often paste them), so the workbook
carries exactly the mistakes of the text version.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font

    from budgetlint.loaders.text import load
    from budgetlint.numbers import parse_number

    raw = load(HERE / "disclosure_with_errors.txt")
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for i, table in enumerate(raw.tables):
        title = next((p.text for p in table.before if p.text.endswith("表")), f"表{i + 1}")
        ws = wb.create_sheet(title=title[:28])
        width = max(len(r) for r in table.rows)
        r = 1
        for p in table.before:
            ws.cell(row=r, column=1, value=p.text)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            ws.cell(row=r, column=1).alignment = Alignment(horizontal="center")
            r += 1
        for row in table.rows:
            for c, cell in enumerate(row, start=1):
                text = cell.raw.strip()
                n = parse_number(text)
                if n.value is not None and "," in text and c > 3 and not (r == 12 and c == 5):
                    xc = ws.cell(row=r, column=c, value=float(n.value))
                    xc.number_format = "#,##0.00"
                elif n.value is not None and c > 3 and "." in text:
                    xc = ws.cell(row=r, column=c, value=float(n.value))
                    xc.number_format = "0.00"
                else:
                    ws.cell(row=r, column=c, value=text or None)
            r += 1
        ws.cell(row=1, column=1).font = Font(bold=True)
    wb.save(HERE / "disclosure_with_errors.xlsx")


if __name__ == "__main__":
    main()
