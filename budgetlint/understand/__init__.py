"""Understanding: raw grids and prose become tables, forms and statements that know what they are.

One stage, run once per document before any rule.  Rules only read what it
built; none of them re-parses a file or rebuilds a structure of its own.

* :mod:`.tables` — title blocks, page-break continuations, header trees,
  row labels, classification codes, cell values, table kinds;
* :mod:`.kinds` — the registry of table kinds (English ids, Chinese aliases);
* :mod:`.structure` — row trees (totals, code hierarchy, numbered items,
  其中 parts, unit blocks), column sums and the sides of two-sided tables;
* :mod:`.lookup` — finding rows, columns and lines by domain meaning, for the
  reconciliations between tables;
* :mod:`.forms` — performance-target and scoring forms;
* :mod:`.narrative` — amounts, shares and changes stated in the prose.
"""

from __future__ import annotations

from .tables import understand_document

__all__ = ["understand_document"]
