// The receipt page's copy button: shown only where the browser can copy (a secure context).
(function () {
  "use strict";
  var button = document.getElementById("copy-receipt");
  var receipt = document.getElementById("receipt");
  if (!button || !receipt || !navigator.clipboard) return;
  button.hidden = false;
  var label = button.textContent;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(receipt.textContent.trim()).then(function () {
      button.textContent = button.dataset.copied;
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
})();
