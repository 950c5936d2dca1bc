// The "Try it" form of /reconcile/docs: the names typed go to /reconcile as one batch, as a client sends them,
// and the best candidate of each is shown with its score, its match flag and the service's preview.
(function () {
  "use strict";
  var form = document.getElementById("reconcile-try");
  if (!form) { return; }
  var out = document.getElementById("reconcile-out");
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var names = document.getElementById("reconcile-names").value.split("\n")
      .map(function (s) { return s.trim(); }).filter(Boolean);
    var type = document.getElementById("reconcile-type").value;
    var year = document.getElementById("reconcile-year").value.trim();
    var queries = {};
    names.forEach(function (name, i) {
      queries["q" + i] = { query: name, type: type, limit: 3 };
      if (year) { queries["q" + i].properties = [{ pid: "year", v: year }]; }
    });
    var body = new URLSearchParams();
    body.set("queries", JSON.stringify(queries));
    fetch(form.dataset.service || "../reconcile", { method: "POST", body: body })
      .then(function (r) { return r.json(); })
      .then(function (answer) {
        var tbody = out.querySelector("tbody");
        tbody.textContent = "";
        names.forEach(function (name, i) {
          var best = (answer["q" + i] || { result: [] }).result[0];
          var tr = document.createElement("tr");
          function cell(text) { var td = document.createElement("td"); td.textContent = text; tr.appendChild(td); return td; }
          cell(name);
          cell(best ? best.name + " (" + best.id + "): " + best.description : "no candidate");
          cell(best ? String(best.score) : "");
          cell(best ? (best.match ? "match" : "not sure") : "");
          var td = cell("");
          if (best) {
            var frame = document.createElement("iframe");
            frame.title = "preview of " + best.name;
            frame.src = "preview?id=" + encodeURIComponent(best.id);
            frame.width = "420"; frame.height = "180";
            td.appendChild(frame);
          }
          tbody.appendChild(tr);
        });
        out.hidden = false;
        out.dataset.ready = "1";
      });
  });
}());
