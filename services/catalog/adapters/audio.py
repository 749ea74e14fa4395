"""Guided audio: a script with ``[pause 3s]`` markers becomes an MP3, an OGG Vorbis and a transcript.

espeak-ng speaks the SSML (slow, soft voice) into a WAV; sox adds a light reverb, a very quiet
pink-noise bed, fades and normalising, then encodes. Every program runs through ``subprocess`` with
a timeout: under eventlet's monkey-patching those calls are green, so the service's hub keeps
serving while a recording is made. Temporary files live in one folder that is always removed.
"""
from __future__ import annotations

import functools
import hashlib
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from interlude.errors import InterludeError
from interlude.ports.blobs import BlobStore
from services.catalog.domain import audio_script

VOICE = "en-gb+f2"  # a breathy, low-roughness variant: the softest of espeak-ng's built-in voices
SPEECH_RATE = 130   # espeak-ng's nominal words per minute; its default, 175, sounds hurried
SPEECH_PITCH = 40   # 0-99, default 50: a little lower is calmer
SAMPLE_RATE = 22050  # espeak-ng's own rate; resampling up would only cost time
LEAD_IN_SECONDS, TAIL_SECONDS = 1.5, 3.0  # silence before the voice, room for the reverb and fade
FADE_IN_SECONDS, FADE_OUT_SECONDS = 1.0, 2.5
NOISE_BED = ["pinknoise", "lowpass", "2000", "vol", "-38dB"]  # about 35 dB under the voice's peaks
MP3_KBPS, OGG_QUALITY = 128, 4
COMMAND_TIMEOUT_SECONDS = 300  # the longest allowed script (20,000 characters) is ~30 minutes
# Part of every cache key: change it whenever the sound changes, so old recordings are not reused.
RENDER_VERSION = "espeak-sox-1"
FIX = "run deploy/dev/ensure-system-packages.sh (as root) to install it"


class AudioSynthesisFailed(InterludeError):
    """The guided audio could not be made."""
    code = "audio_synthesis_failed"


@dataclass(frozen=True)
class AudioFiles:
    mp3: bytes
    ogg: bytes
    transcript: str
    seconds: float


def synthesise(script_text: str) -> AudioFiles:
    """Render a script; raise InvalidInput for a bad script, AudioSynthesisFailed otherwise."""
    script = audio_script.parse(script_text)
    espeak, sox = _program("espeak-ng"), _program("sox")
    with tempfile.TemporaryDirectory(prefix="interlude-audio-") as folder:
        work = Path(folder)
        (work / "script.ssml").write_text(script.ssml(), encoding="utf-8")
        _run([espeak, "-m", "-v", VOICE, "-s", str(SPEECH_RATE), "-p", str(SPEECH_PITCH),
              "-f", str(work / "script.ssml"), "-w", str(work / "speech.wav")])
        # The voice's effects and the noise bed are independent: one process per core. The bed is as
        # long as the padded voice; gain -3 leaves the reverb headroom, and norm restores the level.
        padded_seconds = _wav_seconds(work / "speech.wav") + LEAD_IN_SECONDS + TAIL_SECONDS
        _run([sox, str(work / "speech.wav"), "-r", str(SAMPLE_RATE), str(work / "voice.wav"),
              "gain", "-3", "pad", str(LEAD_IN_SECONDS), str(TAIL_SECONDS), "reverb", "20", "50", "40"],
             [sox, "-n", "-r", str(SAMPLE_RATE), "-c", "1", str(work / "noise.wav"),
              "synth", f"{padded_seconds:.3f}", *NOISE_BED])
        _run([sox, "-m", str(work / "voice.wav"), str(work / "noise.wav"), str(work / "final.wav"),
              "fade", "q", str(FADE_IN_SECONDS), "-0", str(FADE_OUT_SECONDS), "norm", "-1"])
        _encode(sox, work / "final.wav", work / "guided.mp3", work / "guided.ogg")
        return AudioFiles(mp3=(work / "guided.mp3").read_bytes(), ogg=(work / "guided.ogg").read_bytes(),
                          transcript=script.transcript(), seconds=_wav_seconds(work / "final.wav"))


def audio_cached(blob_store: BlobStore, script_text: str) -> dict[str, str]:
    """The blob keys of the script's recording (``mp3``, ``ogg``, ``transcript``), made on the
    first request and reused after. Keyed by what is heard, so re-wrapping a script's lines in
    the YAML does not make a new recording. Two first requests at once may both render; the
    second simply overwrites the first with the same sound."""
    script = audio_script.parse(script_text)
    digest = hashlib.sha256(
        f"{RENDER_VERSION}\n{script.ssml()}\n{script.transcript()}".encode()).hexdigest()
    keys = {"mp3": f"audio/{digest}.mp3", "ogg": f"audio/{digest}.ogg", "transcript": f"audio/{digest}.txt"}
    if all(blob_store.exists(key) for key in keys.values()):
        return keys
    files = synthesise(script_text)
    blob_store.put(keys["mp3"], files.mp3, "audio/mpeg")
    blob_store.put(keys["ogg"], files.ogg, "audio/ogg")
    # The transcript last: its presence is what marks a complete set in the check above.
    blob_store.put(keys["transcript"], files.transcript.encode("utf-8"), "text/plain; charset=utf-8")
    return keys


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise AudioSynthesisFailed(f"Guided audio needs the program {name!r}, which is not installed: {FIX}.")
    return path


def _timeout_errors() -> tuple[type[BaseException], ...]:
    # Under eventlet's monkey-patching the green Popen raises the *original* subprocess module's
    # TimeoutExpired, a different class from the patched module's: catch both.
    errors = [subprocess.TimeoutExpired]
    patcher = sys.modules.get("eventlet.patcher")
    if patcher is not None:
        errors.append(patcher.original("subprocess").TimeoutExpired)
    return tuple(errors)


def _run(*commands: list[str]) -> None:
    """Run the commands side by side (one per core), wait for all and check every exit code."""
    processes = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                 for command in commands]
    try:
        for command, process in zip(commands, processes):
            program = Path(command[0]).name
            try:
                _, stderr = process.communicate(timeout=COMMAND_TIMEOUT_SECONDS)
            except _timeout_errors():
                raise AudioSynthesisFailed(f"{program} took longer than {COMMAND_TIMEOUT_SECONDS} s.") from None
            if process.returncode != 0:
                detail = stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
                raise AudioSynthesisFailed(f"{program} failed (exit {process.returncode}): {detail[0][:300]}")
    finally:
        for process in processes:  # after a failure, stop the others rather than leave them running
            if process.poll() is None:
                process.kill()
                process.wait()


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as wav:
        return wav.getnframes() / wav.getframerate()


@functools.lru_cache(maxsize=None)
def _sox_writes_mp3(sox: str) -> bool:
    """Whether libsox-fmt-mp3 is installed: sox lists the formats it can handle in its help."""
    result = subprocess.run([sox, "-h"], capture_output=True, timeout=30)
    formats = [line for line in result.stdout.decode().splitlines() if line.startswith("AUDIO FILE FORMATS")]
    return bool(formats) and "mp3" in formats[0].split()


def _encode(sox: str, wav: Path, mp3: Path, ogg: Path) -> None:
    if _sox_writes_mp3(sox):
        mp3_command = [sox, str(wav), "-C", str(MP3_KBPS), str(mp3)]
    else:
        # sox without libsox-fmt-mp3: LAME through lameenc, in a child process like the rest.
        mp3_command = [sys.executable, "-m", __name__, "--lame", str(wav), str(mp3)]
    _run(mp3_command, [sox, str(wav), "-C", str(OGG_QUALITY), str(ogg)])


def encode_mp3_with_lameenc(wav: Path, mp3: Path) -> None:
    """The fallback MP3 encoder (16-bit PCM WAV in). Runs in a child process: LAME is CPU-bound
    and would otherwise hold eventlet's hub for seconds."""
    import lameenc  # only needed where sox cannot write MP3

    with wave.open(str(wav), "rb") as source:
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(MP3_KBPS)
        encoder.set_in_sample_rate(source.getframerate())
        encoder.set_channels(source.getnchannels())
        encoder.set_quality(2)  # 2 = high quality, 7 = fastest
        pcm = source.readframes(source.getnframes())
    mp3.write_bytes(encoder.encode(pcm) + encoder.flush())


if __name__ == "__main__" and sys.argv[1:2] == ["--lame"]:
    encode_mp3_with_lameenc(Path(sys.argv[2]), Path(sys.argv[3]))
