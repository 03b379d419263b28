"""Paths shared by the tests: the real data and examples beside the repository.

Developers and CI have ``../shared`` next to the repository root; tests that need
it skip cleanly when it is absent. Nothing from it is ever copied into the repo.
"""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
SEED_EXAMPLE = SHARED / "examples" / "alibaba-chip-article.txt"
