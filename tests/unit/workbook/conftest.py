"""Fixtures for the workbook domain: the real catalogue content and build (about a second)."""
import pytest

from services.catalog.cli import load_and_build


@pytest.fixture(scope="session")
def catalogue():
    return load_and_build()


@pytest.fixture(scope="session")
def content(catalogue):
    return catalogue[0]


@pytest.fixture(scope="session")
def tools(catalogue):
    return catalogue[1]


@pytest.fixture(scope="session")
def tools_by_id(tools):
    return {tool["id"]: tool for tool in tools}


@pytest.fixture
def clinic_tool():
    return {"id": "ct_0123456789abcdef", "clinic_id": "clinic-a", "source": "clinic", "status": "published",
            "title": "Our <b>walking</b> plan", "summary": "A plan we wrote at the clinic.",
            "instructions": ["Walk for ten minutes.", "Write how it went."],
            "fields": [{"label": "How did it go?", "kind": "lines"}],
            "problems": ["depression"], "format": "worksheet", "age_group": "adult", "approach": "",
            "version": 1}
