/* A drawn area's answer: a button keeps the area (POST /feeds/areas, the polygon the page was answered for)
   and then shows its Atom feed and the downloads of its cameras in every format. The page gives the polygon,
   the CSRF token and the translated labels as data attributes of the section. */

const FORMAT_LABELS = { csv: "CSV", geojson: "GeoJSON", kml: "KML", parquet: "GeoParquet", fgb: "FlatGeobuf" };

export function followArea(section) {
  const button = section.querySelector("button");
  const result = section.querySelector("[data-follow-result]");
  const text = section.dataset;
  button.addEventListener("click", async function () {
    button.disabled = true;
    result.textContent = "";
    try {
      const answer = await keepArea(text.followUrl, text.area, {
        "Content-Type": "application/geo+json", "X-CSRFToken": text.csrfToken
      });
      showKept(result, answer, text.feedLabel, text.downloadsLabel);
    } catch (error) {
      result.textContent = text.errorLabel + " " + error.message;
      button.disabled = false;
    }
  });
}

/* POSTs an area (or a route, for its corridor) to be kept; its answer (feed, hash, downloads), or an Error with
   the server's message. */
export async function keepArea(url, body, headers) {
  const response = await fetch(url, {
    method: "POST", credentials: "same-origin", headers: { ...headers, Accept: "application/json" }, body: body,
  });
  const answer = await response.json();
  if (!response.ok) { throw new Error(answer.message || response.statusText); }
  return answer;
}

/* A kept area's answer (its feed and its downloads, as POST /feeds/areas and the route corridor give them)
   written into `result`: the feed link, then one link per format. */
export function showKept(result, answer, feedLabel, downloadsLabel) {
  result.append(link(answer.feed, feedLabel, "area-feed"), " · " + downloadsLabel + " ");
  Object.entries(answer.downloads).forEach(function ([format, url], index) {
    if (index) { result.append(" · "); }
    result.append(link(url, FORMAT_LABELS[format] || format, "area-download-" + format));
  });
}

function link(url, label, testId) {
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.textContent = label;
  anchor.dataset.testid = testId;
  return anchor;
}

const section = document.getElementById("follow-area");
if (section) { followArea(section); }
