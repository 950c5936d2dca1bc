// Membership timelines (vis-timeline): every element with class "timeline" and a data-src JSON URL gets one.
(function () {
  "use strict";
  function link(text, href) {
    var a = document.createElement("a");
    a.href = href; a.textContent = text;
    return a;
  }
  function draw(el) {
    fetch(el.dataset.src, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status + " " + r.statusText); } return r.json(); })
      .then(function (data) {
        var title = document.getElementById("timeline-title");
        if (title) {
          title.textContent = "";
          title.appendChild(link(data.label, data.href));
          title.appendChild(document.createTextNode(
            data.kind === "alliance" ? ": members over time (" + data.groups.length + " members)"
                                     : ": alliances over time (" + data.groups.length + " alliances)"));
        }
        if (!data.items.length) { el.textContent = "No dated membership spells."; el.dataset.ready = "1"; return; }
        var groups = new vis.DataSet(data.groups.map(function (g) {
          return { id: g.id, content: link(g.content, g.href), order: g.order };
        }));
        var items = new vis.DataSet(data.items.map(function (i) {
          return { id: i.id, group: i.group, start: i.start, end: i.end, content: i.source,
                   className: i.className + (i.open ? " open" : ""), title: i.title, type: "range" };
        }));
        var first = data.items.reduce(function (m, i) { return i.start < m ? i.start : m; }, data.items[0].start);
        var last = data.items.reduce(function (m, i) { return i.end > m ? i.end : m; }, data.items[0].end);
        var span = Date.parse(last) - Date.parse(first);
        var options = { stack: true, groupOrder: "order", orientation: "top", zoomKey: "ctrlKey",
                        margin: { item: { horizontal: 0, vertical: 2 } }, tooltip: { followMouse: true },
                        start: new Date(Date.parse(first) - span * 0.03), end: new Date(Date.parse(last) + span * 0.03) };
        if (!el.classList.contains("big")) { options.maxHeight = 520; }
        var tl = new vis.Timeline(el, items, groups, options);
        tl.on("changed", function () { el.dataset.ready = "1"; });
        el.dataset.ready = "1";
        el.setAttribute("aria-label", el.getAttribute("aria-label") + ": " + data.label);
      })
      .catch(function (err) { el.textContent = "Could not load the timeline: " + err.message; el.dataset.error = "1"; });
  }
  document.querySelectorAll(".timeline[data-src]").forEach(draw);
})();
