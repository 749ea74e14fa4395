"""Real recordings with espeak-ng and sox (installed by deploy/dev/ensure-system-packages.sh).
Scripts are a few sentences, so the whole file runs in a few seconds."""
import os
import shutil
import subprocess
import sys
import tempfile

import eventlet
import pytest

from interlude.adapters.folder_blobs import FolderBlobStore
from services.catalog.adapters import audio
from services.catalog.adapters.audio import AudioSynthesisFailed, audio_cached, synthesise
from services.catalog.domain.audio_script import parse

SCRIPT = ("Find a comfortable position, and let your shoulders drop. [pause 2s] "
          "Take a slow breath in. And let it out.\n"
          "When you are ready, notice your feet on the floor.")
WITHOUT_PAUSE = SCRIPT.replace(" [pause 2s]", "")


def is_mp3(data: bytes) -> bool:
    # An ID3 tag, or straight into an MPEG audio frame (11 sync bits set).
    return data[:3] == b"ID3" or (data[0] == 0xFF and data[1] & 0xE0 == 0xE0)


def measured_seconds(tmp_path, name: str, data: bytes) -> float:
    path = tmp_path / name
    path.write_bytes(data)
    result = subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True, timeout=30, check=True)
    return float(result.stdout)


@pytest.fixture(scope="module")
def rendered():
    return synthesise(SCRIPT), synthesise(WITHOUT_PAUSE)


def test_synthesis_makes_real_mp3_and_ogg_files(rendered):
    files, _ = rendered
    assert is_mp3(files.mp3) and len(files.mp3) > 10_000
    assert files.ogg[:4] == b"OggS" and b"vorbis" in files.ogg[:200]
    assert files.transcript == parse(SCRIPT).transcript()
    assert "[pause" not in files.transcript and "\n\n" in files.transcript


def test_the_files_last_about_as_long_as_estimated(rendered, tmp_path):
    files, _ = rendered
    expected = parse(SCRIPT).estimated_seconds() + audio.LEAD_IN_SECONDS + audio.TAIL_SECONDS
    mp3_seconds = measured_seconds(tmp_path, "guided.mp3", files.mp3)
    ogg_seconds = measured_seconds(tmp_path, "guided.ogg", files.ogg)
    assert 0.75 * expected < files.seconds < 1.25 * expected
    # Encoders may add a frame or two of padding, never whole seconds.
    assert abs(mp3_seconds - files.seconds) < 0.2 and abs(ogg_seconds - files.seconds) < 0.2


def test_the_marked_pause_is_in_the_recording(rendered, tmp_path):
    with_pause, without_pause = rendered
    added = (measured_seconds(tmp_path, "with.ogg", with_pause.ogg)
             - measured_seconds(tmp_path, "without.ogg", without_pause.ogg))
    # 2 s, less the short silence espeak-ng leaves at a full stop, which the pause replaces.
    assert 1.2 < added < 2.5


def test_the_cache_renders_once_and_returns_the_same_keys(tmp_path):
    store = FolderBlobStore(tmp_path / "blobs")
    keys = audio_cached(store, SCRIPT)
    digest = keys["mp3"][len("audio/"):-len(".mp3")]
    assert len(digest) == 64 and keys == {"mp3": f"audio/{digest}.mp3", "ogg": f"audio/{digest}.ogg",
                                          "transcript": f"audio/{digest}.txt"}
    assert store.list("audio/") == sorted(keys.values())
    assert is_mp3(store.get(keys["mp3"])) and store.get(keys["ogg"])[:4] == b"OggS"
    assert store.get(keys["transcript"]).decode() == parse(SCRIPT).transcript()
    assert store.stat(keys["mp3"]).content_type == "audio/mpeg"
    written = {key: (tmp_path / "blobs" / key).stat().st_mtime_ns for key in keys.values()}

    # Same script, re-wrapped as a YAML edit might: the same sound, so no new recording.
    rewrapped = SCRIPT.replace(", and", ",   and").replace(" [pause 2s] ", "\t[pause 2s]  ")
    assert audio_cached(store, SCRIPT) == keys == audio_cached(store, rewrapped)
    assert store.list("audio/") == sorted(keys.values())
    assert {key: (tmp_path / "blobs" / key).stat().st_mtime_ns for key in keys.values()} == written


def test_a_different_script_gets_different_keys_and_a_missing_file_is_made_again(tmp_path):
    store = FolderBlobStore(tmp_path / "blobs")
    keys = audio_cached(store, "Breathe in. [pause 1s] And out.")
    assert audio_cached(store, "Breathe in. [pause 2s] And out.")["mp3"] != keys["mp3"]
    store.delete(keys["ogg"])
    assert audio_cached(store, "Breathe in. [pause 1s] And out.") == keys
    assert store.get(keys["ogg"])[:4] == b"OggS"


def test_synthesis_leaves_the_eventlet_hub_free(tmp_path):
    ticks = []

    def tick():
        while True:
            eventlet.sleep(0.01)
            ticks.append(1)

    ticker = eventlet.spawn(tick)
    try:
        synthesise("Breathe in. [pause 1s] And out.")
    finally:
        ticker.kill()
    assert len(ticks) >= 5  # the greenthread ran while the programs did


def test_a_missing_program_is_named_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(AudioSynthesisFailed) as raised:
        synthesise("Breathe in.")
    assert "espeak-ng" in raised.value.message
    assert "deploy/dev/ensure-system-packages.sh" in raised.value.message


def test_a_failing_program_is_reported_and_temporary_files_are_removed(tmp_path, monkeypatch):
    bin_dir, scratch = tmp_path / "bin", tmp_path / "scratch"
    bin_dir.mkdir()
    scratch.mkdir()
    (bin_dir / "espeak-ng").symlink_to(shutil.which("espeak-ng"))
    broken_sox = bin_dir / "sox"
    broken_sox.write_text("#!/bin/sh\necho 'sox FAIL formats: no handler' >&2\nexit 2\n")
    broken_sox.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    with pytest.raises(AudioSynthesisFailed) as raised:
        synthesise("Breathe in. [pause 1s] And out.")
    assert raised.value.message == "sox failed (exit 2): sox FAIL formats: no handler"
    assert os.listdir(scratch) == []


def test_successful_synthesis_removes_its_temporary_files(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    synthesise("Breathe in.")
    assert os.listdir(tmp_path) == []


def test_the_lameenc_fallback_writes_a_real_mp3(tmp_path):
    """What runs where sox lacks libsox-fmt-mp3: the same child-process command the adapter uses."""
    wav, mp3 = tmp_path / "tone.wav", tmp_path / "tone.mp3"
    subprocess.run(["sox", "-n", "-r", "22050", "-c", "1", "-b", "16", str(wav), "synth", "1.5", "sine", "440"],
                   check=True, timeout=30)
    subprocess.run([sys.executable, "-m", "services.catalog.adapters.audio", "--lame", str(wav), str(mp3)],
                   check=True, timeout=60)
    data = mp3.read_bytes()
    assert is_mp3(data)
    assert abs(measured_seconds(tmp_path, "check.mp3", data) - 1.5) < 0.1
