/* The admin's progressive enhancements. Everything works without this file:
   the country list is a plain list of checkboxes, mechanism rows appear after saving. */
(function () {
  "use strict";

  // Sub-fields only where they apply: the DPF date for the USA, the SCC module for SCCs;
  // a country with an adequacy decision starts on it.
  function fitMechanismRow(row, code, adequate) {
    Array.prototype.forEach.call(row.querySelectorAll("[data-only-country]"), function (field) {
      if (field.getAttribute("data-only-country") !== code) { field.remove(); }
    });
    var select = row.querySelector("select[name^='mechanism-']");
    if (adequate && select && select.querySelector("option[value='adequacy']")) {
      select.value = "adequacy";
    }
    showWhenMechanism(row);
  }

  function showWhenMechanism(row) {
    var select = row.querySelector("select[name^='mechanism-']");
    if (!select) { return; }
    function update() {
      Array.prototype.forEach.call(row.querySelectorAll("[data-when-mechanism]"), function (field) {
        field.hidden = field.getAttribute("data-when-mechanism") !== select.value;
      });
    }
    select.addEventListener("change", function () { suggestModule(row, select); update(); });
    update();
  }

  // Choosing SCCs suggests the module the recipient's GDPR role implies (sub-processor:
  // Module 3, processor: Module 2, third party: Module 1); the choice stays visible and open.
  var MODULE_FOR_ROLE = { sub_processor: "3", processor: "2", third_party: "1" };
  function suggestModule(row, select) {
    var module = row.querySelector("select[name^='scc_module-']");
    var form = row.closest("form");
    var role = form && form.querySelector("select[name='role']");
    if (select.value !== "scc" || !module || module.value || !role) { return; }
    var suggested = MODULE_FOR_ROLE[role.value];
    if (suggested && module.querySelector("option[value='" + suggested + "']")) {
      module.value = suggested;
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(
      document.querySelectorAll("[data-mechanisms] .mechanism"), showWhenMechanism
    );
  });

  function setUpPicker(picker) {
    var filter = picker.querySelector(".country-filter");
    var labels = Array.prototype.slice.call(picker.querySelectorAll(".country-list label"));
    var chosen = picker.querySelector("[data-chosen]");
    var form = picker.closest("form");
    var rows = form && form.querySelector("[data-mechanisms]");
    var template = form && form.querySelector("template[data-mechanism-template]");

    function refreshChosen() {
      var names = [];
      labels.forEach(function (label) {
        var box = label.querySelector("input");
        if (box.checked) { names.push(box.getAttribute("data-country-name")); }
      });
      chosen.textContent = names.length ? names.join(", ") : chosen.getAttribute("data-none");
    }

    function syncMechanism(box) {
      if (!rows || !template) { return; }
      var code = box.value;
      var existing = rows.querySelector('[data-code="' + code + '"]');
      if (box.checked && !existing) {
        var html = template.innerHTML.split("__CODE__").join(code);
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var row = holder.querySelector(".mechanism");
        row.querySelector("h3").textContent = box.getAttribute("data-country-name");
        fitMechanismRow(row, code, box.hasAttribute("data-adequate"));
        rows.appendChild(row);
      } else if (!box.checked && existing) {
        existing.remove();
      }
    }

    if (filter) {
      filter.addEventListener("input", function () {
        var needle = filter.value.trim().toLowerCase();
        labels.forEach(function (label) {
          var match = !needle || label.getAttribute("data-name").indexOf(needle) !== -1;
          label.hidden = !match;
        });
      });
      filter.addEventListener("keydown", function (event) {
        if (event.key === "Enter") {
          event.preventDefault();
          var first = labels.filter(function (l) { return !l.hidden; })[0];
          if (first) { first.querySelector("input").focus(); }
        }
      });
    }
    labels.forEach(function (label) {
      label.querySelector("input").addEventListener("change", function (event) {
        refreshChosen();
        syncMechanism(event.target);
      });
    });
    picker.classList.add("enhanced");
  }

  /* The publish form's notice warning follows the date as it is typed
     (the server computed it for the date the page was shown with). */
  function setUpOwedNotice(box) {
    var input = document.getElementById("f-effective_at");
    if (!input) { return; }
    var today = Date.parse(box.getAttribute("data-today"));
    var items = Array.prototype.slice.call(box.querySelectorAll("li[data-notice-days]"));
    input.addEventListener("input", function () {
      var chosen = Date.parse(input.value);
      if (isNaN(chosen)) { return; }
      var gap = Math.round((chosen - today) / 86400000);
      var any = false;
      items.forEach(function (item) {
        var owed = Number(item.getAttribute("data-notice-days")) > gap;
        item.hidden = !owed;
        any = any || owed;
      });
      box.hidden = !any;
    });
  }

  /* "Copy English": puts the English (as typed in the form, else as stored) into
     the Korean field, for legal to translate in place. A checkbox group (the
     data categories) gives its ticked values, one a line. */
  function englishFor(button) {
    var from = button.getAttribute("data-copy-from");
    var form = button.closest("form");
    if (from && form) {
      var control = document.getElementById(from);
      if (control && "value" in control) { return control.value; }
      var boxes = form.querySelectorAll('input[type="checkbox"][name="' + from + '"]');
      if (boxes.length) {
        var ticked = [];
        Array.prototype.forEach.call(boxes, function (box) { if (box.checked) { ticked.push(box.value); } });
        var other = document.getElementById("f-other_categories");
        if (other && other.value.trim()) { ticked.push(other.value.trim()); }
        return ticked.join("\n");
      }
    }
    var shown = document.getElementById(button.getAttribute("data-copy-text"));
    return shown && !shown.querySelector(".empty") ? shown.textContent : "";
  }

  function setUpCopyEnglish(button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy-to"));
      if (!target) { return; }
      target.value = englishFor(button);
      target.focus();
    });
  }

  /* The error summary takes the focus; its links move the focus to their field
     and scroll its label into view (GOV.UK's error summary behaviour). */
  function setUpErrorSummary(summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) { return; }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      var label = document.querySelector("label[for='" + target.id + "']") || target;
      var legend = target.closest("fieldset") && target.closest("fieldset").querySelector("legend");
      (legend && target.type === "checkbox" ? legend : label).scrollIntoView();
      target.focus({ preventScroll: true });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("button.copy-english"), setUpCopyEnglish);
    Array.prototype.forEach.call(document.querySelectorAll("[data-error-summary]"), setUpErrorSummary);
    Array.prototype.forEach.call(document.querySelectorAll("[data-country-picker]"), setUpPicker);
    Array.prototype.forEach.call(document.querySelectorAll("[data-owed-notice]"), setUpOwedNotice);
  });
})();
