"""A gunicorn worker moves the loaded app out of the garbage collector's full passes (gunicorn.conf.py
post_worker_init): what the app and its libraries hold for the worker's life is never walked again, so a
full collection no longer pauses a request for the time it takes to walk them."""

import gc
import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_the_worker_freezes_what_the_loaded_app_holds(unfrozen, app):
    settings = runpy.run_path(str(CONF))
    assert gc.get_freeze_count() == 0
    settings["post_worker_init"](worker=None)
    frozen = gc.get_freeze_count()
    assert frozen > 100_000  # the app and its libraries (the app fixture has loaded them)
    assert len(gc.get_objects()) < frozen // 10  # a full collection now walks a small part of the heap
