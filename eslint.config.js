// ESLint for our own JavaScript (`make lint`): the browser's ES modules in webapp/static/js and the unit tests
// that Node's test runner runs (tests/js). Leaflet, its plugins, Chart.js and Cytoscape stay classic scripts
// served from node_modules: the modules read them as the globals they define.
import js from "@eslint/js";
import globals from "globals";

export default [
  { ignores: ["node_modules/", "instance/", ".venv/"] },
  js.configs.recommended,
  {
    files: ["webapp/static/js/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "module",
      globals: { ...globals.browser, L: "readonly", Chart: "readonly", cytoscape: "readonly" },
    },
  },
  {
    files: ["tests/js/**/*.mjs", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "module", globals: { ...globals.node } },
  },
];
