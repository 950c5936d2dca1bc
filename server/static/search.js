// Autocompletion for every search box marked data-suggest: the label index through /search?format=json.
// A list of suggestions under the box (arrow keys move, Enter opens the chosen one, Escape closes); without a
// choice the form submits to /search as usual.
(function () {
  "use strict";
  var action = null;

  function attach(input) {
    var form = input.form;
    action = action || form.getAttribute("action");
    var list = document.createElement("ul");
    list.className = "suggestions";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    form.appendChild(list);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    var timer = null, asked = "", active = -1, items = [];

    function close() { list.hidden = true; input.setAttribute("aria-expanded", "false"); active = -1; }
    function mark() {
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === active ? "true" : "false");
      });
    }
    function show(results) {
      list.textContent = "";
      items = results;
      results.forEach(function (r, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + i;
        var a = document.createElement("a");
        a.href = r.href;
        a.textContent = r.name;
        li.appendChild(a);
        var small = document.createElement("small");
        small.textContent = " " + r.kind + (r.period ? " · " + r.period : "") +
          (r.matched !== r.name ? " · “" + r.matched + "”" : "");
        li.appendChild(small);
        list.appendChild(li);
      });
      list.hidden = !results.length;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }
    function ask() {
      var q = input.value.trim();
      if (q === asked) { return; }
      asked = q;
      if (!q) { show([]); return; }
      fetch(action + "?format=json&limit=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (body) { if (asked === q) { show(body.results || []); } })
        .catch(function () { show([]); });
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 120); });
    input.addEventListener("keydown", function (ev) {
      if (list.hidden) { return; }
      if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
        ev.preventDefault();
        active = (active + (ev.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
        mark();
        input.setAttribute("aria-activedescendant", list.id + "-" + active);
      } else if (ev.key === "Enter" && active >= 0) {
        ev.preventDefault();
        window.location.href = items[active].href;
      } else if (ev.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }

  document.querySelectorAll("input[data-suggest]").forEach(attach);
}());
