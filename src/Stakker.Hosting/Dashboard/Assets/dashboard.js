// The Stakker dashboard: one live stream of snapshots (server-sent events), drawn with plain DOM and canvas.
"use strict";
(() => {
  const HISTORY = 120;               // points kept per Core for the chart (one per event)
  const COLORS = ["#2f6fde", "#d9822b", "#2c8a4b", "#8e44ad", "#c4302b", "#16a2b8", "#7a6c1d", "#d63384"];
  const state = { history: new Map(), open: new Map(), last: null, events: 0 };
  window.stakkerDashboard = state;   // for tests and the curious: the figures behind the page

  const $ = (id) => document.getElementById(id);
  const el = (tag, text, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };
  const num = (n) => (n === null || n === undefined) ? "–" : Number(n).toLocaleString("en-US", { maximumFractionDigits: 1 });
  const pct = (f) => (f === null || f === undefined) ? "–" : (f * 100).toFixed(0) + "%";
  const ago = (ms) => ms < 1000 ? "just now" : ms < 60000 ? Math.round(ms / 1000) + " s ago" : ms < 3600000 ? Math.round(ms / 60000) + " min ago" : Math.round(ms / 3600000) + " h ago";
  const age = (ms) => ms < 1000 ? ms + " ms" : ms < 60000 ? (ms / 1000).toFixed(1) + " s" : ms < 3600000 ? Math.round(ms / 60000) + " min" : (ms / 3600000).toFixed(1) + " h";
  const row = (cells, cls) => {
    const tr = el("tr", null, cls);
    for (const c of cells) tr.appendChild(c instanceof Node ? wrapTd(c) : el("td", c));
    return tr;
  };
  const wrapTd = (node) => { const td = el("td"); td.appendChild(node); return td; };

  function onEvent(data) {
    state.last = data;
    state.events++;
    for (const c of data.cores) {
      let h = state.history.get(c.name);
      if (!h) { h = []; state.history.set(c.name, h); }
      if (c.callsPerSecond !== undefined) { h.push(c.callsPerSecond); if (h.length > HISTORY) h.shift(); }
    }
    renderCores(data);
    renderTypes(data);
    renderFailures(data);
    drawChart();
    if (state.events % 3 === 0) for (const key of state.open.keys()) loadActors(key);
  }

  function renderCores(data) {
    const body = $("cores").tBodies[0];
    body.replaceChildren(...data.cores.map((c) => row([c.name, num(c.callsPerSecond), num(c.queueLength), num(c.wakesPerSecond), pct(c.idle), num(c.pendingTimers), num(c.actorCount), num(c.retsAbandoned)])));
    const actors = data.cores.reduce((s, c) => s + c.actorCount, 0);
    const calls = data.cores.reduce((s, c) => s + (c.callsPerSecond || 0), 0);
    $("summary").textContent = `${data.cores.length} Core${data.cores.length === 1 ? "" : "s"} · ${num(actors)} actors · ${num(calls)} calls/s`;
  }

  function typeKey(core, type) { return core + "\u0000" + type; }

  function renderTypes(data) {
    const body = $("types").tBodies[0];
    const rows = [];
    for (const c of data.cores) {
      for (const t of c.types) {
        const key = typeKey(c.name, t.type);
        const tr = row([c.name, t.type, num(t.count), num(t.prep), num(t.callsRun), num(t.queued), num(t.handlerMs), num(t.pendingTimers), num(t.outstandingRets)], "type" + (state.open.has(key) ? " open" : ""));
        tr.dataset.core = c.name;
        tr.dataset.type = t.type;
        tr.addEventListener("click", () => toggle(key));
        rows.push(tr);
        if (state.open.has(key)) rows.push(actorRow(key));
      }
    }
    body.replaceChildren(...rows);
  }

  function toggle(key) {
    if (state.open.has(key)) state.open.delete(key);
    else { state.open.set(key, null); loadActors(key); }
    if (state.last) renderTypes(state.last);
  }

  async function loadActors(key) {
    const [core, type] = key.split("\u0000");
    try {
      const r = await fetch(`api/snapshot?core=${encodeURIComponent(core)}&type=${encodeURIComponent(type)}`, { cache: "no-store" });
      const snap = await r.json();
      if (!state.open.has(key)) return;
      state.open.set(key, snap.cores[0] || null);
      if (state.last) renderTypes(state.last);
    } catch (e) { /* the next event tries again */ }
  }

  function actorRow(key) {
    const snap = state.open.get(key);
    const td = el("td");
    td.colSpan = 9;
    if (!snap) { td.appendChild(el("div", "loading…", "note")); return wrapRow(td); }
    const allow = state.last && state.last.allowActions;
    const table = el("table");
    const head = el("tr");
    for (const h of ["id", "state", "owner", "age", "calls run", "queued", "handler ms", "timers", "Rets held"].concat(allow ? [""] : [])) head.appendChild(el("th", h));
    table.appendChild(el("thead")).appendChild(head);
    const tbody = el("tbody");
    for (const a of snap.actors) {
      const cells = ["#" + a.id, a.state, a.ownerId === null ? "root" : "#" + a.ownerId, age(a.ageMs), num(a.callsRun), num(a.queued), num(a.handlerMs), num(a.pendingTimers), num(a.outstandingRets)];
      if (allow) {
        const b = el("button", "kill", "kill");
        b.addEventListener("click", (e) => { e.stopPropagation(); kill(snap.name, a.id, key); });
        cells.push(b);
      }
      tbody.appendChild(row(cells, "actor"));
    }
    table.appendChild(tbody);
    td.appendChild(table);
    if (snap.actorsTruncated) td.appendChild(el("div", `showing the first ${snap.actors.length} (the most listed per Core is ${snap.maxActors}); the counts above include them all`, "note"));
    return wrapRow(td);
  }

  function wrapRow(td) { const tr = el("tr", null, "actors"); tr.appendChild(td); return tr; }

  async function kill(core, id, key) {
    if (!confirm(`Kill actor #${id} on Core ${core}?`)) return;
    await fetch(`api/actors/${encodeURIComponent(core)}/${id}/kill`, { method: "POST", headers: { "X-Stakker-Action": "1" } });
    loadActors(key);
  }

  function renderFailures(data) {
    const all = [];
    for (const c of data.cores) for (const f of c.failures) all.push({ core: c.name, ...f });
    all.sort((a, b) => a.agoMs - b.agoMs);
    const items = all.map((f) => {
      const li = el("li", null, "failure");
      li.appendChild(el("div", `${f.actorType}#${f.actorId} ${f.kind.toLowerCase()}`, "what"));
      li.appendChild(el("div", `${f.errorType}: ${f.message}`, "why"));
      const owner = f.ownerId === null ? "root actor" : `owner ${f.ownerType}#${f.ownerId}`;
      li.appendChild(el("div", `${ago(f.agoMs)} · Core ${f.core} · ${owner} · ${decision(f)}`, "meta"));
      li.dataset.decision = f.decision;
      return li;
    });
    $("failures").replaceChildren(...items);
    $("no-failures").hidden = items.length > 0;
  }

  // What the owner did next, as the Core saw it: stated as facts, since a restart is inferred.
  function decision(f) {
    switch (f.decision) {
      case "restarted": return `owner started a new ${f.actorType} (restart)`;
      case "failed upward": return "owner failed too (failed upward)";
      case "owner stopped": return "owner stopped";
      case "root": return "root actor: its spawner was told";
      default: return `no new ${f.actorType} from its owner yet`;
    }
  }

  function drawChart() {
    const canvas = $("chart");
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== w * dpr || canvas.height !== h * dpr) { canvas.width = w * dpr; canvas.height = h * dpr; }
    const g = canvas.getContext("2d");
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    let max = 1;
    for (const s of state.history.values()) for (const v of s) max = Math.max(max, v);
    max = niceCeil(max);
    const left = 56, right = 8, top = 8, bottom = 18;
    g.font = "11px system-ui, sans-serif";
    g.fillStyle = "#6b7483";
    g.strokeStyle = "#e2e5ea";
    g.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const y = top + (h - top - bottom) * i / 4;
      g.beginPath(); g.moveTo(left, y); g.lineTo(w - right, y); g.stroke();
      g.fillText(num(max * (4 - i) / 4), 4, y + 4);
    }
    g.fillText(`calls/s, last ${HISTORY} updates`, left, h - 4);
    let i = 0;
    for (const [name, s] of state.history) {
      const color = COLORS[i++ % COLORS.length];
      g.strokeStyle = color;
      g.lineWidth = 2;
      g.beginPath();
      s.forEach((v, k) => {
        const x = left + (w - left - right) * (k + HISTORY - s.length) / (HISTORY - 1);
        const y = top + (h - top - bottom) * (1 - v / max);
        if (k === 0) g.moveTo(x, y); else g.lineTo(x, y);
      });
      g.stroke();
      g.fillStyle = color;
      g.fillText("Core " + name, w - right - 60 * i, top + 10);
    }
  }

  function niceCeil(v) {
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 5, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  }

  function connect() {
    const status = $("status");
    const source = new EventSource("api/events");
    source.onopen = () => { status.textContent = "live"; status.className = "status live"; };
    source.onmessage = (e) => onEvent(JSON.parse(e.data));
    source.onerror = () => { status.textContent = "reconnecting…"; status.className = "status down"; };
  }

  window.addEventListener("resize", drawChart);
  fetch("api/snapshot?max=0", { cache: "no-store" }).then((r) => r.json()).then((d) => { if (!state.last) { renderCores(d); renderTypes(d); renderFailures(d); } }).catch(() => {});
  connect();
})();
