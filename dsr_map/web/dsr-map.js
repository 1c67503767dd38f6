/* DSR Map in the browser: one renderer for the Streamlit component and the standalone HTML export.
 *
 * Country shapes (TopoJSON) and project details arrive once (as files, or inline in an export); each
 * update brings only what changes: which projects are selected (a bit mask), counts per country,
 * standards ties, the view to fit and the year. Popups and tooltips are built here, on demand, by the
 * template functions below: every value from data passes through esc(), and links are made only for
 * http(s) addresses.
 */
(function (root) {
  "use strict";

  // ------------------------------------------------------------------ escaping and templates
  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "`": "&#96;" };

  function esc(value) {
    if (value === null || value === undefined) return "";
    return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c]);
  }

  function safeUrl(value) {
    const text = String(value || "").trim();
    if (!text || /[\s\u0000-\u001f]/.test(text)) return null;
    try {
      const url = new URL(text);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  function link(url, label) {
    const href = safeUrl(url);
    const text = esc(label || url);
    return href ? `<a href="${esc(href)}" target="_blank" rel="noopener noreferrer nofollow">${text}</a>` : text;
  }

  function number(n) {
    return Number(n).toLocaleString("en-US");
  }

  function money(value) {
    if (value === null || value === undefined || !isFinite(value)) return "";
    if (value >= 1e9) return `US$${(value / 1e9).toFixed(2)} bn`;
    if (value >= 1e6) return `US$${(value / 1e6).toFixed(1)} m`;
    return `US$${number(Math.round(value))}`;
  }

  function plural(n, word) {
    return `${number(n)} ${word}${n === 1 ? "" : "s"}`;
  }

  // A project as an object, from a columnar table (bundled details or an upload).
  function record(table, i) {
    const r = table.rows;
    const pick = (name) => (r[name] ? r[name][i] : null);
    return {
      id: pick("id"), name: pick("name"), city: pick("city"), country: pick("country"), iso3: pick("iso3"),
      categories: (pick("cats") || []).map((k) => table.categories[k]),
      type: pick("type"), scale: pick("scale"),
      vendors: (pick("vendors") || []).map((k) => table.vendors[k]),
      year: pick("year"), status: pick("status"), statusAsOf: pick("as_of"), value: pick("value"),
      client: pick("client"), financing: pick("financing"), certainty: pick("certainty"),
      description: pick("description"), origin: pick("origin"),
      sources: (pick("sources") || []).map((k) => ({
        publisher: table.sources.publisher[k], title: table.sources.title[k], url: table.sources.url[k],
      })),
      events: (pick("events") || []).map((e) => ({ date: e[0], label: table.event_labels[e[1]], text: e[2], read: !!e[4] })),
      changes: pick("changes") || [],
    };
  }

  // The state a project had at the end of `year` (its recorded status when there is no year).
  function statusAt(p, year) {
    if (year === null || year === undefined || !p.changes.length) {
      return { status: p.status, asOf: p.statusAsOf };
    }
    let found = null;
    for (const [date, status] of p.changes) {
      if (Number(String(date).slice(0, 4)) <= year) found = { status, asOf: date };
    }
    return found || { status: "not yet started", asOf: "" };
  }

  function tooltipHtml(p) {
    const year = p.year ? ` (${esc(p.year)})` : "";
    return `<b>${esc(p.name)}</b><br>${esc(p.vendors.join(", "))}${year}`;
  }

  function popupHtml(p, year) {
    const state = statusAt(p, year);
    const statusText = state.status + (state.asOf ? ` (as of ${state.asOf})` : "");
    const fields = [
      ["Place", p.city], ["Country", p.country], ["Companies", p.vendors.join(", ")],
      ["Categories", p.categories.join(", ")], ["Type", p.type], ["Scale", p.scale],
      ["First event", p.year], [year ? `Status, end of ${year}` : "Status", statusText],
      ["Certainty", p.certainty], ["Value", money(p.value)], ["Client", p.client], ["Financing", p.financing],
    ];
    const rows = fields.filter(([, v]) => v !== null && v !== undefined && v !== "")
      .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join("");
    const events = p.events.map((e) => `<li><span class="dsr-date">${esc(e.date)}${e.read ? " (read; undated page)" : ""}</span> ${esc(e.label)}` +
      (e.text ? `: ${esc(e.text)}` : "") + "</li>").join("");
    const sources = p.sources.map((s) => `<li>${link(s.url, s.title || s.url)}` +
      (s.publisher ? ` <span class="dsr-pub">(${esc(s.publisher)})</span>` : "") + "</li>").join("");
    return `<div class="dsr-popup"><h4>${esc(p.name)}</h4>` +
      `<div class="dsr-pid">${esc(p.id)} · ${esc(p.origin)}</div>` +
      `<table>${rows}</table>` + (p.description ? `<p>${esc(p.description)}</p>` : "") +
      (events ? `<b>Timeline</b><ol class="dsr-timeline">${events}</ol>` : "") +
      `<b>Sources</b><ol class="dsr-sources">${sources || "<li>none given</li>"}</ol></div>`;
  }

  function clusterListHtml(items) {
    const lines = items.map((it) => `<li><a href="#" data-dsr-open="${esc(it.key)}">${esc(it.name)}</a>` +
      ` <span class="dsr-pub">${esc(it.vendors)}</span></li>`).join("");
    return `<div class="dsr-popup"><h4>${plural(items.length, "project")} here</h4><ol>${lines}</ol></div>`;
  }

  function countryTooltipHtml(name, count, label, ties) {
    let text = `<b>${esc(name)}</b><br>${plural(count || 0, "project")} ${esc(label)}`;
    if (ties && ties.length) text += `<br>Standards ties: ${esc(ties.join(", "))}`;
    return text;
  }

  // ------------------------------------------------------------------ small helpers
  function decodeBits(b64, size) {
    const out = new Uint8Array(size);
    if (!b64) return out;
    const raw = atob(b64);
    for (let i = 0; i < size; i++) out[i] = (raw.charCodeAt(i >> 3) >> (i & 7)) & 1;
    return out;
  }

  function wrapLng(lng, centre) {
    return ((((lng - centre + 180) % 360) + 360) % 360) + centre - 180;
  }

  function wrapRings(geometry, centre) {
    if (!geometry) return null;
    // Shift each polygon by whole turns so its first ring's mean longitude lies within centre +-180:
    // a polygon is never cut, so countries near the seam stay whole.
    const shiftPolygon = (polygon) => {
      const ring = polygon[0];
      let mean = 0;
      for (const pt of ring) mean += pt[0];
      mean /= ring.length;
      const offset = wrapLng(mean, centre) - mean;
      return offset === 0 ? polygon : polygon.map((r) => r.map((pt) => [pt[0] + offset, pt[1]]));
    };
    if (geometry.type === "Polygon") return { type: "Polygon", coordinates: shiftPolygon(geometry.coordinates) };
    if (geometry.type === "MultiPolygon") {
      return { type: "MultiPolygon", coordinates: geometry.coordinates.map(shiftPolygon) };
    }
    return geometry;
  }

  function donutSvg(counts, colours, total, dark) {
    const size = total < 10 ? 28 : total < 100 ? 34 : 40;
    const r = size / 2 - 2;
    const inner = r - 6;
    const c = size / 2;
    let angle = -Math.PI / 2;
    let arcs = "";
    const sum = counts.reduce((a, b) => a + b, 0) || 1;
    counts.forEach((n, k) => {
      if (!n) return;
      const sweep = (n / sum) * Math.PI * 2;
      if (n === sum) {
        arcs += `<circle cx="${c}" cy="${c}" r="${r - 3}" fill="none" stroke="${colours[k]}" stroke-width="6"/>`;
        return;
      }
      const a0 = angle;
      const a1 = angle + sweep;
      const large = sweep > Math.PI ? 1 : 0;
      const p = (a, rad) => `${(c + rad * Math.cos(a)).toFixed(2)},${(c + rad * Math.sin(a)).toFixed(2)}`;
      arcs += `<path d="M${p(a0, r)}A${r},${r} 0 ${large} 1 ${p(a1, r)}L${p(a1, inner)}A${inner},${inner} 0 ${large} 0 ${p(a0, inner)}Z" fill="${colours[k]}"/>`;
      angle = a1;
    });
    const fill = dark ? "#000" : "#fff";
    const ink = dark ? "#fff" : "#222";
    const font = total < 1000 ? 11 : 9;
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">` +
      `<circle cx="${c}" cy="${c}" r="${r}" fill="${fill}" fill-opacity="0.9" stroke="#555" stroke-width="0.5"/>` + arcs +
      `<circle cx="${c}" cy="${c}" r="${inner}" fill="${fill}"/>` +
      `<text x="${c}" y="${c}" dy="0.35em" text-anchor="middle" font-size="${font}" font-weight="600" fill="${ink}" ` +
      `font-family="system-ui,sans-serif">${esc(total)}</text></svg>`;
  }

  const HATCH_DEFS = '<defs>' +
    '<pattern id="dsr-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">' +
    '<rect width="6" height="6" fill="none"/><line x1="0" y1="0" x2="0" y2="6" stroke="#0b3d2e" stroke-width="1.6"/></pattern>' +
    '<pattern id="dsr-hatch-light" patternUnits="userSpaceOnUse" width="9" height="9" patternTransform="rotate(-45)">' +
    '<line x1="0" y1="0" x2="0" y2="9" stroke="#0b3d2e" stroke-width="0.9" stroke-dasharray="2,2"/></pattern></defs>';

  // ------------------------------------------------------------------ the map
  class DsrMap {
    constructor(element, options) {
      const L = root.L;
      this.options = options || {};
      this.element = element;
      this.palette = this.options.palette;
      this.map = L.map(element, {
        zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 0, maxZoom: 18, worldCopyJump: false, attributionControl: true,
      });
      this.map.attributionControl.setPrefix("");
      const tiesPane = this.map.createPane("dsrTies");
      tiesPane.style.zIndex = 420;
      tiesPane.style.pointerEvents = "none";
      this.map.createPane("dsrPoints").style.zIndex = 610;
      this.pointRenderer = L.canvas({ pane: "dsrPoints", padding: 0.3 });
      this.centre = 0;
      this.counts = {};
      this.countLabel = "in view";
      this.ties = {};
      this.tieKinds = [];
      this.tiesVia = {};
      this.year = null;
      this.details = null;
      this.upload = null;
      this.selected = new Uint8Array(0);
      this.selectedUpload = new Uint8Array(0);
      this.showPoints = true;
      this.lastFit = "";
      this.clusterLayer = L.layerGroup().addTo(this.map);
      this.tiesLayer = null;
      this.countryLayer = null;
      this.onCountry = null;
      this._addControls();
      this.map.on("moveend", () => this.drawPoints());
      this.map.on("popupopen", (event) => this._wireClusterList(event.popup));
      this.map.fitBounds([[-58, -180], [84, 180]]);
    }

    _addControls() {
      const L = root.L;
      const self = this;
      const Legend = L.Control.extend({
        onAdd() {
          const div = L.DomUtil.create("div", "dsr-legend");
          L.DomEvent.disableClickPropagation(div);
          L.DomEvent.disableScrollPropagation(div);
          self.legendElement = div;
          return div;
        },
      });
      new Legend({ position: "bottomleft" }).addTo(this.map);
      const Toggles = L.Control.extend({
        onAdd() {
          const div = L.DomUtil.create("div", "dsr-toggles leaflet-bar");
          div.innerHTML = '<label><input type="checkbox" checked data-dsr="points"> Project points</label>';
          L.DomEvent.disableClickPropagation(div);
          div.querySelector("input").addEventListener("change", (e) => {
            self.showPoints = e.target.checked;
            self.drawPoints();
          });
          return div;
        },
      });
      new Toggles({ position: "topright" }).addTo(this.map);
      const Player = L.Control.extend({
        onAdd() {
          const div = L.DomUtil.create("div", "dsr-player leaflet-bar");
          L.DomEvent.disableClickPropagation(div);
          self.playerElement = div;
          div.style.display = "none";
          return div;
        },
      });
      new Player({ position: "bottomright" }).addTo(this.map);
    }

    // ---------------------------------------------------------------- data that arrives once
    setShapes(shapes, names) {
      if (shapes.type === "Topology") {
        const object = shapes.objects[Object.keys(shapes.objects)[0]];
        this.shapes = root.topojson.feature(shapes, object).features;
      } else {
        this.shapes = shapes.features;
      }
      this.countryNames = names || {};
      this._drawCountries();
    }

    _drawCountries() {
      const L = root.L;
      if (!this.shapes) return;
      if (this.countryLayer) this.countryLayer.remove();
      const centre = this.centre;
      const features = this.shapes.filter((f) => f.geometry).map((f) => ({
        type: "Feature", properties: f.properties || {}, id: f.id, geometry: wrapRings(f.geometry, centre),
      }));
      this.countryLayer = L.geoJSON(features, {
        style: (f) => this._countryStyle(this._iso(f)),
        onEachFeature: (f, layer) => {
          const iso3 = this._iso(f);
          layer.bindTooltip(() => countryTooltipHtml(this.countryNames[iso3] || iso3, this.counts[iso3] || 0,
            this.countLabel, (this.ties[iso3] || []).map((k) => this.tieKinds[k])),
          { sticky: true, direction: "auto", className: "dsr-tip" });
          layer.on("mouseover", () => layer.setStyle({ weight: 2, color: "#333" }));
          layer.on("mouseout", () => layer.setStyle({ weight: 0.5, color: this.palette.border }));
          layer.on("click", () => { if (this.onCountry) this.onCountry(iso3); });
        },
      }).addTo(this.map);
      this.countryLayer.bringToBack();
      this._drawTies();
    }

    _iso(feature) {
      return (feature.properties && feature.properties.iso3) || feature.id;
    }

    _countryStyle(iso3) {
      const n = this.counts[iso3] || 0;
      const bins = this.palette.class_bins;
      let k = 0;
      while (k < bins.length && n > bins[k]) k++;
      return {
        fillColor: this.palette.class_colours[Math.min(k, this.palette.class_colours.length - 1)],
        color: this.palette.border, weight: 0.5, fillOpacity: 0.9,
      };
    }

    setDetails(details) {
      this.details = details;
      this._rebuildIndex();
    }

    setUpload(upload) {
      this.upload = upload;
      this._rebuildIndex();
    }

    // ---------------------------------------------------------------- what changes on each update
    update(args) {
      const centre = args.centre || 0;
      if (centre !== this.centre) {
        this.centre = centre;
        this._drawCountries();
      }
      this.counts = args.counts || {};
      this._fullCounts = null;
      this._shadeMask = args.shade ? decodeBits(args.shade, this.details ? this.details.rows.id.length : 0) : null;
      this.countLabel = args.count_label || "in view";
      this.ties = args.ties || {};
      this.tieKinds = args.tie_kinds || [];
      this.tiesVia = args.ties_via || {};
      this.year = args.year === undefined ? null : args.year;
      const bundledSize = this.details ? this.details.rows.id.length : 0;
      const uploadSize = this.upload ? this.upload.rows.id.length : 0;
      const sel = decodeBits(args.sel, bundledSize);
      const selUp = decodeBits(args.sel_upload, uploadSize);
      const focus = JSON.stringify(args.focus || []);
      const changed = args.sel !== this._selKey || args.sel_upload !== this._selUpKey || focus !== this._focusKey;
      this._focusKey = focus;
      this.focus = args.focus || [];
      this._selKey = args.sel;
      this._selUpKey = args.sel_upload;
      this.selected = sel;
      this.selectedUpload = selUp;
      if (changed) this._rebuildIndex();
      if (this.countryLayer) this.countryLayer.eachLayer((layer) => layer.setStyle(this._countryStyle(this._iso(layer.feature))));
      this._drawTies();
      this._drawLegend(args.legend || {});
      this._setPlayer(args.play || null);
      const fit = JSON.stringify(args.fit || null);
      if (args.fit && fit !== this.lastFit) {
        this.lastFit = fit;
        this.map.fitBounds(args.fit, { padding: [8, 8] });
      }
      this.drawPoints();
    }

    _drawTies() {
      const L = root.L;
      if (this.tiesLayer) { this.tiesLayer.remove(); this.tiesLayer = null; }
      if (!this.shapes || !Object.keys(this.ties).length) return;
      const centre = this.centre;
      const features = this.shapes.filter((f) => f.geometry && this.ties[this._iso(f)]).map((f) => ({
        type: "Feature", properties: { iso3: this._iso(f) }, geometry: wrapRings(f.geometry, centre),
      }));
      this.tiesLayer = L.geoJSON(features, {
        pane: "dsrTies", interactive: false,
        style: (f) => {
          const direct = !this.tiesVia[f.properties.iso3];
          return { fillColor: direct ? "url(#dsr-hatch)" : "url(#dsr-hatch-light)", fillOpacity: 1,
            color: "#0b3d2e", weight: direct ? 1.2 : 0.8, dashArray: direct ? null : "3,3" };
        },
      }).addTo(this.map);
      const svg = this.map.getPane("dsrTies").querySelector("svg");
      if (svg && !svg.querySelector("#dsr-hatch")) svg.insertAdjacentHTML("afterbegin", HATCH_DEFS);
    }

    _rebuildIndex() {
      const categories = this.palette.categories.length;
      const points = (table, selected, source) => {
        const out = [];
        if (!table) return out;
        const rows = table.rows;
        for (let i = 0; i < rows.id.length; i++) {
          if (!selected[i] || rows.lat[i] === null || rows.lon[i] === null) continue;
          const names = (rows.cats[i] || []).map((c) => table.categories[c]);
          const chosen = names.filter((name) => this.focus && this.focus.includes(name));
          const shown = chosen.length ? chosen[0] : names[0];
          const k = shown === undefined ? categories : this.palette.category_index[shown];
          out.push({ type: "Feature", geometry: { type: "Point", coordinates: [rows.lon[i], rows.lat[i]] },
            properties: { i, k: k === undefined ? categories : k, s: source, y: rows.exists ? rows.exists[i] : null } });
        }
        return out;
      };
      this.bundledPoints = points(this.details, this.selected, 0);
      this.uploadPoints = points(this.upload, this.selectedUpload, 1);
      this._loadIndexes();
    }

    _loadIndexes() {
      const Supercluster = root.Supercluster;
      const categories = this.palette.categories.length;
      const make = () => new Supercluster({
        radius: 44, maxZoom: 16, minPoints: 2,
        map: (p) => { const c = new Array(categories + 1).fill(0); c[p.k] = 1; return { c }; },
        reduce: (acc, p) => { for (let i = 0; i < acc.c.length; i++) acc.c[i] += p.c[i]; },
      });
      const year = this.playYear;
      const keep = (f) => year === null || year === undefined || f.properties.y === null || f.properties.y <= year;
      this.bundledIndex = make().load(this.bundledPoints.filter(keep));
      this.uploadIndex = make().load(this.uploadPoints.filter(keep));
    }

    drawPoints() {
      const L = root.L;
      this.clusterLayer.clearLayers();
      if (!this.showPoints || !this.bundledIndex || !this.uploadIndex) return;
      const bounds = this.map.getBounds();
      const zoom = Math.round(this.map.getZoom());
      let west = bounds.getWest();
      let east = bounds.getEast();
      let box;
      if (east - west >= 360) box = [-180, bounds.getSouth(), 180, bounds.getNorth()];
      else box = [wrapLng(west, 0), bounds.getSouth(), wrapLng(east, 0), bounds.getNorth()];
      const colours = this.palette.categories.map((name) => this.palette.category_colours[name]).concat([this.palette.other]);
      for (const [index, table, dark] of [[this.bundledIndex, this.details, false], [this.uploadIndex, this.upload, true]]) {
        if (!index || !table) continue;
        for (const f of index.getClusters(box, zoom)) {
          const [lng, lat] = f.geometry.coordinates;
          const at = [lat, wrapLng(lng, this.centre)];
          if (f.properties.cluster) {
            const total = f.properties.point_count;
            const counts = dark ? [0, 0, 0, 0, 0, 0, 0, total] : f.properties.c;
            const ringColours = dark ? colours.map(() => this.palette.upload) : colours;
            const icon = L.divIcon({ html: donutSvg(counts, ringColours, total, dark), className: "dsr-cluster",
              iconSize: null });
            const marker = L.marker(at, { icon, keyboard: true, title: `${total} projects`, riseOnHover: true });
            marker.on("click", () => this._openCluster(index, table, f, at, dark));
            marker.addTo(this.clusterLayer);
          } else {
            const i = f.properties.i;
            const colour = dark ? this.palette.upload : colours[f.properties.k];
            const marker = L.circleMarker(at, {
              renderer: this.pointRenderer, radius: dark ? 7 : 6.5, color: "#ffffff", weight: dark ? 2.5 : 1.5,
              fillColor: colour, fillOpacity: 0.95,
            });
            marker.bindTooltip(() => tooltipHtml(record(table, i)), { direction: "auto", className: "dsr-tip", offset: [0, -4] });
            marker.on("click", () => this.openProject(table, i, at));
            marker.addTo(this.clusterLayer);
          }
        }
      }
    }

    // A project's card: a popup of its own (not bound to the marker, which redraws as the map moves).
    openProject(table, i, at) {
      return root.L.popup(this._popupOptions()).setLatLng(at).setContent(popupHtml(record(table, i), this.year))
        .openOn(this.map);
    }

    _popupOptions() {
      const height = this.map.getSize().y;
      return {
        maxWidth: Math.min(360, this.map.getSize().x - 60), minWidth: Math.min(240, this.map.getSize().x - 80),
        maxHeight: Math.max(120, Math.min(380, height - 70)), autoPan: true, autoPanPadding: [12, 12],
        keepInView: true, className: "dsr-popup-wrap",
      };
    }

    _openCluster(index, table, feature, at, dark) {
      const id = feature.properties.cluster_id;
      const zoom = index.getClusterExpansionZoom(id);
      if (zoom <= 16 && zoom > this.map.getZoom()) {
        this.map.setView(at, zoom);
        return;
      }
      // Projects at the same place never separate by zooming: list them, each opens its own card.
      const leaves = index.getLeaves(id, Infinity);
      this._clusterItems = {};
      const items = leaves.map((leaf) => {
        const p = record(table, leaf.properties.i);
        const key = `${dark ? "u" : "b"}${leaf.properties.i}`;
        this._clusterItems[key] = { table, i: leaf.properties.i, at };
        return { key, name: p.name, vendors: p.vendors.join(", ") };
      });
      root.L.popup(this._popupOptions()).setLatLng(at).setContent(clusterListHtml(items)).openOn(this.map);
    }

    _wireClusterList(popup) {
      const element = popup.getElement();
      if (!element) return;
      element.querySelectorAll("[data-dsr-open]").forEach((a) => {
        a.addEventListener("click", (event) => {
          event.preventDefault();
          const item = this._clusterItems && this._clusterItems[a.getAttribute("data-dsr-open")];
          if (!item) return;
          this.openProject(item.table, item.i, item.at);
        });
      });
    }

    _drawLegend(legend) {
      if (!this.legendElement) return;
      const p = this.palette;
      const classes = p.class_labels.map((label, k) => `<span class="dsr-swatch" style="background:${p.class_colours[k]}"></span>${esc(label)}`).join("<br>");
      const shown = legend.categories && legend.categories.length ? legend.categories : p.categories;
      const cats = shown.map((name) => `<span class="dsr-dot" style="background:${p.category_colours[name]}"></span>${esc(name)}`).join("<br>");
      if (this._legendOpen === undefined) this._legendOpen = this.map.getSize().x >= 640;
      let html = `<details ${this._legendOpen ? "open" : ""}><summary>Legend</summary>` +
        `<b>${esc(legend.count_title || "Projects per country")}</b><br>${classes}` +
        `<br><b>Project category</b> (${this.focus && this.focus.length ? "first selected" : "first listed"})<br>${cats}` +
        `<br><span class="dsr-donut"></span>Cluster: ring shows the category mix, centre the count`;
      if (legend.upload) html += `<br><span class="dsr-dot dsr-upload"></span>${esc(legend.upload)}`;
      if (legend.ties) {
        html += `<br><b>Standards ties</b><br><span class="dsr-swatch dsr-hatch-key"></span>tie with China` +
          `<br><span class="dsr-swatch dsr-hatch-key-light"></span>only through a regional body`;
      }
      this.legendElement.innerHTML = html + "</details>";
      const details = this.legendElement.querySelector("details");
      details.addEventListener("toggle", () => { this._legendOpen = details.open; });
    }

    _setPlayer(play) {
      const element = this.playerElement;
      if (!element) return;
      if (!play) {
        element.style.display = "none";
        this._stop();
        if (this.playYear !== null && this.playYear !== undefined) { this.playYear = null; this._loadIndexes(); }
        return;
      }
      element.style.display = "";
      const key = `${play.from}-${play.to}`;
      if (this._playKey === key) return;
      this._playKey = key;
      element.innerHTML = `<button type="button" title="Play through the years" aria-label="Play">▶</button>` +
        `<input type="range" min="${Number(play.from)}" max="${Number(play.to)}" value="${Number(play.to)}" aria-label="Year">` +
        `<span class="dsr-year">all years</span>`;
      const button = element.querySelector("button");
      const range = element.querySelector("input");
      range.addEventListener("input", () => this._showYear(Number(range.value), play.to));
      button.addEventListener("click", () => {
        if (this._timer) { this._stop(); return; }
        let year = Number(range.value) >= play.to ? play.from : Number(range.value);
        button.textContent = "❚❚";
        const step = () => {
          range.value = String(year);
          this._showYear(year, play.to);
          year += 1;
          if (year > play.to) this._stop();
        };
        step();
        this._timer = setInterval(step, 900);
      });
    }

    _stop() {
      if (this._timer) clearInterval(this._timer);
      this._timer = null;
      if (this.playerElement) {
        const button = this.playerElement.querySelector("button");
        if (button) button.textContent = "▶";
      }
    }

    _showYear(year, last) {
      this.playYear = year >= last ? null : year;
      const label = this.playerElement.querySelector(".dsr-year");
      if (label) label.textContent = this.playYear === null ? "all years" : `by end of ${year}`;
      this._recount();
      this._loadIndexes();
      this.drawPoints();
    }

    _recount() {
      // counts per country of the current selection up to the play year (Python sent the full counts)
      if (this.playYear === null || this.playYear === undefined) {
        this.counts = this._fullCounts || this.counts;
      } else {
        if (!this._fullCounts) this._fullCounts = this.counts;
        const counts = {};
        const rows = this.details ? this.details.rows : null;
        const shade = this._shadeMask;
        if (rows) {
          for (let i = 0; i < rows.id.length; i++) {
            if (!this.selected[i] || (shade && !shade[i])) continue;
            if (rows.exists[i] !== null && rows.exists[i] > this.playYear) continue;
            counts[rows.iso3[i]] = (counts[rows.iso3[i]] || 0) + 1;
          }
        }
        this.counts = counts;
      }
      if (this.countryLayer) this.countryLayer.eachLayer((layer) => layer.setStyle(this._countryStyle(this._iso(layer.feature))));
    }
  }

  root.DSRMap = { DsrMap, esc, safeUrl, link, record, popupHtml, tooltipHtml, clusterListHtml, countryTooltipHtml,
    decodeBits, wrapLng, donutSvg, statusAt };
})(typeof window !== "undefined" ? window : this);
