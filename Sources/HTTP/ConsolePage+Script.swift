// The console's script, first half: log-in, the API client, polling and the
// tables. A constant; data from the API is only ever written with
// `textContent`, never parsed as HTML.

extension ConsolePage {
    /// The console's JavaScript: ``scriptCore`` followed by ``scriptViews``.
    public static let script = scriptCore + scriptViews

    /// Log-in, the API client, polling and the tables.
    ///
    /// Live calls and registrations are polled every two seconds (every ten
    /// while the tab is hidden); CDRs and the chart every thirty, and at once
    /// when a live call ends or a filter is applied. Polling rather than SSE or a
    /// WebSocket: `EventSource` cannot send an `Authorization` header, and a
    /// socket would need the token in its URL or a handshake of its own, while a
    /// poll of a small JSON document on the admin listener costs nothing. The
    /// token lives in `sessionStorage` (gone with the tab) and travels only as a
    /// bearer header; a 401 or 429 drops it and shows the log-in form again.
    static let scriptCore = #"""
    "use strict";
    const W = window.wagateConsole = {};
    W.api = "/api/v1";
    const tokenKey = "wagate.console.token";
    let token = "", liveTimer = null, slowTimer = null, lastLive = new Set(), slowError = "";
    const $ = (id) => document.getElementById(id);
    W.$ = $;
    W.el = function (tag, text, cls) {
      const node = document.createElement(tag);
      if (text !== undefined && text !== null) { node.textContent = String(text); }
      if (cls) { node.className = cls; }
      return node;
    };
    W.pick = function (object, names) {
      for (const name of names) {
        const parts = name.split(".");
        let value = object;
        for (const part of parts) { value = (value && typeof value === "object") ? value[part] : undefined; }
        if (value !== undefined && value !== null && value !== "") { return value; }
      }
      return undefined;
    };
    W.when = function (value) {
      if (value === undefined) { return ""; }
      const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
      return isNaN(date) ? String(value) : date.toLocaleString();
    };
    W.number = (value, digits) => (typeof value === "number" && isFinite(value)) ? value.toFixed(digits) : "";

    class AuthError extends Error {}
    W.request = async function (method, path) {
      const response = await fetch(W.api + path, {method: method, cache: "no-store", credentials: "omit",
        headers: {"Authorization": "Bearer " + token, "Accept": "application/json"}});
      const text = await response.text();
      let body = {};
      try { body = text ? JSON.parse(text) : {}; } catch (ignored) { body = {error: text.slice(0, 200)}; }
      if (response.status === 401 || response.status === 429) {
        throw new AuthError("HTTP " + response.status + ": " + (body.error || response.statusText));
      }
      if (!response.ok) { throw new Error("HTTP " + response.status + ": " + (body.error || response.statusText)); }
      return body;
    };

    W.status = function (state, text) { $("status").setAttribute("data-state", state); $("status").textContent = text; };

    // A table from column definitions: [label, function(row) -> text or Node].
    W.table = function (id, columns, rows, onRow) {
      const table = $(id);
      table.replaceChildren();
      const head = table.createTHead().insertRow();
      for (const [label] of columns) { head.appendChild(W.el("th", label)); }
      const body = table.createTBody();
      for (const row of rows) {
        const tr = body.insertRow();
        for (const [label, value] of columns) {
          const cell = tr.insertCell();
          cell.setAttribute("data-label", label);
          const content = value(row);
          if (content instanceof Node) { cell.appendChild(content); } else { cell.textContent = content ?? ""; }
        }
        if (onRow) { tr.addEventListener("click", (event) => { if (event.target.tagName !== "BUTTON") { onRow(row); } }); }
      }
      return rows.length;
    };

    W.callID = (call) => String(W.pick(call, ["call_id", "id", "callID"]) ?? "");
    W.list = (body, names) => { const value = W.pick(body, names); return Array.isArray(value) ? value : []; };

    async function refreshLive() {
      const body = await W.request("GET", "/calls");
      const calls = W.list(body, ["calls", "items"]);
      $("live-count").textContent = String(calls.length);
      $("calls-empty").hidden = calls.length > 0;
      W.renderCalls(calls);
      const now = new Set(calls.map(W.callID));
      const ended = [...lastLive].some((id) => !now.has(id));
      lastLive = now;
      const regs = await W.request("GET", "/registrations");
      $("reg-count").textContent = String(W.renderRegistrations(W.list(regs, ["registrations", "items"])));
      W.status(slowError ? "error" : "ok", "Updated " + new Date().toLocaleTimeString() +
        (slowError ? " · " + slowError : ""));
      if (ended) { W.guard(refreshSlow); }
    }
    // A failed CDR or chart fetch stays on the status line until one succeeds.
    async function refreshSlow() {
      const results = await Promise.allSettled([W.refreshCDRs(), W.refreshChart()]);
      const failed = results.find((result) => result.status === "rejected");
      if (failed && failed.reason instanceof AuthError) { throw failed.reason; }
      slowError = failed ? "recent calls: " + failed.reason.message : "";
    }
    W.guard = async function (action) {
      try { await action(); } catch (error) {
        if (error instanceof AuthError) { logout(error.message); } else { W.status("error", error.message); }
      }
    };
    function schedule() {
      clearTimeout(liveTimer);
      liveTimer = setTimeout(async () => { await W.guard(refreshLive); if (token) { schedule(); } },
                             document.hidden ? 10000 : 2000);
    }
    function start() {
      $("login").hidden = true; $("app").hidden = false; $("logout").hidden = false;
      W.guard(refreshSlow);
      clearInterval(slowTimer);
      slowTimer = setInterval(() => W.guard(refreshSlow), 30000);
      schedule();
    }
    function logout(message) {
      token = "";
      try { sessionStorage.removeItem(tokenKey); } catch (ignored) {}
      clearTimeout(liveTimer); clearInterval(slowTimer);
      $("app").hidden = true; $("logout").hidden = true; $("login").hidden = false;
      $("login-error").textContent = message || "";
      $("login-error").setAttribute("data-state", message ? "error" : "");
      $("login-button").disabled = false;
    }
    async function login(candidate) {
      token = candidate;
      $("login-button").disabled = true;
      $("login-error").setAttribute("data-state", "checking");
      $("login-error").textContent = "Checking…";
      try { await refreshLive(); } catch (error) {
        logout((error instanceof AuthError ? "Log-in refused: " : "Cannot reach the admin API: ") + error.message);
        return;
      }
      try { sessionStorage.setItem(tokenKey, token); } catch (ignored) {}
      $("login-error").textContent = ""; $("login-error").setAttribute("data-state", "ok");
      start();
    }
    $("login").addEventListener("submit", (event) => {
      event.preventDefault();
      const value = $("token").value.trim();
      if (value) { login(value); } else { logout("Enter the admin token."); }
    });
    $("logout").addEventListener("click", () => logout(""));
    document.addEventListener("visibilitychange", () => { if (token) { schedule(); } });
    let saved = null;
    try { saved = sessionStorage.getItem(tokenKey); } catch (ignored) {}
    if (saved) { login(saved); }

    """#
}
