"""``budgetlint serve``: a local page where finance staff drop files and read the findings.

The page runs on Starlette and uvicorn, installed with the ``serve`` extra
(``pip install 'budgetlint[serve]'``).  Nothing here imports them: the command
line checks :func:`missing_dependencies` first, so ``budgetlint --help`` stays
lean and a missing extra ends in a message rather than a traceback.
"""

from __future__ import annotations

import importlib.util

# import name -> the distribution to install
REQUIRED = {"starlette": "starlette", "uvicorn": "uvicorn", "python_multipart": "python-multipart"}


def missing_dependencies() -> list[str]:
    """Distributions of the ``serve`` extra that cannot be imported (found without importing them)."""
    missing = []
    for module, dist in REQUIRED.items():
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(dist)
    return missing
