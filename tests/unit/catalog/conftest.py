"""Fixtures shared by the catalogue's audio tests: the built audio tools, built once per module."""
import pytest

from services.catalog.cli import load_and_build


@pytest.fixture(scope="module")
def audio_tools():
    return [t for t in load_and_build()[1] if t["format"] == "audio"]


def script_of(tool: dict) -> str:
    """An audio tool's script, as its page prints it."""
    return next(s["text"] for s in tool["sections"] if s["id"] == "script")
