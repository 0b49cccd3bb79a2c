"""What every surface of the course carries: its version and the disclaimer (no module imports the root package
to get them)."""

from __future__ import annotations

__all__ = ["DISCLAIMER", "__version__"]

__version__ = "0.1.0"

DISCLAIMER = (
    "Educational use only: this is not medical advice. Real decisions belong to a multidisciplinary sarcoma team."
)
