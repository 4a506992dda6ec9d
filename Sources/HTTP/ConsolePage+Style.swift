// The console's style sheet: a constant, served from its own URL so the
// Content Security Policy needs no `'unsafe-inline'`.

extension ConsolePage {
    /// The console's CSS. `[hidden]` always wins over a section's own
    /// `display`, so the log-in form and the console swap cleanly. Tables scroll sideways on a laptop when wide; below
    /// 640 px each row becomes a card whose cells carry their column's name
    /// (`data-label`), so a phone reads it without zooming.
    public static let style = """
    :root{color-scheme:light dark;--fg:#1d2330;--muted:#5d6675;--bg:#f6f7f9;--card:#fff;--line:#dde1e7;
    --accent:#1769aa;--bad:#b3261e;--good:#1b7f3b}
    @media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#9aa3b0;--bg:#15181d;--card:#1e232a;
    --line:#343b45;--accent:#6cb0ff;--bad:#ff8a80;--good:#7ddc93}}
    *{box-sizing:border-box}
    [hidden]{display:none !important}
    body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
    background:var(--bg)}
    header{display:flex;align-items:center;gap:1rem;padding:.6rem 1rem;background:var(--card);
    border-bottom:1px solid var(--line)}
    header h1{font-size:1.15rem;margin:0}
    #logout{margin-left:auto}
    main{max-width:1200px;margin:0 auto;padding:1rem}
    section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem;
    margin-bottom:1rem;position:relative}
    h2{font-size:1.05rem;margin:0 0 .6rem}
    .muted{color:var(--muted)}
    .badge{display:inline-block;min-width:1.6em;padding:0 .4em;border-radius:1em;background:var(--line);
    text-align:center;font-size:.85em}
    #login{max-width:360px;margin:3rem auto;display:flex;flex-direction:column;gap:.5rem;background:var(--card);
    border:1px solid var(--line);border-radius:8px;padding:1.2rem}
    input,select,button{font:inherit;padding:.35rem .55rem;border:1px solid var(--line);border-radius:6px;
    background:var(--bg);color:var(--fg)}
    button{cursor:pointer;background:var(--accent);color:#fff;border-color:var(--accent)}
    button.danger{background:var(--bad);border-color:var(--bad)}
    button:disabled{opacity:.55;cursor:default}
    [role=alert],[data-state=error]{color:var(--bad)}
    [data-state=ok]{color:var(--good)}
    .scroll{overflow-x:auto}
    table{border-collapse:collapse;width:100%}
    th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid var(--line);white-space:nowrap}
    th{font-weight:600;color:var(--muted);font-size:.85em}
    tbody tr{cursor:pointer}
    tbody tr:hover{background:var(--bg)}
    .filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin-bottom:.6rem}
    .filters label{display:flex;flex-direction:column;font-size:.85em;color:var(--muted)}
    .filters label.check{flex-direction:row;align-items:center;gap:.3rem}
    #detail-close{position:absolute;top:.6rem;right:1rem}
    .legs{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:1rem}
    .legs h3{font-size:.95rem;margin:.2rem 0}
    dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .8rem;margin:0}
    dt{color:var(--muted)}dd{margin:0;overflow-wrap:anywhere}
    ol.timeline{list-style:none;padding:0;margin:.4rem 0}
    ol.timeline li{padding:.1rem 0 .1rem .9rem;border-left:2px solid var(--accent)}
    #chart svg{width:100%;height:auto;max-height:200px;display:block}
    #chart .bar{fill:var(--accent);opacity:.75}
    #chart .mos{fill:none;stroke:var(--good);stroke-width:2}
    #chart .axis{stroke:var(--line)}
    #chart text{fill:var(--muted);font-size:10px}
    @media (max-width:640px){
    main{padding:.5rem}
    table,thead,tbody,tr,td{display:block}
    thead{display:none}
    tr{border:1px solid var(--line);border-radius:6px;margin-bottom:.5rem;padding:.3rem}
    td{border:0;white-space:normal;display:flex;justify-content:space-between;gap:1rem}
    td::before{content:attr(data-label);color:var(--muted)}
    }
    """
}
