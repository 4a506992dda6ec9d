// The web phone's script, last part: what the agent sees and presses — the
// incoming panel, the call panel and its controls, the pad, the permission
// notice, recent calls, the keyboard, the test hooks and the start-up.

extension PhonePage {
    /// Panels, controls, keyboard, permission, history, hooks and start-up.
    ///
    /// Digits typed anywhere but in a text field go to the pad: during a call
    /// they are sent as DTMF (`dtmf`, RFC 4733 toward the WhatsApp user), and
    /// otherwise appended to the number. Enter in the number field dials.
    static let scriptViews = #"""
    P.peerText = function (call) {
      const from = call.from || {};
      return String(from.number || from.bsuid || from.username || (typeof call.to === "string" ? call.to : "") || "unknown");
    };

    P.showIncoming = function (call) {
      const ringing = call || [...P.calls.values()].find((c) => c.direction === "in" && c.state === "ringing");
      $("incoming").hidden = !ringing;
      P.ringing = ringing || null;
      if (!ringing) { return; }
      const from = ringing.from;
      $("in-from").textContent = P.peerText(ringing);
      $("in-name").textContent = from.name ? "(" + from.name + ")" : "";
      const extra = [];
      if (from.number && from.bsuid) { extra.push("BSUID " + from.bsuid); }
      if (from.username) { extra.push("@" + from.username); }
      if (ringing.to && ringing.to.number) { extra.push("to " + ringing.to.number + (ringing.to.name ? " (" + ringing.to.name + ")" : "")); }
      if (ringing.kind === "callback") { extra.push("callback after a permission grant"); }
      if (ringing.kind === "internal") { extra.push("internal call"); }
      if (ringing.referredBy) { extra.push("transferred by " + ringing.referredBy); }
      $("in-detail").textContent = extra.join(" · ");
      const cta = ringing.cta && (ringing.cta.payload || ringing.cta.deeplink);
      $("in-cta").hidden = !cta;
      $("in-cta").textContent = cta ? "From a call button: " + cta : "";
      P.status("warn", "Incoming call from " + P.peerText(ringing) + (from.name ? " (" + from.name + ")" : "") + ".");
      $("answer").focus();
    };

    P.showCall = function () {
      const call = P.current;
      $("call").hidden = !call;
      $("complete-transfer").hidden = !P.consult;
      $("consult").hidden = !!P.consult;
      if (!call) { return; }
      $("call-peer").textContent = P.peerText(call);
      $("call-name").textContent = call.from && call.from.name ? "(" + call.from.name + ")" : "";
      const states = {dialling: "Calling…", ringing: "Ringing…", answering: "Connecting…", connected: "Connected"};
      let text = states[call.state] || call.state;
      if (call.held) { text += " · on hold"; }
      if (call.muted) { text += " · muted"; }
      if (P.consult) { text += " · consulting " + P.peerText(P.consult) + " (" + (states[P.consult.state] || "") + ")"; }
      $("call-state").textContent = text;
      $("mute").setAttribute("aria-pressed", call.muted ? "true" : "false");
      $("mute").textContent = call.muted ? "Unmute" : "Mute";
      $("hold").setAttribute("aria-pressed", call.held ? "true" : "false");
      $("hold").textContent = call.held ? "Resume" : "Hold";
    };

    setInterval(() => {
      const call = P.current;
      if (!call || !call.startedAt) { $("call-timer").textContent = "0:00"; return; }
      const s = Math.floor((Date.now() - call.startedAt) / 1000);
      $("call-timer").textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
    }, 250);

    const control = (id, action) => $(id).addEventListener("click", () => { if (P.current) { action(P.current); } });
    const report = (error) => P.status("error", P.errorText(error));
    control("mute", (call) => {
      const on = !call.muted;
      call.pc.getSenders().forEach((s) => { if (s.track) { s.track.enabled = !on && !call.held; } });
      P.send("mute", {call: call.id, on: on}).then(() => { call.muted = on; P.showCall(); }, report);
    });
    control("hold", (call) => {
      const on = !call.held;
      call.pc.getSenders().forEach((s) => { if (s.track) { s.track.enabled = !on && !call.muted; } });
      $("remote").muted = on;
      P.send("hold", {call: call.id, on: on}).then(() => { call.held = on; P.showCall(); }, report);
    });
    control("hangup", (call) => { P.hangup(call); P.status("", "Call ended."); });
    control("transfer", (call) => {
      const to = $("transfer-to").value.trim();
      if (!to) { P.status("error", "Type where to transfer the call."); return; }
      P.send("transfer", {call: call.id, to: to}).then(() => P.status("", "Transferring to " + to + "…"), report);
    });
    control("consult", async (call) => {
      const to = $("transfer-to").value.trim();
      if (!to) { P.status("error", "Type whom to consult."); return; }
      if (!call.held) { $("hold").click(); }
      await P.dial(to, true);
      P.showCall();
    });
    control("complete-transfer", (call) => {
      if (!P.consult) { return; }
      P.send("transfer", {call: call.id, replaces: P.consult.id}).then(() => P.status("", "Transferring…"), report);
    });
    P.on.transfer = function (message) {
      const text = {trying: "Transferring…", ringing: "The transfer target is ringing.", completed: "Transferred.",
        failed: "The transfer failed; the caller is still with you.", returned: "Not answered; the call came back to you."};
      P.status(message.state === "failed" || message.state === "returned" ? "warn" : "ok",
        (text[message.state] || "Transfer: " + message.state) + (message.to ? " (" + message.to + ")" : ""));
    };

    $("answer").addEventListener("click", () => P.answer(P.ringing));
    $("reject").addEventListener("click", () => {
      const call = P.ringing;
      if (!call) { return; }
      P.send("reject", {call: call.id, reason: "decline"}).catch(() => {});
      P.drop(call);
      P.status("", "Call rejected.");
    });
    $("dial-form").addEventListener("submit", (event) => { event.preventDefault(); P.dial($("number").value); });

    P.press = function (key) {
      if (P.current && P.current.state === "connected") {
        P.send("dtmf", {call: P.current.id, digits: key}).catch(report);
        P.status("", "Sent " + key);
      } else {
        $("number").value += key;
      }
    };
    for (const key of ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"]) {
      const button = P.el("button", key);
      button.type = "button";
      button.id = "pad-" + (key === "*" ? "star" : key === "#" ? "hash" : key);
      button.setAttribute("aria-label", key === "*" ? "star" : key === "#" ? "hash" : key);
      button.addEventListener("click", () => P.press(key));
      $("pad").appendChild(button);
    }
    document.addEventListener("keydown", (event) => {
      const tag = event.target && event.target.tagName;
      if (event.ctrlKey || event.metaKey || event.altKey || tag === "INPUT" || tag === "SELECT") { return; }
      if (/^[0-9*#]$/.test(event.key) && !$("app").hidden) { event.preventDefault(); P.press(event.key); }
    });

    P.showPermission = function (message) {
      $("permission").hidden = !message;
      if (!message) { return; }
      const to = String(message.to || "");
      const texts = {missing: "No permission to call " + to + ".", requested: "Permission request sent to " + to + ".",
        granted: "Permission granted: you can call " + to + " now.", denied: to + " declined the permission request."};
      let text = texts[message.status] || ("Permission: " + message.status);
      if (message.status === "missing" && message.request_sent) { text += " A permission request was sent."; }
      $("permission-text").textContent = text;
      const button = $("permission-request");
      button.hidden = !(message.status === "missing" && message.can_request && !message.request_sent);
      button.dataset.to = to;
      if (message.status === "granted") { $("number").value = to; }
    };
    P.on.permission = function (message) {
      P.showPermission(message);
      P.status(message.status === "granted" ? "ok" : "warn", $("permission-text").textContent);
    };
    $("permission-request").addEventListener("click", () => {
      const to = $("permission-request").dataset.to;
      P.send("permission.request", {to: to}).then(() => {
        P.showPermission({to: to, status: "requested"});
      }, (error) => P.status("error", "The permission request was refused: " + (error.reason || P.errorText(error))));
    });

    P.refreshHistory = function () { if (P.loggedIn) { P.send("history", {limit: 10}).catch(() => {}); } };
    P.on.history = function (message) {
      const list = $("history"), calls = Array.isArray(message.calls) ? message.calls : [];
      list.replaceChildren();
      for (const c of calls) {
        const when = c.started_at ? new Date(c.started_at).toLocaleString() : "";
        const arrow = c.direction === "outbound" || c.direction === "out" ? "→ " : "← ";
        const item = P.el("li", arrow + (c.peer || "unknown") + (c.peer_name ? " (" + c.peer_name + ")" : ""));
        item.appendChild(P.el("span", " " + when + " · " + (c.outcome || "") + " · " + (c.duration_s || 0) + " s", "muted"));
        list.appendChild(item);
      }
      $("history-empty").hidden = calls.length > 0;
    };

    window.wagatePhone = Object.freeze({
      state: () => ({loggedIn: P.loggedIn, user: P.user, presence: P.presence,
        connected: !!P.socket && P.socket.readyState === WebSocket.OPEN,
        calls: [...P.calls.values()].map((c) => ({call: c.id, direction: c.direction, state: c.state,
          held: !!c.held, muted: !!c.muted, connection: c.pc ? c.pc.connectionState : null})),
        status: $("status").textContent}),
      dominantFrequency: () => P.dominantFrequency(),
      stats: () => P.stats(),
      lastEvent: () => P.events.length ? P.events[P.events.length - 1] : null,
    });

    P.token = sessionStorage.getItem(tokenKey) || "";
    if (P.token) { P.status("", "Reconnecting…"); P.logIn({token: P.token}); } else { $("user").focus(); }
    """#
}
