// The index's status map: recolour by treaty and year from the data embedded beside the SVG (no library).
(function () {
  var root = document.currentScript.parentNode;
  var data = JSON.parse(root.querySelector("script.tx-map-data").textContent);
  var svg = root.querySelector("svg.tx-index-map");
  var select = root.querySelector(".tx-map-treaty");
  var year = root.querySelector(".tx-map-year");
  var yearOut = root.querySelector(".tx-map-year-out");
  var info = root.querySelector(".tx-map-info");
  var shapes = {};
  svg.querySelectorAll("[data-iso3]").forEach(function (el) { shapes[el.getAttribute("data-iso3")] = el; });
  var lastYear = +data.day.slice(0, 4);
  var hatches = {};  // a state whose status depends on how an uncertain date is read: hatched for that treaty and year
  svg.querySelectorAll("[data-uncertain]").forEach(function (el) { hatches[el.getAttribute("data-uncertain")] = el; });

  function unsure(tid, iso3, y) {
    return (((data.uncertain || {})[tid] || {})[iso3] || []).indexOf(Math.min(y, lastYear)) >= 0;
  }

  function codeAt(tid, i, y) {
    if (y >= lastYear) return parseInt(data.codes[tid][i], 36);
    var now = parseInt(data.codes[tid][i], 36), code = now === data.noRecord ? now : 0;
    var steps = (data.history[tid] || {})[data.states[i]] || [];
    for (var k = 0; k < steps.length && steps[k][0] <= y; k++) code = steps[k][1];
    return code;
  }

  function paint() {
    var tid = select.value, y = +year.value, counts = data.statuses.map(function () { return 0; }), open = 0;
    data.states.forEach(function (iso3, i) {
      var code = codeAt(tid, i, y), el = shapes[iso3], label = data.names[i] + ": " + data.statuses[code];
      var hatched = unsure(tid, iso3, y);
      if (hatches[iso3]) hatches[iso3].setAttribute("display", hatched ? "inline" : "none");
      if (hatched) { open += 1; label += " † (uncertain: the sources bound a date, not the day)"; }
      el.setAttribute("fill", data.colors[code]);
      el.setAttribute("data-status", data.statuses[code]);
      el.setAttribute("aria-label", label);
      el.querySelector("title").textContent = label;
      counts[code] += 1;
    });
    svg.querySelectorAll("[data-legend]").forEach(function (text) {
      var code = data.statuses.indexOf(text.getAttribute("data-legend"));
      text.textContent = data.statuses[code] + " (" + counts[code] + ")";
    });
    svg.querySelectorAll("[data-uncertain-legend]").forEach(function (text) {
      text.textContent = text.textContent.replace(/\(\d+\)$/, "(" + open + ")");
    });
    yearOut.textContent = y >= lastYear ? "as of " + data.day : "end of " + y;
    svg.querySelector("title").textContent = select.options[select.selectedIndex].text + ", " + yearOut.textContent;
  }

  function show(event) {
    var el = event.target.closest("[data-iso3]");
    if (el) info.textContent = el.getAttribute("aria-label") + " (click or press Enter for the report)";
  }
  svg.addEventListener("mouseover", show);
  svg.addEventListener("focusin", show);
  select.addEventListener("change", paint);
  year.addEventListener("input", paint);
  paint();
})();
