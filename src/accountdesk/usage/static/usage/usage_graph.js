// The Usage graphs: a billing period by day (data in the page, #usage-period-data) and, on the
// staff Usage tab, a minute window fetched from the API (#usage-minute-form; the portal has none).
// uPlot draws both; values are shown in the package's unit.
(function () {
  "use strict";
  const script = document.currentScript;
  const api = script.dataset.api;
  const subscription = script.dataset.subscription;
  const unit = script.dataset.unit;

  function human(value) {
    if (value == null) return "";
    if (unit !== "bytes") return value.toLocaleString() + " " + unit;
    const steps = ["B", "KB", "MB", "GB", "TB"];
    let i = 0;
    while (value >= 1000 && i < steps.length - 1) { value /= 1000; i++; }
    return (i ? value.toFixed(1) : value.toFixed(0)) + " " + steps[i];
  }

  function draw(el, xs, ys, label, allowance, now) {
    el.textContent = "";
    if (!xs.length || !ys.some((v) => v)) {
      const empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = el.dataset.empty || "No usage in this window.";
      el.appendChild(empty);
      el.classList.add("is-empty");
      return null;
    }
    el.classList.remove("is-empty");
    const quiet = {show: false};  // a dot per day or minute is noise: the line says it
    const series = [{}, {label: label, scale: "step", stroke: "#1f5fbf", fill: "rgba(31,95,191,0.12)",
                         points: quiet, value: (u, v) => human(v)}];
    // The days still to come have no usage yet: the lines end today instead of dropping to zero.
    now = now || Date.now() / 1000;
    const data = [xs, ys.map((v, i) => (xs[i] > now ? null : v))];
    const axes = [{}, {scale: "step", values: (u, vals) => vals.map(human), size: 90,
                       label: label, labelSize: 18, stroke: "#1f5fbf"}];
    if (allowance) {
      // The cumulative line climbs towards the allowance; a day's use is a small part of it, so it
      // keeps its own scale (left axis) rather than lying flat under the allowance's (right axis).
      let sum = 0;
      series.push({label: "Cumulative", scale: "total", stroke: "#59636e", points: quiet, value: (u, v) => human(v)});
      data.push(ys.map((v, i) => (xs[i] > now ? null : (sum += v))));
      series.push({label: "Allowance", scale: "total", stroke: "#b42318", dash: [6, 4], points: quiet,
                   value: (u, v) => human(v)});
      data.push(xs.map(() => allowance));
      axes.push({scale: "total", side: 1, grid: {show: false}, values: (u, vals) => vals.map(human), size: 90,
                 label: "Cumulative and allowance", labelSize: 18});
    }
    const opts = {
      width: Math.max(el.clientWidth, 320), height: 240, series: series, axes: axes,
      scales: {step: {range: (u, min, max) => [0, max > 0 ? max * 1.1 : 1]},
               total: {range: (u, min, max) => [0, max > 0 ? max * 1.05 : 1]}},
    };
    return new uPlot(opts, data, el);
  }

  const period = JSON.parse(document.getElementById("usage-period-data").textContent);
  draw(document.getElementById("usage-period-graph"),
       period.points.map((p) => p[0]), period.points.map((p) => p[1]), "Per day", period.allowance, period.now);

  const form = document.getElementById("usage-minute-form");
  if (!form) return;
  const status = document.getElementById("usage-minute-status");
  async function loadMinutes(event) {
    if (event) event.preventDefault();
    const from = new Date(form.elements.from.value);
    if (isNaN(from)) { status.textContent = "Choose a start time."; return; }
    const to = new Date(from.getTime() + Number(form.elements.hours.value) * 3600 * 1000);
    const params = new URLSearchParams({resolution: "minute", subscription_id: subscription,
                                        from: from.toISOString(), to: to.toISOString()});
    status.textContent = "Loading…";
    const response = await fetch(api + "?" + params, {headers: {Accept: "application/json"}});
    const body = await response.json();
    if (!response.ok) { status.textContent = body.error ? body.error.message : "Could not load."; return; }
    status.textContent = human(body.total) + " in this window";
    draw(document.getElementById("usage-minute-graph"),
         body.points.map((p) => Date.parse(p.t) / 1000), body.points.map((p) => p.value), "Per minute", null);
  }
  form.addEventListener("submit", loadMinutes);
  loadMinutes();
})();
