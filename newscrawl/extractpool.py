"""Page -> item work in worker processes, so a crawl uses the cores Scrapy's one thread leaves idle.

NEWSCRAWL_EXTRACT_PROCESSES: 0 (the default) runs the work inline in the crawl process; N runs it
in N worker processes; "auto" in one per CPU but one (at least one). The pool starts at the first
page that needs it and stops when the spider closes. At most CONCURRENT_REQUESTS pages are handed
to it at a time.

A worker that dies (a crash in native code, the OOM killer) breaks the whole pool: the pool is
started again (newscrawl/extract/worker_crashes) and each page that was in it runs once more,
alone, in a one-worker process, so only a page that kills that worker too is lost (WorkerCrashed).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from scrapy import signals

from newscrawl.sites import ConfigError

SETTING = "NEWSCRAWL_EXTRACT_PROCESSES"
# spawn: workers are the crawl's own children, reaped at shutdown, so their CPU time is the crawl's.
START_METHOD = "spawn"
PARENT_CHECK_SECONDS = 1.0
ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

logger = logging.getLogger(__name__)


class WorkerCrashed(Exception):
    """The work killed its worker process twice: in the pool, then alone."""


def extract_processes(settings) -> int:
    """Worker processes NEWSCRAWL_EXTRACT_PROCESSES asks for (0: inline); ConfigError if it is bad."""
    value = settings.get(SETTING)
    text = "0" if value is None else str(value).strip().lower()
    if text == "auto":
        processes = max(1, available_cpus() - 1)
    elif text.isascii() and text.isdigit():
        processes = int(text)
    else:
        raise ConfigError(f"setting {SETTING}: expected 0 (inline), a number of worker processes "
                          f"or 'auto', got {value!r}")
    if (processes and settings.getbool("TWISTED_REACTOR_ENABLED", True)
            and settings.get("TWISTED_REACTOR") != ASYNCIO_REACTOR):
        raise ConfigError(f"setting {SETTING}: worker processes are awaited through asyncio, "
                          f"TWISTED_REACTOR must be {ASYNCIO_REACTOR}")
    return processes


def available_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class ExtractPool:
    """`await pool.run(function, *args)`: function(*args) inline, or in a worker process.

    function and args must be picklable (a top-level function, plain values); the result too.
    """

    def __init__(self, processes: int, max_in_flight: int = 16, stats=None):
        self.processes = processes
        self.stats = stats
        self._slots = asyncio.Semaphore(max(1, max_in_flight))
        self._alone = asyncio.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._quarantine: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pool = cls(extract_processes(settings), settings.getint("CONCURRENT_REQUESTS"))
        crawler.signals.connect(pool.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def spider_opened(self, spider) -> None:
        self.stats = spider.crawler.stats  # not yet there when the spider is built

    async def run(self, function, *args):
        if not self.processes:
            return function(*args)
        async with self._slots:
            executor = self._executor or self._start()
            try:
                return await _attempt(executor, function, args)
            except BrokenProcessPool:
                self._restart(executor)
            # This page, or one beside it, killed a worker: run it again alone.
            async with self._alone:
                quarantine = self._quarantine or self._start(quarantine=True)
                try:
                    return await _attempt(quarantine, function, args)
                except BrokenProcessPool:
                    self._quarantine = None
                    _retire(quarantine)
                    self._count_crash()
                    raise WorkerCrashed(f"{getattr(function, '__name__', function)} killed its "
                                        "worker process twice") from None

    def close(self) -> None:
        """Stop the workers (spider_closed); the next run() would start them again."""
        for executor in (self._executor, self._quarantine):
            if executor is None:
                continue
            if getattr(executor, "_broken", False):
                _retire(executor)  # died after its last page: nothing noticed it yet
            else:
                executor.shutdown(wait=True, cancel_futures=True)
        self._executor = self._quarantine = None

    def _start(self, quarantine: bool = False) -> ProcessPoolExecutor:
        context = multiprocessing.get_context(START_METHOD)
        executor = ProcessPoolExecutor(max_workers=1 if quarantine else self.processes, mp_context=context,
                                       initializer=exit_with_parent, initargs=(os.getpid(),))
        if quarantine:
            self._quarantine = executor
        else:
            self._executor = executor
            logger.info("page -> item work runs in %d worker processes (%s)", self.processes, SETTING)
        return executor

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        if broken is not self._executor:
            return  # another page already saw this pool die and replaced it
        self._executor = None
        _retire(broken)
        self._count_crash()
        logger.warning("an extract worker process died: pool restarted; its pages run again, one at a time")

    def _count_crash(self) -> None:
        if self.stats is not None:
            self.stats.inc_value("newscrawl/extract/worker_crashes")


def exit_with_parent(parent: int) -> None:
    """Worker initializer: end the worker once the crawl process is gone (killed, crashed). A
    worker holds its own end of the task queue, so nothing else would ever tell it."""

    def watch():
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


async def _attempt(executor: ProcessPoolExecutor, function, args):
    """function(*args) in a worker of executor; BrokenProcessPool if one died or could not start."""
    try:
        future = executor.submit(function, *args)
    except OSError as exc:  # e.g. fork failed, or the new worker died before it read its start-up data
        raise BrokenProcessPool(f"could not start a worker process: {exc}") from exc
    return await asyncio.wrap_future(future)


def _retire(broken: ProcessPoolExecutor) -> None:
    """Kill what is left of a broken pool, then let it go.

    The executor's own clean-up terminates the workers it knows of and joins them; a worker it was
    starting (on demand, from this thread) while another died can be missed and then waits for
    work forever, and so does that join, and interpreter exit after it. No worker of a broken pool
    has anything left to do, so all of them are killed here.
    """
    for process in list((getattr(broken, "_processes", None) or {}).values()):
        with contextlib.suppress(OSError, ValueError):
            process.kill()
    # No cancel_futures: the broken pool fails each queued call with BrokenProcessPool, which sends
    # its page to the one-worker retry; a cancelled call would silently lose its page instead.
    broken.shutdown(wait=False)
