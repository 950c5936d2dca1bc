// The query page: YASGUI on our /sparql, our prefixes, the saved queries as examples, and a chart view.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("yasgui-config").textContent);
  var NUMERIC = /#(integer|decimal|double|float|int|long|short|byte|nonNegativeInteger|positiveInteger|unsignedInt|unsignedLong)$/;

  function prefixLines(query) {
    var lines = [];
    Object.keys(config.prefixes).forEach(function (p) {
      if (new RegExp("\\b" + p + ":").test(query) && !new RegExp("PREFIX\\s+" + p + ":", "i").test(query)) {
        lines.push("PREFIX " + p + ": <" + config.prefixes[p] + ">");
      }
    });
    return lines.length ? lines.join("\n") + "\n" : "";
  }
  function shortName(term) {
    if (!term) { return ""; }
    if (term.type !== "uri") { return term.value; }
    var best = "";
    Object.keys(config.prefixes).forEach(function (p) {
      var ns = config.prefixes[p];
      if (term.value.indexOf(ns) === 0 && ns.length > (config.prefixes[best] || "").length) { best = p; }
    });
    return best ? best + ":" + term.value.slice(config.prefixes[best].length) : term.value;
  }

  // A Yasr plugin: a bar (or line) chart when one column is numeric and another names the rows.
  function ChartPlugin(yasr) { this.yasr = yasr; this.priority = 5; this.label = "Chart"; this.chart = null; }
  ChartPlugin.prototype.columns = function () {
    var results = this.yasr.results;
    if (!results || !results.getVariables || !results.getBindings) { return null; }
    var vars = results.getVariables(), rows = results.getBindings();
    if (!rows || rows.length < 1 || rows.length > 2000) { return null; }
    var numeric = vars.filter(function (v) {
      var seen = 0;
      var ok = rows.every(function (r) {
        if (!r[v]) { return true; } seen += 1;
        return r[v].type !== "uri" && r[v].datatype && NUMERIC.test(r[v].datatype);
      });
      return ok && seen > 0;
    });
    var labels = vars.filter(function (v) { return numeric.indexOf(v) < 0; });
    if (!numeric.length) { return null; }
    return { value: numeric[0], label: labels.length ? labels[labels.length > 1 && /label/i.test(labels[1]) ? 1 : 0] : null, rows: rows };
  };
  ChartPlugin.prototype.canHandleResults = function () { return !!this.columns(); };
  ChartPlugin.prototype.getIcon = function () {
    var el = document.createElement("span"); el.textContent = "▮▮"; el.setAttribute("aria-hidden", "true"); return el;
  };
  ChartPlugin.prototype.draw = function () {
    var cols = this.columns();
    var box = document.createElement("div"); box.className = "chart-box";
    var canvas = document.createElement("canvas"); canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", "Chart of " + cols.value + (cols.label ? " by " + cols.label : ""));
    box.appendChild(canvas);
    this.yasr.resultsEl.appendChild(box);
    var labels = cols.rows.map(function (r, i) { return cols.label ? shortName(r[cols.label]) : String(i + 1); });
    var values = cols.rows.map(function (r) { return r[cols.value] ? Number(r[cols.value].value) : null; });
    var byTime = cols.label && /(year|date|start|since)/i.test(cols.label);
    if (this.chart) { this.chart.destroy(); }
    this.chart = new Chart(canvas, {
      type: byTime || cols.rows.length > 60 ? "line" : "bar",
      data: { labels: labels, datasets: [{ label: cols.value, data: values, backgroundColor: "#0b5cad", borderColor: "#0b5cad" }] },
      options: { responsive: true, maintainAspectRatio: false, animation: false, plugins: { legend: { display: false } },
                 scales: { y: { beginAtZero: true, title: { display: true, text: cols.value } } } }
    });
  };
  ChartPlugin.prototype.destroy = function () { if (this.chart) { this.chart.destroy(); this.chart = null; } };

  Yasgui.Yasr.registerPlugin("chart", ChartPlugin);
  Yasgui.Yasr.defaults.pluginOrder = ["table", "chart", "response"];
  Yasgui.Yasr.defaults.prefixes = config.prefixes;

  // Autocompletion of our terms and IRIs from the label index (/search?format=json), never from the web (LOV):
  // fo: classes after `a`, fo: properties in predicate position, and foid: resources anywhere by their names.
  function fromIndex(kinds, strip) {
    return function (yasqe, token) {
      var typed = (token && token.autocompletionString) || "";
      var words = strip(typed).replace(/([a-z])([A-Z])/g, "$1 $2").replace(/[\/_-]+/g, " ").trim();
      if (!words) { return Promise.resolve([]); }
      var url = config.localBase + "search?format=json&limit=20&q=" + encodeURIComponent(words) +
        kinds.map(function (k) { return "&kind=" + k; }).join("");
      return fetch(url, { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (body) { return (body.results || []).map(function (r) { return r.iri; }); });
    };
  }
  function after(ns) { return function (s) { return s.indexOf(ns) === 0 ? s.slice(ns.length) : s; }; }
  var FO = config.prefixes.fo, FOID = config.prefixes.foid;
  Yasgui.Yasqe.forkAutocompleter("class", { name: "foedusClass", bulk: false, get: fromIndex(["class"], after(FO)) }, false);
  Yasgui.Yasqe.forkAutocompleter("property", { name: "foedusProperty", bulk: false, get: fromIndex(["property"], after(FO)) }, false);
  Yasgui.Yasqe.forkAutocompleter("class", {
    name: "foedusResource", bulk: false, get: fromIndex([], after(FOID)),
    isValidCompletionPosition: function (yasqe) {
      var token = yasqe.getCompleteToken();
      return !!token && /^(foid:|<https:\/\/w3id\.org\/foedus\/id\/)/.test(token.string);
    }
  }, false);

  var examples = {};
  config.examples.forEach(function (ex) { examples[ex.name] = ex; });
  var first = config.examples.length ? config.examples[0].query : "SELECT * WHERE { ?s ?p ?o } LIMIT 10";
  var initial = config.query ? prefixLines(config.query) + config.query : first;

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST", acceptHeaderSelect: "application/sparql-results+json",
                     acceptHeaderGraph: "text/turtle" },
    copyEndpointOnNewTab: false,
    persistenceId: null,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { value: initial, autocompleters: ["variables", "foedusClass", "foedusProperty", "foedusResource"], persistenceId: null },
    yasr: { prefixes: config.prefixes, persistenceId: null }
  });
  var tab = yasgui.getTab();
  tab.setQuery(initial);
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var ex = examples[button.dataset.name];
      var current = yasgui.getTab();
      current.setQuery(ex.query);
      current.getYasqe().focus();
      document.getElementById("yasgui").dataset.example = ex.name;
    });
  });
  // Our IRIs in the results open here (the local page), not at the canonical w3id.org address.
  document.getElementById("yasgui").addEventListener("click", function (event) {
    var a = event.target.closest ? event.target.closest("a[href]") : null;
    if (a && a.href.indexOf(config.iriBase) === 0) {
      a.href = config.localBase + a.href.slice(config.iriBase.length);
      a.removeAttribute("target");
    }
  }, true);
  window.foedusYasgui = yasgui;
})();
