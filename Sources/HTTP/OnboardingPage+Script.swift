// The onboarding page's script and style: constants, no value from the
// settings or the network is ever spliced into them.

extension OnboardingPage {
    /// The page's script. It follows Meta's Embedded Signup implementation guide:
    /// `window.fbAsyncInit` runs `FB.init` (app id, Graph version); the button runs
    /// `FB.login` with the configuration id, `response_type: 'code'` and
    /// `override_default_response_type: true`; a `message` listener takes only
    /// messages from the dialog's origin whose `type` is `WA_EMBEDDED_SIGNUP`.
    /// The code (login callback) and the ids (`FINISH` message) may arrive in
    /// either order; once both are in, they go to the signup path with the
    /// onboarding token as a bearer token. Meta's code lives 30 seconds, so the
    /// page gives up waiting for the other half after 25. A `CANCEL` or `ERROR`
    /// message that comes after a login callback without a code still refines
    /// the text shown (it names the step or Meta's error).
    static let script = #"""
    (function () {
      "use strict";
      var settings = JSON.parse(document.getElementById("wagate-onboarding-settings").textContent);
      var tokenInput = document.getElementById("token");
      var nameInput = document.getElementById("name");
      var button = document.getElementById("connect");
      var statusLine = document.getElementById("status");
      var tokenKey = "wagate.onboarding.token";
      var digits = /^[0-9]{1,32}$/;
      var attempt = null;

      function show(state, text) {
        statusLine.setAttribute("data-state", state);
        statusLine.textContent = text;
      }
      function remember(token) {
        try { sessionStorage.setItem(tokenKey, token); } catch (ignored) {}
      }
      try { tokenInput.value = sessionStorage.getItem(tokenKey) || ""; } catch (ignored) {}
      tokenInput.addEventListener("change", function () { remember(tokenInput.value.trim()); });

      function end(state, text) {
        if (!attempt || attempt.state === "posting") { return; }
        clearTimeout(attempt.timer);
        attempt.state = "done";
        button.disabled = false;
        show(state, text);
      }

      function post(current) {
        current.state = "posting";
        clearTimeout(current.timer);
        show("busy", "Adding the number to the gateway…");
        var body = { code: current.code, waba_id: current.ids.waba_id, phone_number_id: current.ids.phone_number_id };
        if (current.name) { body.name = current.name; }
        fetch(settings.signupPath, {
          method: "POST", credentials: "same-origin", cache: "no-store",
          headers: { "Content-Type": "application/json", "Authorization": "Bearer " + current.token },
          body: JSON.stringify(body)
        }).then(function (response) {
          return response.text().then(function (text) {
            var json = null;
            try { json = JSON.parse(text); } catch (ignored) {}
            return { status: response.status, json: json };
          });
        }).then(function (result) {
          current.state = "done";
          var number = result.json && result.json.number;
          if (result.status === 201 && number && typeof number === "object") {
            show("success", "Connected " + String(number.business_number || "") + " (phone number id " +
              String(number.phone_number_id || "") + ", name " + String(number.name || "") + "). It takes calls now.");
          } else {
            var text = result.json && typeof result.json.error === "string" ? result.json.error : "no error text";
            show("error", "The gateway refused the signup (HTTP " + result.status + "): " + text);
          }
          button.disabled = false;
        }, function (error) {
          current.state = "done";
          show("error", "Could not reach the gateway: " + String(error && error.message || error));
          button.disabled = false;
        });
      }

      function postIfComplete() {
        if (attempt && attempt.state === "waiting" && attempt.code && attempt.ids) { post(attempt); }
      }

      function onLogin(response) {
        if (!attempt || attempt.state !== "waiting") { return; }
        var code = response && response.authResponse && response.authResponse.code;
        if (typeof code === "string" && code.length > 0 && code.length <= 4096) {
          attempt.code = code;
          if (!attempt.ids) { show("busy", "Meta authorised the app; waiting for the number's ids…"); }
          postIfComplete();
        } else {
          end("cancelled", "Meta's login ended without an authorisation code; nothing was added.");
          attempt.refinable = true;
        }
      }

      function onSignupEvent(kind, data) {
        if (attempt && attempt.refinable && (kind === "CANCEL" || kind === "ERROR")) {
          attempt.state = "waiting";
          attempt.refinable = false;
        }
        if (!attempt || attempt.state !== "waiting") { return; }
        if (kind === "FINISH") {
          var waba = String(data.waba_id || ""), phone = String(data.phone_number_id || "");
          if (!digits.test(waba) || !digits.test(phone)) {
            end("error", "Meta's signup finished without a usable WABA id and phone number id; nothing was added.");
            return;
          }
          attempt.ids = { waba_id: waba, phone_number_id: phone };
          if (!attempt.code) { show("busy", "Signup finished; waiting for Meta's authorisation code…"); }
          postIfComplete();
        } else if (kind === "CANCEL" || kind === "ERROR") {
          if (typeof data.error_message === "string" && data.error_message) {
            end("error", "Meta reported an error: " + data.error_message + "; nothing was added.");
          } else {
            end("cancelled", "Signup was cancelled at step " + String(data.current_step || "unknown") +
              "; nothing was added.");
          }
        } else if (kind.indexOf("FINISH") === 0) {
          end("error", "Meta's signup finished as " + kind + ", without a Cloud API phone number; nothing was added.");
        }
      }

      window.addEventListener("message", function (event) {
        if (event.origin !== settings.dialogOrigin) { return; }
        var message = event.data;
        if (typeof message === "string") {
          try { message = JSON.parse(message); } catch (ignored) { return; }
        }
        if (!message || typeof message !== "object" || message.type !== "WA_EMBEDDED_SIGNUP") { return; }
        var data = message.data && typeof message.data === "object" ? message.data : {};
        onSignupEvent(String(message.event || ""), data);
      });

      button.addEventListener("click", function () {
        var token = tokenInput.value.trim();
        if (!token) { show("error", "Enter the onboarding token first."); return; }
        remember(token);
        if (attempt) { clearTimeout(attempt.timer); }
        attempt = { state: "waiting", code: null, ids: null, refinable: false, token: token,
                    name: nameInput.value.trim() };
        attempt.timer = setTimeout(function () {
          end("error", "Meta's flow did not return both the authorisation code and the number's ids in time; " +
            "nothing was added. Try again.");
        }, 25000);
        button.disabled = true;
        show("busy", "Waiting for Meta's signup window…");
        FB.login(onLogin, {
          config_id: settings.configId,
          response_type: "code",
          override_default_response_type: true,
          extras: {}
        });
      });

      window.fbAsyncInit = function () {
        FB.init({ appId: settings.appId, autoLogAppEvents: true, xfbml: true, version: settings.graphVersion });
        button.disabled = false;
        show("ready", "Ready. Enter the token and connect.");
      };
    })();
    """#

    /// The page's style: readable without any external stylesheet.
    static let style = """
    body{font-family:system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1c1e21}\
    main{max-width:32rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:8px}\
    label{display:block;margin-top:1rem;font-weight:600}\
    input{width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem}\
    button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}\
    [data-state=error]{color:#b00020}[data-state=success]{color:#0a7d32}
    """
}
