"""JSON output: the stable, documented machine format (see README)."""

from __future__ import annotations

import json
from typing import IO, Any


def render(report: Any, out: IO[str], **_: Any) -> None:
    json.dump(report.to_json(), out, ensure_ascii=False, indent=2, sort_keys=False)
    out.write("\n")
