"""JSON output: the stable, documented machine format (see README).

Written with one finding per line (each encoded by the C encoder): readable,
diff-friendly and fast on large reports.
"""

from __future__ import annotations

import json
from typing import IO, Any


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))


def render(report: Any, out: IO[str], **_: Any) -> None:
    data = report.to_json()
    parts = ["{\n", f'  "budgetlint": {_dump(data["budgetlint"])},\n', '  "files": [']
    parts.append(",".join("\n    " + _dump(f) for f in data["files"]))
    parts.append("\n  ],\n" if data["files"] else "],\n")
    parts.append('  "findings": [')
    parts.append(",".join("\n    " + _dump(f) for f in data["findings"]))
    parts.append("\n  ],\n" if data["findings"] else "],\n")
    skipped = data.get("skipped") or []
    parts.append('  "skipped": [')
    parts.append(",".join("\n    " + _dump(s) for s in skipped))
    parts.append("\n  ],\n" if skipped else "],\n")
    parts.append(f'  "summary": {_dump(data["summary"])}\n}}\n')
    out.write("".join(parts))
