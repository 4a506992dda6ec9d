// The console's script, second half: what each table shows, the per-call
// detail and the 24-hour chart.

extension ConsolePage {
    /// The tables' columns, the hang-up button, the CDR filters, the per-call
    /// detail (both legs' timeline and quality) and the chart (an inline SVG
    /// built with DOM calls: bars of calls per hour, a line of their mean MOS).
    static let scriptViews = #"""
    const P = W.pick;
    W.mos = (row) => {
      const values = [P(row, ["sip.quality.mos", "sip_quality.mos"]), P(row, ["whatsapp.quality.mos", "whatsapp_quality.mos"])]
        .filter((value) => typeof value === "number");
      return values.length ? W.number(Math.min(...values), 2) : "";
    };
    W.since = (row) => {
      const start = P(row, ["answer_at", "answered_at", "setup_at", "started_at"]);
      const seconds = start ? Math.max(0, Math.round((Date.now() - new Date(start)) / 1000)) : undefined;
      return seconds === undefined || isNaN(seconds) ? "" : Math.floor(seconds / 60) + ":" +
        String(seconds % 60).padStart(2, "0");
    };
    W.seconds = (row) => {
      const answer = P(row, ["answer_at"]), end = P(row, ["end_at"]);
      return answer && end ? String(Math.max(0, Math.round((new Date(end) - new Date(answer)) / 1000))) : "";
    };
    function hangupButton(call) {
      const button = W.el("button", "Hang up", "danger hangup");
      button.type = "button";
      button.setAttribute("data-call", W.callID(call));
      button.addEventListener("click", () => W.guard(async () => {
        button.disabled = true;
        button.textContent = "Hanging up…";
        await W.request("DELETE", "/calls/" + encodeURIComponent(W.callID(call)));
        W.status("ok", "Hang-up sent for " + W.callID(call));
      }));
      return button;
    }
    // From, To and Time appear when the API gives the parties and times of live calls.
    W.renderCalls = (calls) => W.table("calls", [
      ["Call", W.callID], ["Direction", (c) => P(c, ["direction"])],
      ...(calls.some((c) => P(c, ["caller"])) ? [["From", (c) => P(c, ["caller"])], ["To", (c) => P(c, ["callee"])]] : []),
      ["Number", (c) => P(c, ["number"])],
      ["State", (c) => P(c, ["state"])], ["SIP leg", (c) => P(c, ["sip.state"])],
      ["WhatsApp leg", (c) => P(c, ["whatsapp.state"])],
      ...(calls.some((c) => W.since(c)) ? [["Time", W.since]] : []), ["MOS", W.mos], ["", hangupButton],
    ], calls, (call) => W.showDetail(W.callID(call), call));
    W.renderRegistrations = (rows) => W.table("registrations", [
      ["User", (r) => P(r, ["user", "aor", "username"])], ["Contact", (r) => P(r, ["contact", "contact_uri"])],
      ["Source", (r) => P(r, ["source"])], ["Transport", (r) => P(r, ["transport"])],
      ["Phone", (r) => P(r, ["user_agent"])], ["Expires", (r) => W.when(P(r, ["expires_at"]))],
    ], rows);

    W.refreshCDRs = async function () {
      const query = new URLSearchParams();
      const hours = Number(W.$("f-since").value) || 24;
      query.set("since", String(Math.floor(Date.now() / 1000) - hours * 3600));
      query.set("limit", "100");
      for (const [key, id] of [["number", "f-number"], ["caller", "f-caller"]]) {
        const value = W.$(id).value.trim();
        if (value) { query.set(key, value); }
      }
      if (W.$("f-failed").checked) { query.set("failed", "true"); }
      const body = await W.request("GET", "/cdrs?" + query.toString());
      const rows = W.list(body, ["cdrs"]);
      W.$("cdrs-empty").hidden = rows.length > 0;
      W.table("cdrs", [
        ["Start", (r) => W.when(P(r, ["setup_at", "started_at"]))], ["Direction", (r) => P(r, ["direction"])],
        ["From", (r) => P(r, ["caller"])], ["To", (r) => P(r, ["callee"])],
        ["Number", (r) => P(r, ["number", "phone_number_id"])], ["Seconds", W.seconds],
        ["Result", (r) => P(r, ["end_reason"])], ["Ended by", (r) => P(r, ["ended_by"])], ["MOS", W.mos],
      ], rows, (row) => W.showDetail(W.callID(row)));
    };
    W.$("cdr-filters").addEventListener("submit", (event) => { event.preventDefault(); W.guard(W.refreshCDRs); });

    // Detail: scalar fields, then one block per leg with its timeline and quality.
    function fields(object, prefix, into) {
      for (const [key, value] of Object.entries(object || {})) {
        if (value === null || value === undefined || value === "") { continue; }
        if (typeof value === "object" && !Array.isArray(value)) { fields(value, prefix + key + " ", into); }
        else { into.push([prefix + key.replace(/_/g, " "), Array.isArray(value) ? JSON.stringify(value) : value]); }
      }
      return into;
    }
    function definitions(pairs) {
      const list = W.el("dl");
      for (const [key, value] of pairs) { list.append(W.el("dt", key), W.el("dd", value)); }
      return list;
    }
    W.timeline = function (call) {
      const ended = "ended" + (P(call, ["ended_by"]) ? " by " + P(call, ["ended_by"]) : "") +
        (P(call, ["end_reason"]) ? ": " + P(call, ["end_reason"]) : "");
      const list = W.el("ol", undefined, "timeline");
      for (const [key, label] of [["setup_at", "set up"], ["ring_at", "ringing"], ["answer_at", "answered"],
                                  ["end_at", ended]]) {
        if (P(call, [key])) { list.appendChild(W.el("li", W.when(P(call, [key])) + " — " + label)); }
      }
      return list;
    };
    // Each leg: its live state, ids, codec, and quality (live while the call runs, else the CDR's figures at end).
    W.legs = function (call, live) {
      const ended = P(call, ["end_at"]) ? "ended" : undefined;
      return [["SIP leg", {state: P(live, ["sip.state"]) ?? ended, sip_call_id: P(call, ["sip_call_id"]),
                           party: P(call, ["sip_party"]), from_user: P(call, ["sip_from_user"]),
                           final_status: P(call, ["sip_status"]), codec: P(call, ["sip_codec"]),
                           quality: P(live, ["sip.quality"]) ?? P(call, ["sip_quality"])}],
              ["WhatsApp leg", {state: P(live, ["whatsapp.state"]) ?? ended, wacid: P(call, ["wacid"]),
                                user: P(call, ["wa_phone", "wa_username", "wa_bsuid"]),
                                codec: P(call, ["whatsapp_codec"]), meta_error_code: P(call, ["meta_error_code"]),
                                fbtrace_id: P(call, ["fbtrace_id"]),
                                quality: P(live, ["whatsapp.quality"]) ?? P(call, ["whatsapp_quality"])}]];
    };
    W.showDetail = async function (id, live) {
      let call = live || {};
      try { call = Object.assign({}, live || {}, await W.request("GET", "/cdrs/" + encodeURIComponent(id))); }
      catch (error) { if (!live) { W.status("error", "Detail: " + error.message); return; } }
      const top = Object.fromEntries(Object.entries(call).filter(([, v]) => v === null || typeof v !== "object"));
      const body = W.$("detail-body");
      body.replaceChildren(W.el("h3", "Timeline"), W.timeline(call), definitions(fields(top, "", [])));
      const grid = W.el("div", undefined, "legs");
      for (const [name, leg] of W.legs(call, live)) {
        const block = W.el("div", undefined, "leg");
        block.setAttribute("data-leg", name);
        block.append(W.el("h3", name), definitions(fields(leg, "", [])));
        grid.appendChild(block);
      }
      body.appendChild(grid);
      W.$("detail-title").textContent = id;
      W.$("detail").hidden = false;
      W.$("detail").scrollIntoView({block: "nearest"});
    };
    W.$("detail-close").addEventListener("click", () => { W.$("detail").hidden = true; });

    // The chart: one bar per hour (calls), a line for the hour's mean MOS on a 1–5 scale.
    const svgNS = "http://www.w3.org/2000/svg";
    function svg(tag, attributes, text) {
      const node = document.createElementNS(svgNS, tag);
      for (const [key, value] of Object.entries(attributes)) { node.setAttribute(key, String(value)); }
      if (text !== undefined) { node.textContent = text; }
      return node;
    }
    W.refreshChart = async function () {
      const body = await W.request("GET", "/stats/hourly?hours=24");
      const hours = W.list(body, ["hours", "buckets"]);
      const width = 720, height = 160, pad = 24, step = (width - 2 * pad) / Math.max(hours.length, 1);
      const most = Math.max(1, ...hours.map((h) => Number(h.calls) || 0));
      const chart = svg("svg", {viewBox: "0 0 " + width + " " + height, role: "img",
                                "aria-label": "Calls per hour and mean MOS, last 24 hours"});
      chart.appendChild(svg("line", {x1: pad, y1: height - pad, x2: width - pad, y2: height - pad, class: "axis"}));
      const points = [];
      hours.forEach((hour, index) => {
        const x = pad + index * step, calls = Number(hour.calls) || 0;
        const barHeight = (height - 2 * pad) * calls / most;
        const bar = svg("rect", {x: x + 1, y: height - pad - barHeight, width: Math.max(step - 2, 1),
                                 height: barHeight, class: "bar"});
        bar.appendChild(svg("title", {}, W.when(hour.start) + ": " + calls + " calls" +
          (typeof hour.mos === "number" ? ", MOS " + hour.mos.toFixed(2) : "")));
        chart.appendChild(bar);
        if (typeof hour.mos === "number") {
          points.push((x + step / 2).toFixed(1) + "," + (height - pad - (height - 2 * pad) * (hour.mos - 1) / 4).toFixed(1));
        }
        if (index % 6 === 0) {
          chart.appendChild(svg("text", {x: x, y: height - 8}, new Date(hour.start).toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"})));
        }
      });
      if (points.length) { chart.appendChild(svg("polyline", {points: points.join(" "), class: "mos"})); }
      chart.appendChild(svg("text", {x: pad, y: 12}, "max " + most + " calls/h · line: MOS 1–5"));
      W.$("chart").replaceChildren(chart);
      const total = hours.reduce((sum, h) => sum + (Number(h.calls) || 0), 0);
      const rated = hours.filter((h) => typeof h.mos === "number");
      const mean = rated.length ? rated.reduce((s, h) => s + h.mos * (Number(h.rated) || 1), 0) /
        rated.reduce((s, h) => s + (Number(h.rated) || 1), 0) : undefined;
      W.$("chart-summary").textContent = total + " calls" + (mean === undefined ? "" : ", mean MOS " + mean.toFixed(2));
    };

    """#
}
