// The web phone's script, third part: the microphone, the speaker, the
// analyser that measures what the page hears, and the hooks tests read.

extension PhonePage {
    /// Microphone and speaker selection, the analyser and `window.wagatePhone`.
    ///
    /// The remote stream plays through the `<audio>` element (so `setSinkId`
    /// picks the speaker) and also feeds an `AnalyserNode` (FFT of 8192 points):
    /// `dominantFrequency()` is the strongest bin above 200 Hz, in Hz, or `null`
    /// under a noise floor. "Check microphone" sends the microphone through a
    /// local PeerConnection pair (Opus, as in a call) into the same analyser,
    /// so an agent hears nothing but sees the level, before any call.
    static let scriptAudio = #"""
    P.audio = {context: null, analyser: null, source: null, stream: null, loop: null};
    const micKey = "wagate.phone.mic", speakerKey = "wagate.phone.speaker";

    P.microphone = async function () {
      if (P.audio.stream && P.audio.stream.getAudioTracks().some((t) => t.readyState === "live")) { return P.audio.stream; }
      if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
        P.status("error", "This page cannot use a microphone here: open it over HTTPS (or on this machine).");
        return null;
      }
      const chosen = localStorage.getItem(micKey);
      try {
        P.audio.stream = await navigator.mediaDevices.getUserMedia({audio: chosen ? {deviceId: {ideal: chosen}} : true});
      } catch (error) {
        const text = error && error.name === "NotAllowedError"
          ? "The microphone is blocked. Allow it for this site in the browser's address bar, then try again."
          : error && error.name === "NotFoundError" ? "No microphone was found. Plug one in, then try again."
          : "The microphone cannot be opened: " + (error && error.message);
        P.status("error", text);
        return null;
      }
      P.listDevices();
      return P.audio.stream;
    };

    P.listDevices = async function () {
      if (!navigator.mediaDevices || !navigator.mediaDevices.enumerateDevices) { return; }
      const devices = await navigator.mediaDevices.enumerateDevices();
      const fill = (id, kind, key, fallback) => {
        const select = $(id), chosen = localStorage.getItem(key);
        select.replaceChildren();
        let n = 0;
        for (const device of devices.filter((d) => d.kind === kind)) {
          const option = P.el("option", device.label || (fallback + " " + (++n)));
          option.value = device.deviceId;
          option.selected = device.deviceId === chosen;
          select.appendChild(option);
        }
      };
      fill("mic", "audioinput", micKey, "Microphone");
      fill("speaker", "audiooutput", speakerKey, "Speaker");
      $("speaker").disabled = typeof $("remote").setSinkId !== "function";
    };

    $("mic").addEventListener("change", async () => {
      localStorage.setItem(micKey, $("mic").value);
      const old = P.audio.stream;
      P.audio.stream = null;
      const stream = await P.microphone();
      if (!stream) { return; }
      const track = stream.getAudioTracks()[0];
      for (const call of P.calls.values()) {
        for (const sender of call.pc ? call.pc.getSenders() : []) { if (sender.track) { sender.replaceTrack(track); } }
      }
      if (old) { old.getTracks().forEach((t) => t.stop()); }
      P.status("ok", "Microphone: " + (track.label || "changed") + ".");
    });
    $("speaker").addEventListener("change", async () => {
      localStorage.setItem(speakerKey, $("speaker").value);
      try { await $("remote").setSinkId($("speaker").value); P.status("ok", "Speaker changed."); } catch (error) {
        P.status("error", "The speaker cannot be used: " + error.message);
      }
    });

    P.resumeAudio = function () {
      if (!P.audio.context) {
        P.audio.context = new AudioContext();
        P.audio.analyser = P.audio.context.createAnalyser();
        P.audio.analyser.fftSize = 8192;
        P.audio.analyser.smoothingTimeConstant = 0.2;
      }
      if (P.audio.context.state === "suspended") { P.audio.context.resume(); }
    };

    P.playRemote = function (stream) {
      const element = $("remote");
      element.srcObject = stream;
      const speaker = localStorage.getItem(speakerKey);
      if (speaker && typeof element.setSinkId === "function") { element.setSinkId(speaker).catch(() => {}); }
      element.play().catch(() => {});
      P.analyse(stream);
    };

    P.analyse = function (stream) {
      P.resumeAudio();
      if (P.audio.source) { P.audio.source.disconnect(); }
      P.audio.source = P.audio.context.createMediaStreamSource(stream);
      P.audio.source.connect(P.audio.analyser);
    };

    P.dominantFrequency = function () {
      const analyser = P.audio.analyser;
      if (!analyser || !P.audio.source) { return null; }
      const bins = new Float32Array(analyser.frequencyBinCount);
      analyser.getFloatFrequencyData(bins);
      const width = P.audio.context.sampleRate / analyser.fftSize;
      let best = -1, level = -Infinity;
      for (let i = Math.ceil(200 / width); i < bins.length; i++) {
        if (bins[i] > level) { level = bins[i]; best = i; }
      }
      return best < 0 || level < -70 ? null : Math.round(best * width);
    };

    P.checkMicrophone = async function () {
      if (P.audio.loop) {
        P.audio.loop.forEach((pc) => pc.close());
        P.audio.loop = null;
        $("mic-check").setAttribute("aria-pressed", "false");
        $("level").textContent = "";
        return;
      }
      P.resumeAudio();
      const stream = await P.microphone();
      if (!stream) { return; }
      const a = new RTCPeerConnection(), b = new RTCPeerConnection();
      a.addEventListener("icecandidate", (e) => { if (e.candidate) { b.addIceCandidate(e.candidate); } });
      b.addEventListener("icecandidate", (e) => { if (e.candidate) { a.addIceCandidate(e.candidate); } });
      b.addEventListener("track", (event) => {
        const heard = event.streams[0] || new MediaStream([event.track]);
        const element = new Audio();
        element.muted = true;
        element.srcObject = heard;
        element.play().catch(() => {});
        P.analyse(heard);
      });
      stream.getAudioTracks().forEach((track) => a.addTrack(track, stream));
      await a.setLocalDescription(await a.createOffer());
      await b.setRemoteDescription(a.localDescription);
      await b.setLocalDescription(await b.createAnswer());
      await a.setRemoteDescription(b.localDescription);
      P.audio.loop = [a, b];
      $("mic-check").setAttribute("aria-pressed", "true");
      P.status("ok", "Checking the microphone: speak and watch the level.");
    };
    $("mic-check").addEventListener("click", () => P.checkMicrophone());
    setInterval(() => {
      if (!P.audio.loop) { return; }
      const f = P.dominantFrequency();
      $("level").textContent = f === null ? "Hearing nothing." : "Hearing sound (" + f + " Hz).";
    }, 500);

    P.stats = async function () {
      const result = {inbound: null, outbound: null, codecs: {}};
      const call = P.current || [...P.calls.values()][0] || null;
      const pc = call ? call.pc : (P.audio.loop ? P.audio.loop[1] : null);
      if (!pc) { return result; }
      const report = await pc.getStats();
      report.forEach((s) => { if (s.type === "codec") { result.codecs[s.id] = s.mimeType; } });
      report.forEach((s) => {
        if (s.type === "inbound-rtp" || s.type === "outbound-rtp") {
          const side = s.type === "inbound-rtp" ? "inbound" : "outbound";
          result[side] = {mimeType: result.codecs[s.codecId] || null,
            packets: s.type === "inbound-rtp" ? s.packetsReceived : s.packetsSent};
        }
      });
      return result;
    };
    """#
}
