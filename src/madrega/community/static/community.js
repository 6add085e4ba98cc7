// Pre-select the browser's own time zone in the gathering form (the form works without this).
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    return;
  }
  document.querySelectorAll("select[data-browser-zone]").forEach(function (select) {
    if (select.getAttribute("data-typed") === "true") return; // keep what the user chose before an error
    for (var i = 0; i < select.options.length; i++) {
      if (select.options[i].value === zone) {
        select.value = zone;
        return;
      }
    }
  });
})();
