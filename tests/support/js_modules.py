"""Our ES modules (webapp/static/js) called from a test with Node, where Python and the browser share a rule:
the test holds both sides to the same answers."""

import json
import shutil
import subprocess
from pathlib import Path

MODULES = Path(__file__).resolve().parents[2] / "webapp" / "static" / "js"

# Reads {"module", "name", "calls"} on stdin; writes the export's value (calls null) or its result per call.
_RUNNER = """
let input = "";
for await (const chunk of process.stdin) { input += chunk; }
const { module, name, calls } = JSON.parse(input);
const exported = (await import(module))[name];
process.stdout.write(JSON.stringify(calls === null ? exported : calls.map((args) => exported(...args))));
"""


def _run(module: str, name: str, calls: list[list] | None):
    node = shutil.which("node")
    assert node, "these tests need Node (make test installs the npm packages with it)"
    request = {"module": (MODULES / module).as_uri(), "name": name, "calls": calls}
    answer = subprocess.run(
        [node, "--input-type=module", "--eval", _RUNNER],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(answer.stdout)


def call_export(module: str, name: str, calls: list[list]) -> list:
    """The results of the function `name` of static/js/<module> for each argument list in `calls`."""
    return _run(module, name, calls)


def export_value(module: str, name: str):
    """The value of the constant `name` of static/js/<module>."""
    return _run(module, name, None)
