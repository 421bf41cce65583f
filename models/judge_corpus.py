"""The voice judges' training and evaluation audio, made offline and reproducibly.

Voices: espeak-ng speech (many voices, pitches, speeds, texts), the spoken clips of
Debian's alsa-utils (/usr/share/sounds/alsa), augmented with gain, room noise,
band-limiting resamples and MP3/Opus round trips (ffmpeg). Negatives: digital silence,
near-silence, white/pink/brown noise, pure tones, chirps, clicks, DC, synthesised here
with seeded numpy generators. Every clip is written as a 22,050 Hz 16-bit WAV under
models/.judge-audio/ (git-ignored) with corpus.json describing it (class, source, split).

Needs the Debian packages espeak-ng, ffmpeg (the codec round trips) and alsa-utils (the
recordings; without them the corpus has no alsa clips). Train/held-out: some espeak
voices and variants, some texts and some alsa clips are only ever in the held-out split.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CORPUS_DIR = HERE / ".judge-audio"
ALSA_DIR = Path("/usr/share/sounds/alsa")
SR = 22050
SECONDS = 4.0

TRAIN_VOICES = ["en-us", "en-gb", "en-gb-scotland", "en-us-nyc", "de", "fr-fr", "es", "nl", "pl", "ru",
                "sv", "hi", "ja", "cmn"]
HELDOUT_VOICES = ["en-029", "en-gb-x-rp", "it", "pt-br", "tr", "fi"]
TRAIN_VARIANTS = ["", "+f1", "+f2", "+f4", "+m1", "+m3", "+m5", "+m7", "+Annie", "+Alex", "+grandma", "+klatt",
                  "+croak", "+whisper"]
HELDOUT_VARIANTS = ["", "+f3", "+f5", "+m2", "+m6", "+Andy", "+klatt3", "+linda"]
TRAIN_TEXTS = [
    "The quick brown fox jumps over the lazy dog near the river bank.",
    "I would like to sing a song for you tonight, if you have the time.",
    "Please call me back when you get this message, it is rather important.",
    "One, two, three, four, five, six, seven, eight, nine, ten.",
    "Good morning everybody, welcome to the show, we have a great program today.",
    "She sells sea shells by the sea shore, and the shells she sells are surely seashells.",
    "Laa laa laa, laaa, la la la la laaa.",
    "Do re mi fa so la ti do, do ti la so fa mi re do.",
    "The weather is lovely today, let us go for a walk in the park.",
    "Happy birthday to you, happy birthday dear friend, happy birthday to you.",
]
HELDOUT_TEXTS = [
    "How much wood would a woodchuck chuck if a woodchuck could chuck wood?",
    "Ooh, aah, ooh, aah, mmm, la la laa, hey hey hey.",
    "My voice is my passport, verify me, and then pay me the reward please.",
    "Twinkle twinkle little star, how I wonder what you are.",
]
ALSA_TRAIN = ["Front_Center", "Front_Left", "Front_Right", "Rear_Center"]
ALSA_HELDOUT = ["Rear_Left", "Rear_Right", "Side_Left", "Side_Right"]

NEGATIVE_CLASSES = ["silence", "near-silence", "white", "pink", "brown", "tone", "chirp", "clicks", "dc"]


def _pcm16(y: np.ndarray) -> np.ndarray:
    return np.round(np.clip(y, -1, 32767 / 32768) * 32768).astype(np.int16)


def _write_wav(path: Path, y: np.ndarray, sr: int = SR) -> None:
    import soundfile as sf
    sf.write(str(path), _pcm16(y), sr, subtype="PCM_16", format="WAV")


def _read(path: Path) -> tuple[np.ndarray, int]:
    import soundfile as sf
    y, sr = sf.read(str(path), dtype="float64", always_2d=True)
    return y.mean(axis=1), sr


def _resample(y: np.ndarray, src: int, dst: int) -> np.ndarray:
    import soxr
    return y if src == dst else soxr.resample(y, src, dst, quality="HQ")


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _fit(y: np.ndarray, seconds: float = SECONDS) -> np.ndarray:
    n = int(seconds * SR)
    return y[:n] if len(y) >= n else np.pad(y, (0, n - len(y)))


# --- negatives -------------------------------------------------------------------------

def _coloured(rng: np.random.Generator, n: int, exponent: float) -> np.ndarray:
    """Gaussian noise whose power falls as 1/f^exponent (0 white, 1 pink, 2 brown)."""
    spectrum = np.fft.rfft(rng.normal(0, 1, n))
    f = np.fft.rfftfreq(n, 1 / SR)
    f[0] = f[1]
    y = np.fft.irfft(spectrum / f ** (exponent / 2), n)
    return y / np.abs(y).max()


def negative(cls: str, rng: np.random.Generator) -> np.ndarray:
    n = int(SECONDS * SR)
    t = np.arange(n) / SR
    level = 10 ** (rng.uniform(-40, -1) / 20)
    if cls == "silence":
        return np.zeros(int(rng.uniform(1.5, SECONDS) * SR))
    if cls == "near-silence":
        kind = rng.integers(3)
        if kind == 0:  # one or two LSBs of dither
            return rng.integers(-2, 3, n) / 32768
        return _coloured(rng, n, float(kind - 1)) * 10 ** (rng.uniform(-80, -60) / 20)
    if cls in ("white", "pink", "brown"):
        y = _coloured(rng, n, {"white": 0.0, "pink": 1.0, "brown": 2.0}[cls])
        if rng.random() < 0.3:  # a slow level change (fan, wind) is still noise
            y *= 1 + 0.5 * np.sin(2 * np.pi * rng.uniform(0.1, 1.0) * t)
        return y * level
    if cls == "tone":
        f = np.exp(rng.uniform(np.log(40), np.log(8000)))
        y = np.sin(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
        if rng.random() < 0.3:  # plus faint hiss
            y += _coloured(rng, n, 0.0) * 10 ** (rng.uniform(-60, -30) / 20)
        if rng.random() < 0.2:  # beeping on and off
            y *= (np.sin(2 * np.pi * rng.uniform(0.5, 4) * t) > 0)
        return y * level
    if cls == "chirp":
        f0, f1 = np.exp(rng.uniform(np.log(50), np.log(8000), 2))
        if rng.random() < 0.5:  # linear sweep over the clip
            phase = 2 * np.pi * (f0 * t + (f1 - f0) * t ** 2 / (2 * SECONDS))
        else:  # a siren: the frequency swings between f0 and f1
            rate = rng.uniform(0.3, 3)
            inst = np.sqrt(f0 * f1) * (f1 / f0) ** (0.5 * np.sin(2 * np.pi * rate * t))
            phase = 2 * np.pi * np.cumsum(inst) / SR
        return np.sin(phase) * level
    if cls == "clicks":
        y = np.zeros(n)
        rate = np.exp(rng.uniform(np.log(0.5), np.log(60)))
        starts = np.arange(rng.uniform(0, 1 / rate), SECONDS, 1 / rate)
        width = int(rng.integers(1, 40))
        for s in starts:
            i = int(s * SR)
            y[i:i + width] = rng.choice([-1, 1]) * rng.uniform(0.3, 1)
        return y * level
    if cls == "dc":
        y = np.full(n, rng.uniform(-0.9, 0.9))
        if rng.random() < 0.5:
            y += rng.integers(-1, 2, n) / 32768
        return y
    raise ValueError(cls)


# --- voices --------------------------------------------------------------------------

def _espeak(voice: str, text: str, pitch: int, speed: int, out: Path) -> np.ndarray:
    _run(["espeak-ng", "-v", voice, "-p", str(pitch), "-s", str(speed), "-w", str(out), text])
    y, sr = _read(out)
    return _resample(y, sr, SR)


def _codec(y: np.ndarray, kind: str, bitrate: int, tmp: Path) -> np.ndarray:
    src, enc, dec = tmp / "src.wav", tmp / f"enc.{kind}", tmp / "dec.wav"
    _write_wav(src, y)
    codec = {"mp3": ["-c:a", "libmp3lame", "-ar", "44100"], "opus": ["-c:a", "libopus", "-ar", "48000"]}[kind]
    _run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(src), *codec, "-b:a", f"{bitrate}k", "-map_metadata", "-1",
          "-fflags", "+bitexact", "-threads", "1", str(enc)])
    _run(["ffmpeg", "-loglevel", "error", "-y", "-i", str(enc), "-ar", str(SR), "-ac", "1", "-fflags", "+bitexact",
          "-threads", "1", str(dec)])
    return _read(dec)[0]


def augment(y: np.ndarray, rng: np.random.Generator, tmp: Path) -> tuple[np.ndarray, str]:
    """One of: as is, gain (with clipping), room noise, a band-limiting resample, MP3 or Opus."""
    kind = ["none", "gain", "noise", "resample", "mp3", "opus"][int(rng.integers(6))]
    peak = np.abs(y).max() or 1.0
    y = y / peak * 10 ** (rng.uniform(-30, -1) / 20)
    if kind == "gain":
        db = rng.uniform(3, 20)
        return np.clip(y * 10 ** (db / 20), -1, 1), f"gain +{db:.0f} dB"
    if kind == "noise":
        snr = rng.uniform(5, 30)
        noise = _coloured(rng, len(y), float(rng.choice([0.0, 1.0, 2.0])))
        rms = lambda v: np.sqrt(np.mean(v ** 2)) + 1e-12  # noqa: E731
        return y + noise * rms(y) / rms(noise) * 10 ** (-snr / 20), f"room noise {snr:.0f} dB SNR"
    if kind == "resample":
        rate = int(rng.choice([8000, 11025, 16000]))
        return _resample(_resample(y, SR, rate), rate, SR), f"resampled via {rate} Hz"
    if kind in ("mp3", "opus"):
        bitrate = int(rng.choice([32, 64, 128] if kind == "mp3" else [16, 24, 48]))
        return _codec(y, kind, bitrate, tmp), f"{kind} {bitrate} kb/s"
    return y, "as is"


def _voice_jobs() -> list[dict]:
    rng = np.random.default_rng(20)
    jobs = []
    for split, voices, variants, texts, count in (
        ("train", TRAIN_VOICES, TRAIN_VARIANTS, TRAIN_TEXTS, 220),
        ("heldout", HELDOUT_VOICES, HELDOUT_VARIANTS, HELDOUT_TEXTS, 70),
    ):
        for i in range(count):
            jobs.append({
                "split": split,
                "voice": voices[i % len(voices)] + variants[int(rng.integers(len(variants)))],
                "text": texts[int(rng.integers(len(texts)))],
                "pitch": int(rng.integers(10, 95)),
                "speed": int(rng.integers(90, 230)),
                "seed": int(rng.integers(1 << 31)),
            })
    return jobs


def _entry(name: str, cls: str, kind: str, source: str, split: str, note: str) -> dict:
    return {"file": name, "class": cls, "kind": kind, "source": source, "split": split, "note": note}


def build_corpus() -> list[dict]:
    """Writes (or reuses) every clip and returns corpus.json's entries, in a fixed order."""
    for tool in ("espeak-ng", "ffmpeg"):
        if shutil.which(tool) is None:
            raise SystemExit(f"build_models.py: {tool} not found; apt-get install -y espeak-ng ffmpeg alsa-utils")
    CORPUS_DIR.mkdir(exist_ok=True)
    entries: list[dict] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)

        def clip(recipe: dict, make) -> str:
            digest = hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()[:12]
            name = f"{recipe['class']}-{digest}.wav"
            path = CORPUS_DIR / name
            if not path.exists():
                y, note = make()
                _write_wav(path, y)
                (CORPUS_DIR / (name + ".note")).write_text(note)
            return name

        for job in _voice_jobs():
            def speak(job=job):
                rng = np.random.default_rng(job["seed"])
                y = _espeak(job["voice"], job["text"], job["pitch"], job["speed"], tmp / "espeak.wav")
                y, how = augment(y, rng, tmp)
                return _fit(y), how
            name = clip({"class": "speech", **job}, speak)
            note = (CORPUS_DIR / (name + ".note")).read_text()
            entries.append(_entry(name, "speech", "voice", "espeak-ng", job["split"],
                                  f"{job['voice']} p{job['pitch']} s{job['speed']}, {note}"))

        if ALSA_DIR.is_dir():
            rng = np.random.default_rng(21)
            for split, names, copies in (("train", ALSA_TRAIN, 24), ("heldout", ALSA_HELDOUT, 6)):
                for stem in names:
                    for copy in range(copies):
                        seed = int(rng.integers(1 << 31))
                        lead = 0.0 if copy == 0 else float(rng.uniform(0, 0.45))

                        def alsa(stem=stem, seed=seed, lead=lead, copy=copy):
                            r = np.random.default_rng(seed)
                            y, sr = _read(ALSA_DIR / f"{stem}.wav")
                            y = np.concatenate([np.zeros(int(lead * SR)), _resample(y, sr, SR)])
                            if copy == 0:
                                return y, "as recorded"
                            return augment(y, r, tmp)
                        name = clip({"class": "alsa-voice", "stem": stem, "seed": seed, "lead": lead, "copy": copy}, alsa)
                        note = (CORPUS_DIR / (name + ".note")).read_text()
                        entries.append(_entry(name, "alsa-voice", "voice", "alsa-utils", split,
                                              f"{stem}, {lead:.2f} s lead, {note}"))
            name = clip({"class": "alsa-noise"}, lambda: (_resample(*_read(ALSA_DIR / "Noise.wav"), SR), "Noise.wav"))
            entries.append(_entry(name, "alsa-noise", "negative", "alsa-utils", "heldout", "Noise.wav"))

        rng = np.random.default_rng(22)
        for split, per_class in (("train", 50), ("heldout", 10)):
            for cls in NEGATIVE_CLASSES:
                for _ in range(per_class):
                    seed = int(rng.integers(1 << 31))
                    # Half of them short, as a short recording is: the judge must not learn
                    # that sound followed by padding is a voice.
                    seconds = SECONDS if rng.random() < 0.5 else round(float(rng.uniform(0.9, SECONDS)), 2)
                    name = clip({"class": cls, "seed": seed, "seconds": seconds},
                                lambda cls=cls, seed=seed, seconds=seconds:
                                (negative(cls, np.random.default_rng(seed))[:int(seconds * SR)], "synthetic"))
                    entries.append(_entry(name, cls, "negative", "synthetic", split, f"seed {seed}, {seconds} s"))
    (CORPUS_DIR / "corpus.json").write_text(json.dumps(entries, indent=1) + "\n")
    return entries


# --- features: seed 000's librosa pipeline, as tasks/lib/audio computes it --------------

def spec_for(bands: int, frames: int) -> dict:
    """As tasks/lib/audio/feature-spec.ts featureSpecFor."""
    hop = int(3 * SR) // (frames - 1)
    n_fft = 2048
    while n_fft < hop:
        n_fft *= 2
    return {"n_fft": n_fft, "hop_length": hop, "n_mels": bands, "frames": frames}


def judge_features(path: Path, bands: int, frames: int) -> np.ndarray:
    """The judge's input (bands x frames in [0, 1]) for a 22,050 Hz file: no resampling involved."""
    import librosa
    s = spec_for(bands, frames)
    y, _ = librosa.load(str(path), sr=SR, offset=0.5, duration=3)
    mel = librosa.feature.melspectrogram(y=y, sr=SR, n_fft=s["n_fft"], hop_length=s["hop_length"], n_mels=bands)
    db = librosa.power_to_db(mel, ref=np.max)
    val = np.clip((db.astype(np.float64) + 80) / 80, 0, 1)
    if val.shape[1] < frames:
        val = np.pad(val, ((0, 0), (0, frames - val.shape[1])))
    return val[:, :frames]
