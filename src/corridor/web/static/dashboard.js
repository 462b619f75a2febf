// What-if panel of the dashboard: asks /dashboard/whatif (read-only) and shows the effect.
(function () {
  "use strict";
  var form = document.getElementById("whatif-form");
  if (!form) { return; }
  var out = document.getElementById("whatif-result");
  var fmt = new Intl.NumberFormat(document.documentElement.lang || "en", { maximumFractionDigits: 0 });
  function usd(x) {
    if (x === null || x === undefined) { return "–"; }
    return "$" + (x < 0.01 ? x.toFixed(4) : x.toLocaleString(undefined, { maximumFractionDigits: 2 }));
  }
  function cell(row, field, text) {
    var td = row && row.querySelector('[data-field="' + field + '"]');
    if (td) { td.textContent = text; td.classList.add("changed"); }
  }
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var parts = [];
    form.querySelectorAll("input[data-activity]").forEach(function (inp) {
      if (inp.value !== "" && Number(inp.value) !== 1) { parts.push(inp.dataset.activity + ":" + Number(inp.value)); }
    });
    var q = "times=" + encodeURIComponent(parts.join(","));
    var budget = document.getElementById("whatif-budget").value;
    if (budget) { q += "&budget=" + encodeURIComponent(budget); }
    out.textContent = "…";
    fetch("/dashboard/whatif?" + q, { credentials: "same-origin" })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, body: j }; }); })
      .then(function (res) {
        if (!res.ok) { out.textContent = res.body.detail || "error"; return; }
        var c = res.body.coalition;
        document.getElementById("coalition-median").textContent = fmt.format(c.reached_median);
        document.getElementById("coalition-interval").textContent = fmt.format(c.reached_lower90) + "–" + fmt.format(c.reached_upper90);
        document.getElementById("coalition-cost").textContent = usd(c.cost_usd);
        document.getElementById("coalition-cpp").textContent = usd(c.cost_per_person_usd);
        Object.keys(res.body.channels).forEach(function (ch) {
          var v = res.body.channels[ch];
          var row = document.querySelector('#channels tr[data-channel="' + ch + '"]');
          cell(row, "reached_median", fmt.format(v.reached_median));
          cell(row, "interval", fmt.format(v.reached_lower90) + "–" + fmt.format(v.reached_upper90));
          cell(row, "cost_usd", usd(v.cost_usd));
          cell(row, "cpp", usd(v.cost_per_person_usd));
        });
        document.querySelectorAll("#themes tr[data-theme]").forEach(function (row) {
          var v = (res.body.themes || {})[row.dataset.theme];
          cell(row, "reached_median", v ? fmt.format(v.reached_median) : "0");
          cell(row, "interval", v ? fmt.format(v.reached_lower90) + "–" + fmt.format(v.reached_upper90) : "–");
          cell(row, "cost_usd", v ? usd(v.cost_usd) : "–");
          cell(row, "cpp", v ? usd(v.cost_per_person_usd) : "–");
        });
        var sign = c.change_median >= 0 ? "+" : "−";
        var text = out.dataset.labelChange + ": " + sign + fmt.format(Math.abs(c.change_median));
        out.textContent = "";
        var p = document.createElement("p");
        p.id = "whatif-change";
        p.textContent = text;
        out.appendChild(p);
        if (res.body.suggestion) {
          var h = document.createElement("h3");
          h.textContent = out.dataset.labelStep;
          out.appendChild(h);
          var ol = document.createElement("ol");
          ol.id = "whatif-steps";
          res.body.suggestion.steps.forEach(function (s) {
            var li = document.createElement("li");
            li.textContent = s.title + " (" + s.channel + ", " + usd(s.cost_usd) + "): +" +
              fmt.format(s.new_people_median) + " [" + fmt.format(s.new_people_lower90) + "–" + fmt.format(s.new_people_upper90) + "]";
            ol.appendChild(li);
          });
          out.appendChild(ol);
          var ex = document.createElement("p");
          ex.className = "note";
          ex.textContent = res.body.suggestion.explanation;
          out.appendChild(ex);
        }
      })
      .catch(function () { out.textContent = "error"; });
  });
})();
