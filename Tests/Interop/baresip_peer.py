"""Drives baresip 1.0 (Debian's baresip-core) headless as a real softphone:
a sine source (ausine), G.711, and the sndfile filter that writes what it
decodes to a WAV file we can analyse."""
import glob
import subprocess
import wave
from pathlib import Path

import numpy as np

from conftest import free_port, free_range


def run_call(workdir: Path, account: str, dial: str, seconds=5, tone_hz=700, codec="PCMU", extra_config="",
             register=False, verbose=False, sip_port=None):
    """Registers (when `register`), dials `dial` (None: only receives) with `account`, plays a tone for `seconds`,
    and returns (baresip output, decoded received samples, sample rate). It listens on `sip_port`
    (default: a free port)."""
    workdir.mkdir(parents=True, exist_ok=True)
    sip_port = sip_port or free_port()
    rtp = free_range(20)  # baresip uses the whole range: all of it reserved
    (workdir / "config").write_text(f"""poll_method epoll
sip_listen 127.0.0.1:{sip_port}
audio_player aubridge,sink
audio_source ausine,{tone_hz}
audio_alert aubridge,sink
ausrc_srate 48000
ausrc_channels 2
auplay_srate 48000
auplay_channels 2
rtp_ports {rtp}-{rtp + 20}
module_path /usr/lib/baresip/modules
module g711.so
module ausine.so
module aubridge.so
module sndfile.so
module_app account.so
module_app menu.so
snd_path {workdir}
{extra_config}
""")
    regint = 60 if register else 0
    (workdir / "accounts").write_text(f"{account};regint={regint};audio_codecs={codec}\n")
    command = ["baresip", "-f", str(workdir), "-t", str(seconds)] + (["-e", f"/dial {dial}"] if dial else [])
    if verbose:
        command.append("-v")
    result = subprocess.run(command,
                            capture_output=True, text=True, timeout=seconds + 20, stdin=subprocess.DEVNULL)
    out = result.stdout + result.stderr
    files = glob.glob(str(workdir / "dump-*-dec.wav"))
    if not files:
        return out, np.zeros(0), 8000
    with wave.open(files[0]) as w:
        samples = np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16).astype(float)
        if w.getnchannels() == 2:
            samples = samples[::2]
        return out, samples, w.getframerate()


def dominant_frequency(samples, rate, threshold=300.0):
    """The strongest frequency in the first second of non-silent audio, and its RMS."""
    loud = np.flatnonzero(np.abs(samples) > threshold)
    if loud.size == 0:
        return None, 0.0
    segment = samples[loud[0]:loud[0] + rate]
    spectrum = np.abs(np.fft.rfft(segment * np.hanning(len(segment))))
    freqs = np.fft.rfftfreq(len(segment), 1 / rate)
    return float(freqs[spectrum.argmax()]), float(np.sqrt((segment ** 2).mean()))


def tail_frequency(samples, rate, seconds=2.0):
    """The strongest frequency in the last `seconds` of audio that is not silence, or None."""
    loud = np.flatnonzero(np.abs(samples) > 300)
    if loud.size == 0:
        return None
    end = loud[-1]
    segment = samples[max(0, end - int(rate * seconds)):end]
    spectrum = np.abs(np.fft.rfft(segment * np.hanning(len(segment))))
    return float(np.fft.rfftfreq(len(segment), 1 / rate)[spectrum.argmax()])
