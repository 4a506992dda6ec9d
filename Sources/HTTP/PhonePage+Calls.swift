// The web phone's script, second part: calls. wagate is ICE-lite and its SDP
// is complete, so nothing trickles: each side's SDP goes as soon as
// `setLocalDescription` resolves.

extension PhonePage {
    /// Incoming and outgoing calls, their PeerConnections and the call events.
    ///
    /// Inbound: `incoming` carries wagate's offer, which is applied at once;
    /// the page says `ringing`, and Answer creates the answer and sends
    /// `answer {sdp}`. Outbound: `dial` carries the browser's offer; wagate's
    /// answer arrives in `progress` or `answered`. Two calls at most: the
    /// current one and a consultation call for an attended transfer.
    static let scriptCalls = #"""
    P.current = null;
    P.consult = null;

    P.peer = function (call) {
      const pc = new RTCPeerConnection({iceServers: [], iceTransportPolicy: "all", bundlePolicy: "max-bundle",
        rtcpMuxPolicy: "require"});
      pc.addEventListener("track", (event) => P.playRemote(event.streams[0] || new MediaStream([event.track])));
      pc.addEventListener("connectionstatechange", () => {
        if (pc.connectionState === "failed" && P.calls.get(call.id) === call) {
          P.status("error", "The audio connection failed (no ICE/DTLS path to wagate). Check the network, then call again.");
          P.hangup(call);
        }
      });
      return pc;
    };

    P.track = async function () {
      const stream = await P.microphone();
      return stream ? stream.getAudioTracks()[0] : null;
    };

    P.on.incoming = async function (message) {
      const call = {id: String(message.call), direction: "in", state: "ringing", from: message.from || {},
        cta: message.cta || null, sdp: String(message.sdp || ""), replaces: message.replaces || null,
        to: message.to || {}, kind: String(message.direction || "whatsapp"), referredBy: message.referred_by || ""};
      P.calls.set(call.id, call);
      call.pc = P.peer(call);
      try {
        await call.pc.setRemoteDescription({type: "offer", sdp: call.sdp});
      } catch (error) {
        P.status("error", "The call's audio offer was refused by the browser: " + error.message);
        P.send("reject", {call: call.id, reason: "decline"}).catch(() => {});
        P.drop(call);
        return;
      }
      if (P.calls.get(call.id) !== call) { return; }  // cancelled while the offer was applied
      P.send("ringing", {call: call.id}).catch(() => {});
      P.showIncoming(call);
      if (message.auto_answer || message.replaces) { P.answer(call); }
    };

    P.answer = async function (call) {
      if (!call || call.state !== "ringing") { return; }
      call.state = "answering";
      P.resumeAudio();
      try {
        const track = await P.track();
        if (!track) { throw {code: "microphone", message: "no microphone"}; }
        call.pc.addTrack(track, new MediaStream([track]));
        await call.pc.setLocalDescription(await call.pc.createAnswer());
        await P.send("answer", {call: call.id, sdp: call.pc.localDescription.sdp});
        if (P.calls.get(call.id) === call) { P.startCall(call); }
      } catch (error) {
        if (error && error.code !== "microphone") { P.status("error", P.errorText(error)); }
        P.send("reject", {call: call.id, reason: "decline"}).catch(() => {});
        P.drop(call);
      }
    };

    P.dial = async function (to, consultation) {
      to = String(to || "").trim();
      if (!to) { P.status("error", "Type a number to call."); return; }
      P.resumeAudio();
      const track = await P.track();
      if (!track) { return null; }
      const call = {id: "", direction: "out", state: "dialling", to: to, from: {number: to}, consultation: !!consultation};
      call.pc = P.peer(call);
      call.pc.addTrack(track, new MediaStream([track]));
      try {
        await call.pc.setLocalDescription(await call.pc.createOffer());
        P.showPermission(null);
        P.status("", "Calling " + to + "…");
        const ok = await P.send("dial", {to: to, sdp: call.pc.localDescription.sdp});
        call.id = String(ok.call);
        P.calls.set(call.id, call);
        if (consultation) { P.consult = call; } else { P.current = call; }
        P.showCall();
        return call;
      } catch (error) {
        call.pc.close();
        P.status("error", "Call to " + to + " failed: " + P.errorText(error));
        return null;
      }
    };

    P.applyAnswer = async function (call, sdp) {
      if (!call || !sdp || call.answered || call.direction !== "out") { return; }
      call.answered = true;
      try { await call.pc.setRemoteDescription({type: "answer", sdp: String(sdp)}); } catch (error) {
        P.status("error", "wagate's audio answer was refused by the browser: " + error.message);
        P.hangup(call);
      }
    };

    P.on.progress = function (message) {
      const call = P.calls.get(String(message.call));
      if (!call) { return; }
      call.state = "ringing";
      P.applyAnswer(call, message.sdp);
      P.showCall();
    };
    P.on.answered = function (message) {
      const call = P.calls.get(String(message.call));
      if (!call) { return; }
      P.applyAnswer(call, message.sdp);
      if (call.direction === "out") { P.startCall(call); }
    };

    P.startCall = function (call) {
      call.state = "connected";
      call.startedAt = Date.now();
      if (!call.consultation) { P.current = call; }
      P.showIncoming(null);  // the answered call no longer rings: Answer/Reject go (another ringing call stays)
      P.showCall();
      P.status("ok", "Connected to " + P.peerText(call) + ".");
    };

    P.drop = function (call) {
      if (!call) { return; }
      if (call.pc) { call.pc.close(); }
      P.calls.delete(call.id);
      if (P.current === call) { P.current = P.consult; P.consult = null; }
      if (P.consult === call) { P.consult = null; }
      P.showIncoming(null);
      P.showCall();
    };

    // The PeerConnection closes only once wagate has the hang-up (or after 2 s): closing it
    // sends a DTLS close_notify, which can overtake the message on a slow signalling path and
    // make wagate end the call as a media failure instead of the agent's hang-up.
    P.hangup = function (call) {
      if (!call) { return; }
      const pc = call.pc;
      call.pc = null;
      P.drop(call);
      let closed = false;
      const close = () => { if (!closed && pc) { closed = true; pc.close(); } };
      if (call.id) {
        P.send("hangup", {call: call.id}).then(close, close);
        setTimeout(close, 2000);
      } else {
        close();
      }
      P.refreshHistory();
    };

    const endings = {normal: "Call ended.", no_permission: "No permission to call this WhatsApp user.",
      rejected: "The call was declined.", busy: "Busy.", no_answer: "No answer.", unreachable: "The number cannot be reached."};
    P.on.ended = function (message) {
      const call = P.calls.get(String(message.call));
      const text = endings[message.reason] || ("Call ended (" + (message.reason || "unknown") + ").");
      P.status(message.reason === "normal" ? "" : "warn", text + (message.by === "whatsapp" ? " The caller hung up." : ""));
      P.drop(call);
      P.refreshHistory();
    };
    P.on.cancelled = function (message) {
      const call = P.calls.get(String(message.call));
      const text = {answered_elsewhere: "Answered on another phone.", caller_hung_up: "The caller hung up.",
        no_answer: "Missed call (not answered in time).", transferred: "The call was transferred."};
      P.status("", text[message.reason] || "The call stopped ringing.");
      P.drop(call);
      P.refreshHistory();
    };
    P.on.held = function (message) { P.flag(message, "held"); };
    P.on.muted = function (message) { P.flag(message, "muted"); };
    P.flag = function (message, name) {
      const call = P.calls.get(String(message.call));
      if (call) { call[name] = !!message.on; P.showCall(); }
    };

    P.adopt = function (calls) {
      for (const [id, call] of P.calls) {
        if (!calls.some((kept) => String(kept.call) === id)) { P.drop(call); }
      }
      if (calls.length) { P.status("ok", "Reconnected; your call is still up."); }
    };
    """#
}
