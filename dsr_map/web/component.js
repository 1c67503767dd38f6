/* Streamlit component glue: receive each render's arguments, fetch the static files once, report
 * country clicks, which upload the map already holds (so the server sends an upload only once) and
 * that the map is drawn (the page then draws its filters and tables: they do not compete with it). */
(function () {
  "use strict";
  const element = document.getElementById("dsr-map");
  const send = (type, data) => window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type }, data), "*");
  const files = {};
  let map = null;
  let value = { country: null, clicked: 0, upload_have: null, drawn: false };
  let uploadKey = null;
  let lastArgs = null;
  let queue = Promise.resolve();

  function fetchJson(url) {
    const early = window.DSR_PRELOAD && window.DSR_PRELOAD[url];
    if (!files[url] && early) files[url] = early;
    if (!files[url]) {
      files[url] = fetch(url).then((reply) => {
        if (!reply.ok) throw new Error(`could not load ${url} (${reply.status})`);
        return reply.json();
      });
    }
    return files[url];
  }

  function setValue(changes) {
    const next = Object.assign({}, value, changes);
    if (JSON.stringify(next) === JSON.stringify(value)) return;
    value = next;
    send("streamlit:setComponentValue", { value, dataType: "json" });
  }

  async function render(args) {
    const key = JSON.stringify(args);
    if (key === lastArgs) return;  // a rerun that changed nothing on the map
    lastArgs = key;
    element.style.height = `${args.height}px`;
    send("streamlit:setFrameHeight", { height: args.height });
    if (!map) {
      map = new window.DSRMap.DsrMap(element, { palette: args.palette });
      map.onCountry = (iso3) => setValue({ country: iso3, clicked: Date.now() });
      window.dsrMap = map;
    }
    const [shapes, details] = await Promise.all([fetchJson(args.shapes_url), fetchJson(args.details_url)]);
    if (map.shapesSource !== args.shapes_url) {
      map.shapesSource = args.shapes_url;
      map.setShapes(shapes, details.country_names);
    }
    if (map.details !== details) map.setDetails(details);
    const upload = args.upload || null;
    if (!upload) {
      if (uploadKey !== null) { uploadKey = null; map.setUpload(null); }
      setValue({ upload_have: null });
    } else if (upload.table) {
      uploadKey = upload.key;
      map.setUpload(upload.table);
      setValue({ upload_have: upload.key });
    } else if (upload.key !== uploadKey) {
      setValue({ upload_have: null, upload_need: upload.key });  // this frame lost it: ask again
    }
    map.update(args);
    if (!value.drawn) setTimeout(() => setValue({ drawn: true }), 0);  // after this frame paints
  }

  window.addEventListener("message", (event) => {
    const data = event.data || {};
    if (data.type !== "streamlit:render") return;
    queue = queue.then(() => render(data.args)).catch((error) => {
      lastArgs = null;
      element.textContent = `The map could not be drawn: ${error && error.message ? error.message : error}`;
      setValue({ drawn: true });  // the rest of the page must not wait for a map that failed
    });
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();
