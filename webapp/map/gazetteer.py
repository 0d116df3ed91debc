"""The offline gazetteer behind the map's search box (built by scripts/build_gazetteer.py)."""

import gzip
from functools import cache
from pathlib import Path

GAZETTEER_FILE = Path(__file__).with_name("gazetteer.json.gz")


@cache
def gazetteer_gzip() -> bytes:
    return GAZETTEER_FILE.read_bytes()


@cache
def gazetteer_json() -> bytes:
    return gzip.decompress(gazetteer_gzip())
