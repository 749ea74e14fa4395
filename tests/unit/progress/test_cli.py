"""`interlude progress reminders`: one reminders pass against the configured store."""
import json
from datetime import date

import pytest

from interlude import settings as settings_module
from interlude import wiring
from interlude.actor import Actor
from interlude_app import cli
from services.progress.application import assignments, clients, storage


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERLUDE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INTERLUDE_LOG_LEVEL", "warning")
    for name in ("INTERLUDE_DOCUMENTS_URL", "INTERLUDE_REMINDER_WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "data"


def test_a_pass_creates_the_due_reminders_and_sends_them_once(data_dir, capsys):
    store = wiring.documents(settings_module.load())
    storage.ensure_indexes(store)
    actor = Actor("usr_1", "cln_1", "practitioner")
    client = clients.create_client(store, actor, display_name="R.")
    assignments.assign(store, actor, client["id"], due=date.today().isoformat(), tool_id="thought-record")
    store.close()
    assert cli.main(["progress", "reminders", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["created"] == 1 and first["sent"] == 1
    assert cli.main(["progress", "reminders", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["created"] == 0
