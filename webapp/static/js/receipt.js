// The receipt page's copy button: shown only where the browser can copy (a secure context).
const button = document.getElementById("copy-receipt");
const receipt = document.getElementById("receipt");
if (button && receipt && navigator.clipboard) {
  button.hidden = false;
  const label = button.textContent;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(receipt.textContent.trim()).then(function () {
      button.textContent = button.dataset.copied;
      setTimeout(function () { button.textContent = label; }, 2000);
    });
  });
}
