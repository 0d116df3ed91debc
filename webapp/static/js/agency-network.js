/* The sharing network around one agency (/agencies/network), drawn with Cytoscape.js (served by the app).
   The server answers a bounded neighbourhood (webapp.agencies.network); a click on a node asks for that
   node's neighbourhood with the same filters and adds what is new, so the graph grows only where the reader
   looks. A double click opens the agency's page. Every string comes from the page's settings. */

drawNetwork();

function drawNetwork() {
  const element = document.getElementById("agency-network");
  const blob = document.getElementById("agency-settings");
  if (!element || !blob || typeof cytoscape !== "function") { return; }
  const settings = JSON.parse(blob.textContent);
  var strings = settings.strings;
  var status = document.querySelector("[data-testid=network-status]");
  var hidden = 0;

  var graph = cytoscape({
    container: element,
    wheelSensitivity: 0.3,
    minZoom: 0.05,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
        "label": "data(label)", "font-size": 9, "text-wrap": "ellipsis", "text-max-width": 120,
        "width": "data(size)", "height": "data(size)", "background-color": "#5b7fa6", "color": "#222"
      } },
      { selector: "node.federal", style: { "background-color": "#b22222", "shape": "diamond" } },
      { selector: "node.centre", style: { "background-color": "#f0a500", "border-width": 2, "border-color": "#222" } },
      { selector: "node.expanded", style: { "border-width": 2, "border-color": "#444" } },
      { selector: "edge", style: {
        "width": 1, "line-color": "#a9b4c2", "target-arrow-color": "#a9b4c2", "target-arrow-shape": "triangle",
        "curve-style": "haystack", "arrow-scale": 0.6, "opacity": 0.7
      } }
    ]
  });

  function filters() {
    var query = new URLSearchParams();
    document.querySelectorAll("[data-network]").forEach(function (input) {
      var name = input.getAttribute("data-network");
      if (input.type === "checkbox") { if (input.checked) { query.set(name, "1"); } }
      else if (input.value) { query.set(name, input.value); }
    });
    return query;
  }

  function say(text) { if (status) { status.textContent = text; } }

  function add(answer, around) {
    var added = [];
    answer.nodes.forEach(function (node) {
      if (graph.getElementById(String(node.id)).length) { return; }
      var degree = node.shares_with + node.receives_from;
      added.push({ group: "nodes", data: {
        id: String(node.id), label: node.name, size: 10 + Math.min(30, 4 * Math.log(1 + degree)),
        cameras: node.cameras, federal: node.federal
      }, classes: (node.federal ? "federal" : "") + (node.id === settings.centre ? " centre" : "") });
    });
    answer.edges.forEach(function (edge) {
      var id = edge.source + ">" + edge.target;
      if (graph.getElementById(id).length) { return; }
      added.push({ group: "edges", data: { id: id, source: String(edge.source), target: String(edge.target) } });
    });
    graph.add(added);
    hidden = around === settings.centre ? answer.not_shown : hidden;
    var layout = graph.layout({ name: "cose", animate: false, randomize: false, nodeRepulsion: 6000, idealEdgeLength: 60 });
    layout.run();
    element.dataset.nodes = String(graph.nodes().length);
    element.dataset.edges = String(graph.edges().length);
    element.dataset.ready = "true";
    say(graph.nodes().length + " " + strings.shown + (hidden ? "; " + hidden + " " + strings.notShown : ""));
  }

  function load(agencyId, hops) {
    var query = filters();
    query.set("agency", String(agencyId));
    if (hops) { query.set("hops", String(hops)); }
    say(strings.loading);
    return fetch(settings.networkUrl + "?" + query.toString(), { credentials: "omit" })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (answer) { add(answer, agencyId); graph.getElementById(String(agencyId)).addClass("expanded"); })
      .catch(function () { say(strings.failed); element.dataset.ready = "failed"; });
  }

  graph.on("tap", "node", function (event) { load(parseInt(event.target.id(), 10), 1); });
  graph.on("dbltap", "node", function (event) {
    window.location.assign(settings.agencyUrl.replace("ID", event.target.id()));
  });
  load(settings.centre, null);
}
