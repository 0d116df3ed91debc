// The blur-box editor of the review page. Each .photo-editor holds an <img> and a hidden input with the
// boxes as JSON ([[x, y, w, h], ...] in the stored image's pixels). Drag on the photo to draw a box, drag a
// box to move it, its × removes it; a focused box also moves with the arrow keys. The hidden input is what
// the verify/merge form sends.
var MIN_SIDE = 4;

function setUp(editor) {
  var canvas = editor.querySelector(".photo-canvas");
  var image = canvas.querySelector("img");
  var input = editor.querySelector(".boxes-input");
  var counter = editor.querySelector(".box-count");
  var naturalWidth = parseInt(editor.dataset.width, 10);
  var naturalHeight = parseInt(editor.dataset.height, 10);
  var boxes = [];
  try { boxes = JSON.parse(input.value || "[]"); } catch { boxes = []; }

  function scale() { return image.clientWidth / naturalWidth; }

  function save() {
    input.value = JSON.stringify(boxes.map(function (box) { return box.map(Math.round); }));
    // Texts come translated from the page (data-one-box, data-many-boxes with a %(count)s placeholder).
    var template = boxes.length === 1 ? editor.dataset.oneBox : editor.dataset.manyBoxes;
    counter.textContent = (template || "%(count)s").replace("%(count)s", String(boxes.length));
    editor.dataset.boxCount = String(boxes.length);
  }

  function clamp(box) {
    var w = Math.min(Math.max(box[2], MIN_SIDE), naturalWidth);
    var h = Math.min(Math.max(box[3], MIN_SIDE), naturalHeight);
    var x = Math.min(Math.max(box[0], 0), naturalWidth - w);
    var y = Math.min(Math.max(box[1], 0), naturalHeight - h);
    return [x, y, w, h];
  }

  function render() {
    canvas.querySelectorAll(".blur-box").forEach(function (element) { element.remove(); });
    boxes.forEach(function (box, index) {
      var element = document.createElement("div");
      element.className = "blur-box";
      element.style.left = (box[0] / naturalWidth * 100) + "%";
      element.style.top = (box[1] / naturalHeight * 100) + "%";
      element.style.width = (box[2] / naturalWidth * 100) + "%";
      element.style.height = (box[3] / naturalHeight * 100) + "%";
      element.dataset.index = String(index);
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "remove-box";
      remove.setAttribute("aria-label", editor.dataset.removeLabel || "×");
      remove.textContent = "×";
      remove.addEventListener("pointerdown", function (event) { event.stopPropagation(); });
      remove.addEventListener("click", function (event) {
        event.preventDefault();
        boxes.splice(index, 1);
        focusedIndex = null;
        save();
        render();
      });
      element.appendChild(remove);
      element.addEventListener("pointerdown", function (event) { startMove(event, index); });
      // Keyboard: arrows move the focused box (Shift: faster), Alt+arrows resize it, Delete removes it.
      element.tabIndex = 0;
      element.setAttribute("role", "button");
      element.setAttribute("aria-label", editor.dataset.boxLabel || "");
      element.addEventListener("keydown", function (event) { onKey(event, index); });
      element.addEventListener("focus", function () { focusedIndex = index; });
      canvas.appendChild(element);
    });
    if (focusedIndex !== null && focusedIndex < boxes.length) {
      canvas.querySelectorAll(".blur-box")[focusedIndex].focus({ preventScroll: true });
    }
  }

  var KEY_STEPS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
  var focusedIndex = null;

  function onKey(event, index) {
    if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      boxes.splice(index, 1);
      focusedIndex = null;
      save();
      render();
      return;
    }
    var step = KEY_STEPS[event.key];
    if (!step) { return; }
    event.preventDefault();
    var distance = event.shiftKey ? 25 : 5;
    var box = boxes[index].slice();
    if (event.altKey) {
      box[2] += step[0] * distance;
      box[3] += step[1] * distance;
    } else {
      box[0] += step[0] * distance;
      box[1] += step[1] * distance;
    }
    boxes[index] = clamp(box);
    focusedIndex = index;
    save();
    render();
  }

  function pointerPosition(event) {
    var rect = image.getBoundingClientRect();
    return [(event.clientX - rect.left) / scale(), (event.clientY - rect.top) / scale()];
  }

  // Follows one drag on the window: render() replaces the box elements on every move, so a listener (or a
  // pointer capture) on the element the drag started from would be lost after the first move.
  function track(event, onMove) {
    event.preventDefault();
    var pointerId = event.pointerId;
    function move(moveEvent) {
      if (moveEvent.pointerId !== pointerId) { return; }
      onMove(pointerPosition(moveEvent));
      render();
    }
    function end(endEvent) {
      if (endEvent.pointerId !== pointerId) { return; }
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", end);
      window.removeEventListener("pointercancel", end);
      boxes = boxes.filter(function (box) { return box[2] >= MIN_SIDE && box[3] >= MIN_SIDE; });
      save();
      render();
    }
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", end);
    window.addEventListener("pointercancel", end);
  }

  function startMove(event, index) {
    event.stopPropagation();
    var start = pointerPosition(event);
    var original = boxes[index].slice();
    track(event, function (position) {
      boxes[index] = clamp([original[0] + position[0] - start[0], original[1] + position[1] - start[1], original[2], original[3]]);
    });
  }

  canvas.addEventListener("pointerdown", function (event) {
    if (event.target !== image && event.target !== canvas) { return; }
    var start = pointerPosition(event);
    boxes.push([start[0], start[1], 0, 0]);
    var index = boxes.length - 1;
    track(event, function (position) {
      var x = Math.max(0, Math.min(start[0], position[0]));
      var y = Math.max(0, Math.min(start[1], position[1]));
      var right = Math.min(naturalWidth, Math.max(start[0], position[0]));
      var bottom = Math.min(naturalHeight, Math.max(start[1], position[1]));
      boxes[index] = [x, y, right - x, bottom - y];
    });
  });

  editor.querySelector(".add-box").addEventListener("click", function () {
    // A box in the middle, a quarter of the image wide: then drag it where it belongs.
    var w = Math.round(naturalWidth / 4), h = Math.round(naturalHeight / 4);
    boxes.push([Math.round((naturalWidth - w) / 2), Math.round((naturalHeight - h) / 2), w, h]);
    save();
    render();
  });
  editor.querySelector(".clear-boxes").addEventListener("click", function () {
    boxes = [];
    save();
    render();
  });
  var drop = editor.querySelector(".drop-photo input");
  drop.addEventListener("change", function () { editor.classList.toggle("dropped", drop.checked); });

  save();
  render();
  editor.dataset.ready = "true";
}

document.querySelectorAll(".photo-editor").forEach(setUp);
