// The /submit form: a Leaflet map to place the pin, "use my location" (moves the pin, nothing is sent),
// a pin suggested from a photo's EXIF position (shown, confirmed by the user, then forgotten), the live list
// of cameras already on the map near the pin, and early checks of photo count and size. Without a mouse, the
// coordinates can be typed, or the focused pin moved with the arrow keys (pin-keys.js). The cameras near the
// pin are drawn on the map too; none is chosen for the user ("new camera" is chosen only when there is none).
// The report is sent from here so that a refusal keeps everything in the page, photos included: nothing of
// a refused report is stored anywhere, on the server's disk or otherwise.
import { addPinKeys } from "./pin-keys.js";

function setUpForm(form, mapElement) {
  const messages = JSON.parse(document.getElementById("submit-messages").textContent);
  const latInput = document.getElementById("lat");
  const lonInput = document.getElementById("lon");
  const csrfToken = form.querySelector("input[name=csrf_token]").value;

  const map = L.map(mapElement, { maxZoom: 19, worldCopyJump: true });
  const tileUrl = mapElement.dataset.tileUrl;
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 19, attribution: mapElement.dataset.tileAttribution }).addTo(map);
  }

  let marker = null;
  // Declared before the first pin is placed (a refused report or a confirmation starts with one).
  let nearbyTimer = null;
  let nearbyRequest = 0;

  function readPin() {
    const lat = Number.parseFloat(latInput.value);
    const lon = Number.parseFloat(lonInput.value);
    if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      return null;
    }
    return L.latLng(lat, lon);
  }

  function placePin(latlng, options) {
    const wrapped = latlng.wrap();
    latInput.value = wrapped.lat.toFixed(6);
    lonInput.value = wrapped.lng.toFixed(6);
    if (marker) {
      marker.setLatLng(wrapped);
    } else {
      marker = L.marker(wrapped, { draggable: true, autoPan: true, keyboard: true, title: messages.pinTitle }).addTo(map);
      marker.on("dragend", function () {
        placePin(marker.getLatLng(), { keepView: true });
      });
      addPinKeys(map, marker, function (moved) {
        placePin(moved, { keepView: true });
      });
    }
    if (!(options && options.keepView)) {
      map.setView(wrapped, Math.max(map.getZoom() || 0, 17));
    }
    refreshNearby();
  }

  // The map pans with the arrow keys when focused: this puts the pin where the map is centred.
  document.getElementById("pin-at-centre").addEventListener("click", function () {
    placePin(map.getCenter(), { keepView: true });
    marker.getElement().focus();
  });

  map.on("click", function (event) {
    placePin(event.latlng, { keepView: true });
  });

  function coordinatesTyped() {
    const pin = readPin();
    if (pin) {
      placePin(pin);
    }
  }
  latInput.addEventListener("change", coordinatesTyped);
  lonInput.addEventListener("change", coordinatesTyped);

  const start = readPin();
  if (start) {
    placePin(start);
  } else {
    map.setView([39.8, -98.6], 4);
  }

  // "Use my location": the browser's position only moves the pin on this page.
  const locationButton = document.getElementById("use-my-location");
  if ("geolocation" in navigator) {
    locationButton.hidden = false;
    document.getElementById("location-note").hidden = false;
    locationButton.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(
        function (position) {
          placePin(L.latLng(position.coords.latitude, position.coords.longitude));
        },
        function () {
          window.alert(messages.locationFailed);
        },
        { enableHighAccuracy: true, timeout: 15000 }
      );
    });
  }

  // Cameras already on the map near the pin: the user may say "this is that camera".
  const duplicateList = document.getElementById("duplicate-list");
  const duplicatesEmpty = document.getElementById("duplicates-empty");
  const duplicateTemplate = document.getElementById("duplicate-template");
  const nearbyLayer = L.layerGroup().addTo(map);
  // A choice the user made by hand is kept; until then the form chooses only "new camera", and only when no
  // camera on the map is near the pin.
  let choiceByHand = false;
  document.getElementById("duplicates").addEventListener("change", function () {
    choiceByHand = true;
  });
  function refreshNearby() {
    window.clearTimeout(nearbyTimer);
    nearbyTimer = window.setTimeout(loadNearby, 250);
  }

  function describe(camera) {
    const directions = camera.directions.length ? camera.directions.map((d) => d + "°").join(", ") : messages.noDirections;
    return messages.duplicate
      .replace("%(vendor)s", camera.vendor_name)
      .replace("%(distance)s", String(Math.round(camera.distance_m)))
      .replace("%(directions)s", directions);
  }

  function showNearbyOnMap(cameras) {
    nearbyLayer.clearLayers();
    for (const camera of cameras) {
      const spot = L.circleMarker([camera.lat, camera.lon], {
        radius: 7, color: "#1d3557", weight: 2, fillColor: "#457b9d", fillOpacity: 0.9, className: "nearby-camera",
      });
      spot.bindTooltip(messages.nearbyCamera.replace("%(description)s", describe(camera)));
      spot.on("click", function () {
        const radio = form.querySelector("input[name=camera_id][value='" + camera.id + "']");
        if (radio) {
          radio.checked = true;
          choiceByHand = true;
          radio.focus();
        }
      });
      nearbyLayer.addLayer(spot);
    }
  }

  function loadNearby() {
    const pin = readPin();
    if (!pin) {
      return;
    }
    const requestNumber = ++nearbyRequest;
    const url = mapElement.dataset.nearbyUrl + "?lat=" + pin.lat.toFixed(6) + "&lon=" + pin.lng.toFixed(6);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : { cameras: [] }))
      .then(function (answer) {
        if (requestNumber !== nearbyRequest) {
          return; // the pin moved again meanwhile
        }
        const chosen = form.querySelector("input[name=camera_id]:checked");
        const chosenId = chosen ? chosen.value : "";
        duplicateList.replaceChildren();
        for (const camera of answer.cameras) {
          if (form.querySelector("#duplicates > label input[name=camera_id][value='" + camera.id + "']")) {
            continue; // the camera being confirmed has its own choice already
          }
          const item = duplicateTemplate.content.firstElementChild.cloneNode(true);
          const radio = item.querySelector("input");
          radio.value = String(camera.id);
          radio.checked = radio.value === chosenId;
          item.querySelector(".duplicate-text").textContent = describe(camera);
          duplicateList.appendChild(item);
        }
        duplicatesEmpty.hidden = answer.cameras.length > 0;
        showNearbyOnMap(answer.cameras);
        const newCamera = form.querySelector("input[name=camera_id][value='new']");
        if (!choiceByHand || !form.querySelector("input[name=camera_id]:checked")) {
          choiceByHand = false;
          newCamera.checked = answer.cameras.length === 0 && !form.querySelector("#duplicates > label input[name=camera_id]:not([value='new'])");
        }
      })
      .catch(function () {
        /* the list is a help, not a requirement */
      });
  }

  // Photos: early checks, and the pin suggested by the first photo that carries a GPS position.
  const photoInput = document.getElementById("photos");
  const photoProblem = document.getElementById("photo-problem");
  const suggestion = document.getElementById("photo-suggestion");
  const maxPhotos = Number(form.dataset.maxPhotos);
  const maxPhotoBytes = Number(form.dataset.maxPhotoBytes);
  let suggested = null;
  let suggestionMarker = null;

  function forgetSuggestion() {
    // The photo's position is forgotten once used or declined: only the pin the user confirms is sent.
    suggested = null;
    suggestion.hidden = true;
    if (suggestionMarker) {
      suggestionMarker.remove();
      suggestionMarker = null;
    }
  }

  function photoTrouble() {
    const files = Array.from(photoInput.files);
    if (files.length > maxPhotos) {
      return messages.tooManyPhotos;
    }
    if (files.some((file) => file.size > maxPhotoBytes)) {
      return messages.photoTooLarge;
    }
    return "";
  }

  photoInput.addEventListener("change", function () {
    const trouble = photoTrouble();
    photoProblem.textContent = trouble;
    photoProblem.hidden = !trouble;
    forgetSuggestion();
    if (!trouble && photoInput.files.length) {
      askPhotoPosition(Array.from(photoInput.files), 0);
    }
  });

  function askPhotoPosition(files, index) {
    if (index >= files.length) {
      return;
    }
    const body = new FormData();
    body.append("photo", files[index]);
    // The answer's messages in the page's language (the URL carries no `lang` of its own).
    fetch(mapElement.dataset.photoPositionUrl + "?lang=" + encodeURIComponent(document.documentElement.lang), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken, Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : { found: false }))
      .then(function (answer) {
        if (answer.found) {
          suggested = L.latLng(answer.lat, answer.lon);
          suggestionMarker = L.circleMarker(suggested, {
            radius: 9, color: "#b4232a", dashArray: "4 3", className: "photo-suggestion",
          }).addTo(map);
          map.panTo(suggested);
          suggestion.hidden = false;
        } else {
          askPhotoPosition(files, index + 1);
        }
      })
      .catch(function () {
        /* no suggestion: the user places the pin */
      });
  }

  document.getElementById("use-photo-position").addEventListener("click", function () {
    const spot = suggested;
    forgetSuggestion();
    if (spot) {
      placePin(spot);
    }
  });
  document.getElementById("ignore-photo-position").addEventListener("click", forgetSuggestion);

  // "I don't know" which way it faces is an answer of its own: it clears the directions, and a direction
  // clears it.
  const directionUnknown = document.getElementById("direction-unknown");
  const directionDegrees = document.getElementById("direction-degrees");
  const compassInputs = Array.from(form.querySelectorAll(".compass input"));
  directionUnknown.addEventListener("change", function () {
    if (directionUnknown.checked) {
      compassInputs.forEach((input) => (input.checked = false));
      directionDegrees.value = "";
    }
  });
  compassInputs.concat([directionDegrees]).forEach(function (input) {
    input.addEventListener("input", function () {
      if (input.checked || (input === directionDegrees && input.value)) {
        directionUnknown.checked = false;
      }
    });
  });

  // Notes: a counter, and a clear word when they are too long (nothing is ever cut).
  const notes = document.getElementById("notes");
  const notesCount = document.getElementById("notes-count");
  const maxNotes = Number(notes.dataset.maxChars);
  const numbers = new Intl.NumberFormat(document.documentElement.lang || undefined);
  function notesTooLong() {
    // The server counts a line break as one character, as the browser does in a textarea's value.
    return notes.value.trim().length > maxNotes;
  }
  function countNotes() {
    const template = notesTooLong() ? messages.notesTooLong : messages.notesCount;
    notesCount.textContent = template
      .replace("%(count)s", numbers.format(notes.value.trim().length))
      .replace("%(max)s", numbers.format(maxNotes));
    notesCount.classList.toggle("refusal", notesTooLong());
  }
  notes.addEventListener("input", countNotes);
  countNotes();

  const refusal = document.getElementById("refusal");
  const sendButton = document.getElementById("send-report");
  function showRefusal(message, hint) {
    document.getElementById("refusal-message").textContent = message;
    document.getElementById("refusal-hint").textContent = hint;
    refusal.hidden = false;
    refusal.scrollIntoView({ block: "center" });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const trouble = photoTrouble();
    if (trouble) {
      photoProblem.textContent = trouble;
      photoProblem.hidden = false;
      photoInput.focus();
      return;
    }
    if (notesTooLong()) {
      notes.focus();
      showRefusal(notesCount.textContent, "");
      return;
    }
    sendButton.disabled = true;
    // form.action carries the page's `lang` when one was chosen, as a plain submission would.
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.ok && response.redirected) {
          window.location.assign(response.url); // the receipt (Post/Redirect/Get)
          return null;
        }
        return response.text().then(function (html) {
          // The server's answer is the form again with the reason: read the reason, keep this page.
          const answer = new DOMParser().parseFromString(html, "text/html");
          const reason = answer.getElementById("refusal-message") || answer.querySelector(".error p");
          const message = reason && reason.textContent.trim();
          showRefusal(message || messages.sendFailed.replace("%(status)s", String(response.status)), messages.keptAfterRefusal);
        });
      })
      .catch(function () {
        showRefusal(messages.sendFailed.replace("%(status)s", "—"), messages.keptAfterRefusal);
      })
      .finally(function () {
        sendButton.disabled = false;
      });
  });
}

const submitForm = document.getElementById("submit-form");
const pinMap = document.getElementById("pin-map");
// Without the map the form still works: coordinates can be typed.
if (submitForm && pinMap && typeof L !== "undefined") { setUpForm(submitForm, pinMap); }
