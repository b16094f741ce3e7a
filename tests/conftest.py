"""Shared fixtures: the real seed documents sit beside the repository in ../shared/seeds."""

from __future__ import annotations

from pathlib import Path

import os

import pytest

try:  # property tests explore at random while developing, and replay a fixed sequence in CI
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        settings.load_profile("ci")
except ImportError:  # pragma: no cover - hypothesis is a test dependency
    pass

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SAMPLES = REPO / "sample_data"

SEED_FILES = {
    "001": "001_cc27d041c9c85168.txt",
    "002": "002_22dfcbdd3ecd58ac.txt",
    "003": "003_407e03e18ae36581.txt",
    "004": "004_5bc4ef2c1a6abc0e.txt",
}


def seed_path(key: str) -> Path:
    p = SEEDS / SEED_FILES[key]
    if not p.exists():  # the seeds are part of the test data: a missing one is a broken checkout, not a skip
        pytest.fail(f"seed document missing: expected {p}")
    return p


@pytest.fixture(scope="session")
def seed_docs():
    """The four seeds, loaded and understood once per test session."""
    from budgetlint.loaders import load_document

    return {key: load_document(seed_path(key)) for key in SEED_FILES}


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "jiangsu"


@pytest.fixture(scope="session")
def corpus_report():
    """The whole Jiangsu corpus checked once per test session (every rule): it takes seconds."""
    from budgetlint import engine

    if not CORPUS.is_dir():
        pytest.fail(f"the Jiangsu corpus is missing: expected it at {CORPUS}")
    return engine.run([str(CORPUS)])
