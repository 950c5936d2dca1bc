// The alliance network of one year (vis-network): states as nodes, alliance ties as edges coloured by obligation.
(function () {
  "use strict";
  var el = document.getElementById("network");
  var summary = document.getElementById("network-summary");
  if (!el) { return; }
  fetch(el.dataset.src, { headers: { Accept: "application/json" } })
    .then(function (r) { if (!r.ok) { throw new Error(r.status + " " + r.statusText); } return r.json(); })
    .then(function (data) {
      summary.textContent = data.nodes.length + " states, " + data.edges.length + " alliance ties, " +
        data.alliances + " alliances in force during " + data.year + (data.graph ? " (source: " + data.graph + ")" : "") + ".";
      var hrefs = {};
      var nodes = new vis.DataSet(data.nodes.map(function (n) {
        hrefs[n.id] = n.href;
        return { id: n.id, label: n.label, value: n.value, title: n.label + ": " + n.value + " allies" };
      }));
      var edges = new vis.DataSet(data.edges.map(function (e, i) {
        return { id: i, from: e.from, to: e.to, color: { color: e.color, opacity: 0.55 }, width: e.width, title: e.title };
      }));
      var network = new vis.Network(el, { nodes: nodes, edges: edges }, {
        nodes: { shape: "dot", scaling: { min: 6, max: 28, label: { enabled: true, min: 11, max: 20 } },
                 color: { background: "#dbe7f3", border: "#0b5cad" }, font: { face: "system-ui" } },
        edges: { smooth: false, selectionWidth: 2 },
        physics: { solver: "forceAtlas2Based", stabilization: { iterations: 250, updateInterval: 50 },
                   forceAtlas2Based: { gravitationalConstant: -60, springLength: 120 } },
        interaction: { hover: true, tooltipDelay: 150, keyboard: true }
      });
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({ physics: false });
        el.dataset.ready = "1";
      });
      if (!data.nodes.length) { el.dataset.ready = "1"; }
      var list = document.getElementById("network-list");
      if (list) {
        data.nodes.slice().sort(function (x, y) { return y.value - x.value || x.label.localeCompare(y.label); })
          .forEach(function (n) {
            var li = document.createElement("li"), a = document.createElement("a");
            a.href = n.href; a.textContent = n.label;
            li.appendChild(a); li.appendChild(document.createTextNode(": " + n.value + " allies"));
            list.appendChild(li);
          });
      }
      network.on("doubleClick", function (params) { if (params.nodes.length) { window.location = hrefs[params.nodes[0]]; } });
      network.on("click", function (params) { if (params.nodes.length && params.event.srcEvent.ctrlKey) { window.open(hrefs[params.nodes[0]]); } });
      network.on("selectNode", function (params) {
        var id = params.nodes[0];
        summary.textContent = "";
        var a = document.createElement("a");
        a.href = hrefs[id]; a.textContent = nodes.get(id).label;
        summary.appendChild(a);
        summary.appendChild(document.createTextNode(": " + network.getConnectedNodes(id).length + " allies in " + data.year + " (double-click to open)."));
      });
      window.foedusNetwork = network;
    })
    .catch(function (err) { summary.textContent = "Could not load the network: " + err.message; el.dataset.error = "1"; });
})();
