"""One holder at a time, across every worker on every machine: a Redis lock that expires when its holder
dies and is renewed while it lives."""

import contextlib
import threading
from collections.abc import Iterator

from redis.exceptions import LockError

from webapp.jobs.queue import connection

LOCK_PREFIX = "sightline:jobs:lock:"
# A holder that dies (killed, the machine lost) frees the lock after this many seconds.
LOCK_EXPIRY = 60


class LockBusy(RuntimeError):
    """The lock stayed held by another worker for the whole wait."""


@contextlib.contextmanager
def exclusive(name: str, wait: float = 600) -> Iterator[None]:
    """Hold the lock `name` for the block, waiting at most `wait` seconds for it (then LockBusy: the job
    fails and is retried)."""
    lock = connection().lock(
        LOCK_PREFIX + name, timeout=LOCK_EXPIRY, blocking_timeout=wait, thread_local=False
    )
    if not lock.acquire():
        raise LockBusy(f"{name}: held by another worker for {wait:.0f} s")
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(LOCK_EXPIRY / 3):
            with contextlib.suppress(LockError):
                lock.reacquire()

    renewer = threading.Thread(target=renew, name=f"lock-{name}", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        stop.set()
        renewer.join()
        with contextlib.suppress(LockError):
            lock.release()
