"""madrega — a Torah-study engine and a practice companion that share one library."""

from __future__ import annotations

__version__ = "0.1.0"
