// The web phone's script, first part: the signalling socket, log-in with a
// password or the session's token, reconnection, presence and the status line.

extension PhonePage {
    /// The page's JavaScript: the socket, the calls, the audio and the views.
    public static let script = scriptSocket + scriptCalls + scriptAudio + scriptViews

    /// The socket, log-in, reconnection and presence.
    ///
    /// One WebSocket per tab at `<path>/ws` beside the script, subprotocol `wagate.agent.v1`, one JSON object per
    /// text frame. Every request carries an `id` and is answered once with `ok`
    /// or `error` naming it in `re`; events carry no `re`. The token `welcome`
    /// hands out is kept in `sessionStorage` (gone with the tab), so a reload or
    /// a dropped socket logs in again with it; the server keeps the calls for
    /// its reconnect grace, and the page retries after 0.5, 1, 2 and 4 s.
    static let scriptSocket = #"""
    "use strict";
    const P = {calls: new Map(), events: [], presence: "available", socket: null, nextID: 1, pending: new Map(),
      user: "", token: "", retries: 0, loggedIn: false, closing: false};
    const tokenKey = "wagate.phone.token";
    // The page's path (`[webphone] path`): the script is served at <path>/app.js.
    P.base = new URL(document.currentScript.src).pathname.replace(/\/app\.js$/, "");
    const $ = (id) => document.getElementById(id);
    P.$ = $;
    P.el = function (tag, text, cls) {
      const node = document.createElement(tag);
      if (text !== undefined && text !== null) { node.textContent = String(text); }
      if (cls) { node.className = cls; }
      return node;
    };
    P.status = function (state, text) { $("status").setAttribute("data-state", state); $("status").textContent = text; };

    P.send = function (type, fields) {
      const id = String(P.nextID++);
      const message = Object.assign({type: type, id: id}, fields || {});
      return new Promise((resolve, reject) => {
        if (!P.socket || P.socket.readyState !== WebSocket.OPEN) {
          reject({code: "offline", message: "not connected to wagate"});
          return;
        }
        P.pending.set(id, {resolve: resolve, reject: reject});
        P.socket.send(JSON.stringify(message));
      });
    };

    P.errorText = function (error) {
      const code = error && error.code;
      if (code === "bad_credentials") { return "Wrong user name or password."; }
      if (code === "locked") {
        const wait = Math.max(1, Math.ceil(Number(error.retry_after) || 0));
        return "Too many attempts, try again in " + wait + " s.";
      }
      if (code === "tls_required") { return "Log-in needs HTTPS: open this page over https:// (or from this machine)."; }
      if (code === "webrtc_disabled") { return "This user may not use the web phone (webrtc is off)."; }
      if (code === "unavailable") { return "Calling from the web phone is not available on this gateway."; }
      if (code === "rate_limited") { return "Too many requests; slow down."; }
      if (code === "offline") { return "Not connected to wagate."; }
      return (error && (error.message || code)) || "Request failed.";
    };

    function connect(onOpen) {
      const scheme = location.protocol === "https:" ? "wss://" : "ws://";
      let socket;
      try { socket = new WebSocket(scheme + location.host + P.base + "/ws", "wagate.agent.v1"); } catch (error) {
        P.status("error", "Cannot open the connection to wagate: " + error.message);
        return;
      }
      P.socket = socket;
      socket.addEventListener("open", () => onOpen());
      socket.addEventListener("message", (event) => receive(event.data));
      socket.addEventListener("close", (event) => closed(socket, event));
    }

    function receive(text) {
      let message;
      try { message = JSON.parse(text); } catch (ignored) { return; }
      if (!message || typeof message !== "object") { return; }
      P.events.push(message);
      if (P.events.length > 50) { P.events.shift(); }
      // An answer goes to its request alone; only unsolicited errors reach the status line.
      if (message.re !== undefined && (message.type === "ok" || message.type === "error")) {
        const waiter = P.pending.get(String(message.re));
        P.pending.delete(String(message.re));
        if (waiter) { (message.type === "ok" ? waiter.resolve : waiter.reject)(message); }
        if (waiter || message.type === "ok") { return; }
      }
      const handler = P.on[message.type];
      if (handler) { handler(message); }
    }

    function closed(socket, event) {
      if (socket !== P.socket) { return; }
      P.socket = null;
      for (const waiter of P.pending.values()) { waiter.reject({code: "offline", message: "connection lost"}); }
      P.pending.clear();
      if (P.closing) { return; }
      if (P.loggedIn && P.token && P.retries < 4) {
        const delay = 500 * Math.pow(2, P.retries++);
        P.status("warn", "Connection to wagate lost; reconnecting…");
        setTimeout(() => logIn({token: P.token}), delay);
      } else if (P.loggedIn) {
        P.status("error", "Connection to wagate lost. Log in again.");
        P.showLogin("");
      } else if (event.code !== 1000) {
        P.showLogin("Cannot reach wagate (connection closed, code " + event.code + ").");
      }
    }

    function logIn(credentials) {
      P.closing = false;
      const fields = Object.assign({v: 1, presence: P.presence}, credentials);
      const go = () => P.send("login", fields).catch((error) => {
        if (credentials.token && error.code !== "locked") {
          sessionStorage.removeItem(tokenKey);
          P.token = "";
          P.showLogin(P.loggedIn ? "Your session has ended; log in again." : "");
        } else {
          P.showLogin(P.errorText(error));
        }
        P.loggedIn = false;
        if (P.socket) { P.closing = true; P.socket.close(1000); }
      });
      if (P.socket && P.socket.readyState === WebSocket.OPEN) { go(); } else { connect(go); }
    }
    P.logIn = logIn;

    P.showLogin = function (error) {
      $("app").hidden = true;
      $("login").hidden = false;
      for (const id of ["presence", "presence-state", "logout"]) { $(id).hidden = true; }
      $("who").textContent = "";
      $("login-error").textContent = error || "";
      if (error) { P.status("error", error); }
    };

    P.setPresence = function (status) {
      P.presence = status === "away" ? "away" : "available";
      $("presence-state").textContent = P.presence;
      $("presence-state").setAttribute("data-state", P.presence);
      $("presence").textContent = P.presence === "away" ? "Set available" : "Set away";
    };

    P.on = {
      welcome(message) {
        P.loggedIn = true;
        P.retries = 0;
        P.user = String(message.user || "");
        if (message.token) { P.token = String(message.token); sessionStorage.setItem(tokenKey, P.token); }
        $("login").hidden = true;
        $("app").hidden = false;
        for (const id of ["presence", "presence-state", "logout"]) { $(id).hidden = false; }
        $("who").textContent = (message.name ? message.name + " · " : "") + P.user;
        $("login-error").textContent = "";
        $("password").value = "";
        P.setPresence(message.presence);
        if (!P.calls.size) { $("number").focus(); }
        P.listDevices();
        P.status("ok", "Logged in as " + P.user + "; " + P.presence + ".");
        P.adopt(Array.isArray(message.calls) ? message.calls : []);
        P.refreshHistory();
      },
      presence(message) { P.setPresence(message.status); },
      bye(message) {
        P.closing = true;
        const why = {token_expired: "Your session expired.", replaced: "Logged in elsewhere.",
          account_disabled: "This account can no longer use the web phone.", shutdown: "wagate is shutting down."};
        if (message.reason !== "shutdown") { sessionStorage.removeItem(tokenKey); P.token = ""; }
        P.loggedIn = false;
        P.showLogin((why[message.reason] || "Logged out.") + " Log in again.");
      },
      pong() {},
      error(message) { P.status("error", P.errorText(message)); },
    };

    $("login").addEventListener("submit", (event) => {
      event.preventDefault();
      const user = $("user").value.trim();
      $("login-error").textContent = "";
      P.status("", "Logging in…");
      logIn({user: user, password: $("password").value});
    });
    $("logout").addEventListener("click", () => {
      P.closing = true;
      sessionStorage.removeItem(tokenKey);
      P.token = "";
      P.send("logout").catch(() => {});
      P.loggedIn = false;
      P.showLogin("");
      P.status("", "Logged out.");
    });
    $("presence").addEventListener("click", () => {
      const next = P.presence === "away" ? "available" : "away";
      P.send("presence", {status: next}).then(() => {
        P.setPresence(next);
        P.status("ok", next === "away" ? "Away: calls do not ring here." : "Available: calls ring here.");
      }, (error) => P.status("error", P.errorText(error)));
    });
    """#
}
