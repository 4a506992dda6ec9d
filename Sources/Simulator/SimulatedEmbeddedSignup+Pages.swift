import HTTP

extension SimulatedEmbeddedSignup {
    /// The dialog page for `dialog`: it posts `messages` (JSON texts) to the page
    /// that opened it, at that page's origin only, as Meta's dialog posts its
    /// session-info messages. Every value is escaped for the script data block.
    static func dialogPage(_ dialog: EmbeddedSignupDialog, messages: [String]) -> String {
        let list = "[" + messages.map(HTMLEscaping.jsString).joined(separator: ",") + "]"
        return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Embedded Signup (simulated)</title></head>
        <body><p id="status">Simulated Embedded Signup: finishing…</p>
        <script type="application/json" id="dialog">{"target":\(HTMLEscaping.jsString(dialog.origin)),"messages":\(list)}</script>
        <script>
        (function () {
          var d = JSON.parse(document.getElementById("dialog").textContent);
          var to = window.opener || window.parent;
          setTimeout(function () {
            d.messages.forEach(function (m) { to.postMessage(m, d.target); });
            document.getElementById("status").textContent = "Simulated Embedded Signup: done.";
          }, 50);
        })();
        </script></body></html>
        """
    }

    /// The fake JavaScript SDK served at `/sdk.js`. It defines `window.FB` with
    /// `init` (needs `appId` and a `vNN.N` version, as Meta's does) and `login`,
    /// which opens the dialog in a full-window iframe at the SDK's own origin
    /// (`/embedded-signup/dialog`, with the login options in the query) and calls
    /// the callback with `{status, authResponse: {code}}` when the dialog hands
    /// over its result, or `{status: "unknown", authResponse: null}` without a
    /// code. Then, like Meta's SDK, it calls `window.fbAsyncInit`.
    static let sdkScript = #"""
    (function () {
      "use strict";
      var origin = new URL(document.currentScript.src).origin;
      var state = { appId: null, version: null, pending: null };
      function closeDialog() {
        var pending = state.pending;
        state.pending = null;
        if (pending && pending.frame.parentNode) { pending.frame.parentNode.removeChild(pending.frame); }
        return pending;
      }
      window.FB = {
        init: function (options) {
          options = options || {};
          if (typeof options.appId !== "string" || !/^[0-9]+$/.test(options.appId)) {
            throw new Error("FB.init: appId must be a numeric string");
          }
          if (typeof options.version !== "string" || !/^v[0-9]+\.[0-9]+$/.test(options.version)) {
            throw new Error("FB.init: a version such as v26.0 is required");
          }
          state.appId = options.appId;
          state.version = options.version;
        },
        login: function (callback, options) {
          if (!state.appId) { throw new Error("FB.login() called before FB.init()."); }
          options = options || {};
          closeDialog();
          var query = new URLSearchParams({
            app_id: state.appId, version: state.version, origin: window.location.origin,
            config_id: String(options.config_id || ""), response_type: String(options.response_type || ""),
            override_default_response_type: String(options.override_default_response_type === true),
            extras: JSON.stringify(options.extras === undefined ? null : options.extras)
          });
          var frame = document.createElement("iframe");
          frame.id = "wagate-simulated-signup-dialog";
          frame.title = "Embedded Signup (simulated)";
          frame.style.cssText = "position:fixed;inset:0;width:100%;height:100%;border:0;background:#fff;z-index:2147483647";
          frame.src = origin + "/embedded-signup/dialog?" + query.toString();
          state.pending = { callback: callback, frame: frame };
          document.body.appendChild(frame);
        },
        getLoginStatus: function (callback) { callback({ status: "unknown", authResponse: null }); }
      };
      window.addEventListener("message", function (event) {
        if (event.origin !== origin || !state.pending) { return; }
        var message = event.data;
        try { message = typeof message === "string" ? JSON.parse(message) : message; } catch (ignored) { return; }
        if (!message || message.type !== "wagate-simulator-login-result") { return; }
        var pending = closeDialog();
        if (typeof message.code === "string") {
          pending.callback({ status: "connected", authResponse: { code: message.code, userID: "", expiresIn: 0 } });
        } else {
          pending.callback({ status: "unknown", authResponse: null });
        }
      });
      if (typeof window.fbAsyncInit === "function") { window.fbAsyncInit(); }
    })();
    """#
}
