// World maps drawn from world-atlas's country shapes (TopoJSON) with d3-geo: the /map page (#world-map, points
// from its data-src JSON) and the small maps of resource pages (.mini-map, points in data-points). No tiles.
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var script = document.currentScript;
  var atlasUrl = script && script.dataset.atlas;
  var atlas = null;

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function getJson(url) {
    return fetch(url, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status + " " + r.statusText); } return r.json(); });
  }
  function countries(url) {
    if (!atlas) { atlas = getJson(url).then(function (world) { return topojson.feature(world, world.objects.countries); }); }
    return atlas;
  }
  // The world (sphere, graticule, countries) into an <svg>, projected by `projection`.
  function drawWorld(svg, projection, land) {
    var path = d3.geoPath(projection);
    el("path", { d: path({ type: "Sphere" }), "class": "sphere" }, svg);
    el("path", { d: path(d3.geoGraticule10()), "class": "graticule" }, svg);
    var g = el("g", { "class": "countries" }, svg);
    land.features.forEach(function (f) {
      var p = el("path", { d: path(f) || "", "class": "country" }, g);
      el("title", {}, p).textContent = (f.properties && f.properties.name) || "";
    });
    return path;
  }
  // One linked point: <a href><circle><title/></circle></a>, drawn only when the projection shows it.
  function point(layer, projection, p, r, cls, title) {
    var xy = projection([p.lon, p.lat]);
    if (!xy || !isFinite(xy[0])) { return null; }
    var a = el("a", { href: p.href, "class": "pt-link" }, layer);
    var c = el("circle", { cx: xy[0].toFixed(1), cy: xy[1].toFixed(1), r: r, "class": "pt " + cls }, a);
    el("title", {}, c).textContent = title;
    return a;
  }
  function exerciseTitle(e) {
    return e.label + " (" + e.start + (e.end && e.end !== e.start ? " – " + e.end : "") + ")" +
      (e.place ? ", " + e.place : "") + (e.participants ? "; " + e.participants + " participants" : "") +
      (e.seriesLabel ? "; series " + e.seriesLabel : "") + " [" + e.source + "]";
  }
  function baseTitle(b) {
    return b.label + (b.hostLabel ? ", " + b.hostLabel : "") + (b.kinds.length ? " (" + b.kinds.join(", ") + ")" : "") +
      " [" + b.source + "]";
  }
  // Wheel to zoom, drag to pan, by the SVG's viewBox (a click without a drag still follows a point's link).
  function zoomable(svg, width, height) {
    var box = [0, 0, width, height], start = null, moved = false;
    function set() { svg.setAttribute("viewBox", box.map(function (v) { return v.toFixed(1); }).join(" ")); }
    svg.addEventListener("wheel", function (ev) {
      ev.preventDefault();
      var rect = svg.getBoundingClientRect(), k = ev.deltaY < 0 ? 0.8 : 1.25;
      var w = Math.min(width, Math.max(width / 16, box[2] * k)), h = w * height / width;
      var fx = (ev.clientX - rect.left) / rect.width, fy = (ev.clientY - rect.top) / rect.height;
      box = [box[0] + (box[2] - w) * fx, box[1] + (box[3] - h) * fy, w, h];
      set();
    }, { passive: false });
    svg.addEventListener("pointerdown", function (ev) { start = [ev.clientX, ev.clientY, box[0], box[1]]; moved = false; });
    svg.addEventListener("pointermove", function (ev) {
      if (!start) { return; }
      var rect = svg.getBoundingClientRect(), dx = ev.clientX - start[0], dy = ev.clientY - start[1];
      if (Math.abs(dx) + Math.abs(dy) > 4) { moved = true; }
      if (moved) { box[0] = start[2] - dx * box[2] / rect.width; box[1] = start[3] - dy * box[3] / rect.height; set(); }
    });
    window.addEventListener("pointerup", function () { start = null; });
    svg.addEventListener("click", function (ev) { if (moved) { ev.preventDefault(); moved = false; } }, true);
  }
  function listTable(caption, heads, rows) {
    var table = document.createElement("table"), cap = document.createElement("caption"), tr = document.createElement("tr");
    table.className = "data";
    cap.textContent = caption; table.appendChild(cap);
    heads.forEach(function (h) { var th = document.createElement("th"); th.scope = "col"; th.textContent = h; tr.appendChild(th); });
    table.appendChild(document.createElement("thead")).appendChild(tr);
    var body = table.appendChild(document.createElement("tbody"));
    rows.forEach(function (cells) {
      var row = body.insertRow();
      cells.forEach(function (c) {
        var td = row.insertCell();
        if (c && c.href) { var a = document.createElement("a"); a.href = c.href; a.textContent = c.text; td.appendChild(a); }
        else { td.textContent = c; }
      });
    });
    return table;
  }

  function bigMap(holder) {
    var summary = document.getElementById("map-summary");
    var width = 960, height = 500;
    getJson(holder.dataset.src).then(function (data) {
      return countries(data.atlas).then(function (land) {
        var svg = el("svg", { viewBox: "0 0 " + width + " " + height, "class": "map-svg", "aria-hidden": "false" });
        var projection = d3.geoNaturalEarth1().fitExtent([[4, 4], [width - 4, height - 4]], { type: "Sphere" });
        drawWorld(svg, projection, land);
        var layers = {
          bases: el("g", { "class": "layer layer-bases", "data-layer": "bases" }, svg),
          exercises: el("g", { "class": "layer layer-exercises", "data-layer": "exercises" }, svg)
        };
        data.bases.forEach(function (b) { point(layers.bases, projection, b, 2.6, "pt-base", baseTitle(b)); });
        data.exercises.forEach(function (e) { point(layers.exercises, projection, e, 3.6, "pt-exercise", exerciseTitle(e)); });
        holder.appendChild(svg);
        zoomable(svg, width, height);
        var what = data.series ? "editions of " + data.seriesLabel + (data.year ? " begun in " + data.year : "")
                               : data.year ? "joint exercises begun in " + data.year : "located joint exercises";
        var bySource = Object.keys(data.counts.exercisesBySource).map(function (k) { return k + ": " + data.counts.exercisesBySource[k]; });
        var parts = [];
        if (data.layers.indexOf("exercises") >= 0) { parts.push(data.counts.exercises + " " + what + (bySource.length ? " (" + bySource.join(", ") + ")" : "")); }
        if (data.layers.indexOf("bases") >= 0) { parts.push(data.counts.bases + " US bases and sites abroad"); }
        summary.textContent = parts.join("; ") + ". Scroll to zoom, drag to move.";
        var list = document.getElementById("map-list");
        if (list) {
          if (data.exercises.length) {
            list.appendChild(listTable("Joint exercises", ["Exercise", "From", "To", "Place", "Participants", "Source"],
              data.exercises.map(function (e) { return [{ href: e.href, text: e.label }, e.start, e.end, e.place, e.participants, e.source]; })));
          }
          if (data.bases.length) {
            list.appendChild(listTable("US bases and sites abroad", ["Site", "Host", "Kind", "Source"],
              data.bases.map(function (b) { return [{ href: b.href, text: b.label }, b.hostLabel ? { href: b.hostHref, text: b.hostLabel } : "", b.kinds.join(", "), b.source]; })));
          }
        }
        document.querySelectorAll("input[data-layer]").forEach(function (box) {
          function apply() { layers[box.dataset.layer].style.display = box.checked ? "" : "none"; }
          box.addEventListener("change", apply);
          if (data.layers.indexOf(box.dataset.layer) >= 0) { apply(); }
        });
        holder.dataset.ready = "1";
        window.foedusMap = data;
      });
    }).catch(function (err) { summary.textContent = "Could not load the map: " + err.message; holder.dataset.error = "1"; });
  }

  function miniMap(holder) {
    var points = JSON.parse(holder.dataset.points || "[]");
    if (!points.length) { return; }
    var size = 280;
    var lon = points.reduce(function (s, p) { return s + p.lon; }, 0) / points.length;
    var lat = points.reduce(function (s, p) { return s + p.lat; }, 0) / points.length;
    countries(atlasUrl).then(function (land) {
      var svg = el("svg", { viewBox: "0 0 " + size + " " + size, "class": "map-svg" });
      var projection = d3.geoOrthographic().rotate([-lon, -lat]).fitExtent([[6, 6], [size - 6, size - 6]], { type: "Sphere" });
      // Zoom in as far as the points allow (a point at angle t from the centre lies at radius R sin t), at most 3x.
      var spread = points.reduce(function (m, p) { return Math.max(m, d3.geoDistance([lon, lat], [p.lon, p.lat])); }, 0);
      var zoom = Math.max(1, Math.min(3, spread > 0 ? 0.8 / Math.sin(Math.min(spread, Math.PI / 2)) : 3));
      projection.scale(projection.scale() * zoom);
      drawWorld(svg, projection, land);
      var layer = el("g", { "class": "layer" }, svg);
      points.forEach(function (p) {
        point(layer, projection, p, points.length > 1 ? 3.5 : 5, "pt-exercise pt-here", p.label || "here");
      });
      holder.appendChild(svg);
      holder.dataset.ready = "1";
    }).catch(function (err) { holder.textContent = "Could not draw the map: " + err.message; holder.dataset.error = "1"; });
  }

  var big = document.getElementById("world-map");
  if (big) { bigMap(big); }
  document.querySelectorAll(".mini-map[data-points]").forEach(miniMap);
})();
