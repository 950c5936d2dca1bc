// The charts of the cooperation sections (state and dyad pages), drawn with Chart.js from /cooperation/data.json:
// joint exercises by year (a bar per year, stacked by source graph) and US active-duty troops by year (a line).
(function () {
  "use strict";
  var COLOURS = { "curated": "#1f6f8b", "mme-7": "#6b5b95" };  // the graphs' colours of foedus.css
  var loaded = {};
  function load(url) {
    if (!loaded[url]) {
      loaded[url] = fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(r.status + " " + r.statusText); } return r.json(); });
    }
    return loaded[url];
  }
  function exercises(canvas, data) {
    var years = data.exercises.years;
    var first = years[0].year, last = years[years.length - 1].year, labels = [];
    for (var y = first; y <= last; y++) { labels.push(y); }
    var byYear = {};
    years.forEach(function (row) { byYear[row.year] = row.bySource; });
    return new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: data.exercises.sources.map(function (s) {
        return { label: s, backgroundColor: COLOURS[s] || "#6b5b95",
                 data: labels.map(function (y) { return (byYear[y] || {})[s] || 0; }) };
      }) },
      options: { animation: false, maintainAspectRatio: false,
                 scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: "exercises" } } } }
    });
  }
  function troops(canvas, data) {
    var t = data.troops;
    return new Chart(canvas, {
      type: "line",
      data: { labels: t.years.map(function (r) { return r.year; }),
              datasets: [{ label: t.kind === "abroad" ? "US active-duty troops abroad" : "US active-duty troops in " + t.hostLabel,
                           data: t.years.map(function (r) { return r.troops; }), borderColor: "#0b5cad",
                           backgroundColor: "rgba(11, 92, 173, 0.15)", fill: true, pointRadius: 1.5, tension: 0.1 }] },
      options: { animation: false, maintainAspectRatio: false,
                 scales: { y: { beginAtZero: true, title: { display: true, text: "troops" } } } }
    });
  }
  document.querySelectorAll("canvas.coop-chart[data-src]").forEach(function (canvas) {
    load(canvas.dataset.src).then(function (data) {
      var chart = canvas.dataset.chart === "troops" ? troops(canvas, data) : exercises(canvas, data);
      canvas.dataset.ready = "1";
      canvas.dataset.points = String(chart.data.datasets.reduce(function (n, d) { return n + d.data.length; }, 0));
    }).catch(function (err) {
      canvas.insertAdjacentText("afterend", "Could not draw the chart: " + err.message);
      canvas.dataset.error = "1";
    });
  });
})();
