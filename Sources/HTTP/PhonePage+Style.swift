// The web phone's style sheet: a constant served from its own URL, so the
// Content Security Policy needs no `'unsafe-inline'`.

extension PhonePage {
    /// The page's CSS: one column on a phone, two on a laptop; large pad keys;
    /// a visible focus ring on every control for keyboard use; `[hidden]`
    /// always wins, so panels swap cleanly.
    public static let style = """
    :root{color-scheme:light dark;--fg:#1d2330;--muted:#5d6675;--bg:#f6f7f9;--card:#fff;--line:#dde1e7;
    --accent:#1769aa;--bad:#b3261e;--good:#1b7f3b;--warn:#8a5a00}
    @media (prefers-color-scheme:dark){:root{--fg:#e6e8eb;--muted:#9aa3b0;--bg:#15181d;--card:#1e232a;
    --line:#343b45;--accent:#6cb0ff;--bad:#ff8a80;--good:#7ddc93;--warn:#f0c36d}}
    *{box-sizing:border-box}
    [hidden]{display:none !important}
    body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);
    background:var(--bg)}
    header{display:flex;align-items:center;gap:.8rem;padding:.6rem 1rem;background:var(--card);
    border-bottom:1px solid var(--line);flex-wrap:wrap}
    header h1{font-size:1.15rem;margin:0}
    #presence-state{margin-left:auto}
    main{max-width:920px;margin:0 auto;padding:1rem}
    #app{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
    @media (max-width:700px){#app{grid-template-columns:1fr}}
    #incoming,#call{grid-column:1/-1}
    section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:.8rem 1rem}
    h2{font-size:1.05rem;margin:0 0 .6rem}
    label{display:block;font-size:.9rem;color:var(--muted);margin-top:.4rem}
    input,select{font:inherit;padding:.4rem .5rem;border:1px solid var(--line);border-radius:6px;
    background:var(--bg);color:var(--fg);width:100%}
    button{font:inherit;padding:.45rem .9rem;border:1px solid var(--line);border-radius:6px;background:var(--bg);
    color:var(--fg);cursor:pointer;margin:.3rem .3rem 0 0}
    button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
    button[aria-pressed=true]{background:var(--accent);color:var(--card)}
    button.good{background:var(--good);color:#fff;border-color:var(--good)}
    button.bad{background:var(--bad);color:#fff;border-color:var(--bad)}
    .muted{color:var(--muted)}
    .badge{display:inline-block;padding:0 .6em;border-radius:1em;background:var(--line);font-size:.85em}
    .badge[data-state=available]{background:var(--good);color:#fff}
    .badge[data-state=away]{background:var(--warn);color:#fff}
    #login{max-width:360px;margin:2rem auto;display:flex;flex-direction:column;gap:.3rem;background:var(--card);
    border:1px solid var(--line);border-radius:8px;padding:1.2rem}
    #login-error{color:var(--bad);min-height:1.4em;margin:.3rem 0 0}
    #status{min-height:1.5em;margin:0 0 .8rem}
    #status[data-state=error]{color:var(--bad)}
    #status[data-state=warn]{color:var(--warn)}
    #status[data-state=ok]{color:var(--good)}
    .peer{font-size:1.2rem;margin:.2rem 0}
    .cta{border-left:3px solid var(--accent);padding-left:.6rem}
    .timer{font-variant-numeric:tabular-nums;margin-left:.6rem;color:var(--muted)}
    .pad{display:grid;grid-template-columns:repeat(3,4rem);gap:.4rem;margin:.6rem 0}
    .pad button{margin:0;font-size:1.2rem;padding:.6rem 0}
    .row{margin-top:.6rem}
    #history{padding-left:1.2rem;margin:0}
    """
}
