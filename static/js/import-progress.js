/* The progress bar of a queued job (templates/planning/spreadsheets/job.html, review/job.html):
   polls the job's progress URL once a second and reloads the page when it is done.
   A file, not an inline script, so the Content-Security-Policy allows no inline code. */
(function () {
  var box = document.getElementById("progress");
  if (!box) { return; }
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      document.getElementById("processed").textContent = s.processed;
      document.getElementById("total").textContent = s.total || "?";
      var bar = document.getElementById("bar"); bar.max = s.total || 1; bar.value = s.processed;
      if (s.state === "done") { window.location.reload(); } else { setTimeout(poll, 1000); }
    }).catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
})();
