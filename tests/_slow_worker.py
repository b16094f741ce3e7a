"""A check worker for the deadline tests: reading a file that starts with ``SLOW`` or ``HANG`` never ends.

``SLOW`` sleeps inside the reading stage, where the per-file alarm stops it (the engine's deadline);
``HANG`` also blocks that alarm first, as code stuck inside a library would, so only the server's
backstop (killing the worker) stops it.  Everything else is the real worker.
"""

from __future__ import annotations

import signal
import sys
import time

import budgetlint.loaders as loaders
from budgetlint.serve import worker

_real = loaders._loader_for


def _loader_for(fmt):
    load = _real(fmt)

    def read(path):
        with open(path, "rb") as fh:
            head = fh.read(4)
        if head == b"HANG":
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(600)
        if head == b"SLOW":
            time.sleep(600)
        return load(path)

    return read


loaders._loader_for = _loader_for

if __name__ == "__main__":
    sys.exit(worker.main())
