"""The catalogue: content as reviewable data, the deterministic build, the catalog service."""
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"
