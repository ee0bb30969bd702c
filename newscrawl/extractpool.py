"""Page -> item work in worker processes, so a crawl uses the cores Scrapy's one thread leaves idle.

NEWSCRAWL_EXTRACT_PROCESSES: "auto" (the default) runs it in one worker per CPU but one, at most
AUTO_MAX_PROCESSES (none on a single CPU: inline); 0 runs the work inline in the crawl process; N
in N worker processes. The workers start when the spider opens, while the first listing pages
download, and stop when it closes.

Pages go to the workers in batches (run_calls): an idle worker gets whatever waits, at once; behind
busy workers up to QUEUED_BATCHES more batches wait, each formed once a quarter of the pool's pages
wait for it. Under load a hand-off carries many pages, so the crawl's one thread pays the
executor's per-call cost (queue threads, pickling, wake-ups) once per batch, not once per page, and
the queued batches keep the workers busy through pauses of that thread (a store checkpoint). The
pool holds at most PAGES_PER_REQUEST_SLOT x CONCURRENT_REQUESTS pages; a page that finds it full is
done in the crawl's own thread (newscrawl/extract/done_inline), which would otherwise wait.

A worker that dies (a crash in native code, the OOM killer) breaks the whole pool: the pool is
started again (newscrawl/extract/worker_crashes) and each page that was in it runs once more,
alone, in a one-worker process, so only a page that kills that worker too is lost (WorkerCrashed).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import multiprocessing
import os
import signal
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
AUTO_MAX_PROCESSES = 4
BATCH_LIMIT = 32  # pages in one hand-off at most
# Batches queued behind busy workers: enough work to outlast a pause of the crawl's thread (a
# store checkpoint, a burst of items) without starving the workers.
QUEUED_BATCHES = 2
# Pages the pool may hold per download slot: downloads outrun extraction, so pages queue anyway;
# a deeper queue keeps the workers busy while the crawl's thread is away and makes batches bigger.
PAGES_PER_REQUEST_SLOT = 4
ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

logger = logging.getLogger(__name__)


class WorkerCrashed(Exception):
    """The work killed its worker process twice: in the pool, then alone."""


def extract_processes(settings) -> int:
    """Worker processes NEWSCRAWL_EXTRACT_PROCESSES asks for (0: inline); ConfigError if it is bad."""
    value = settings.get(SETTING)
    text = "0" if value is None else str(value).strip().lower()
    asyncio_reactor = (not settings.getbool("TWISTED_REACTOR_ENABLED", True)
                       or settings.get("TWISTED_REACTOR") == ASYNCIO_REACTOR)
    if text == "auto":
        # One core stays Scrapy's; past a few workers the crawl's one thread cannot feed more. A
        # single CPU, or a reactor the workers cannot be awaited from, means inline.
        return min(available_cpus() - 1, AUTO_MAX_PROCESSES) if asyncio_reactor else 0
    if not (text.isascii() and text.isdigit()):
        raise ConfigError(f"setting {SETTING}: expected 0 (inline), a number of worker processes "
                          f"or 'auto', got {value!r}")
    processes = int(text)
    if processes and not asyncio_reactor:
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
        self._queue_batch = max(1, max_in_flight // 4)  # calls in a batch that waits behind busy workers
        self._alone = asyncio.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._quarantine: ProcessPoolExecutor | None = None
        self._waiting: list[tuple] = []  # (function, args, future): calls for the next batch
        self._batches = 0  # batches handed to the workers and not yet back

    @classmethod
    def from_crawler(cls, crawler):
        settings = crawler.settings
        pool = cls(extract_processes(settings), PAGES_PER_REQUEST_SLOT * settings.getint("CONCURRENT_REQUESTS"))
        crawler.signals.connect(pool.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def spider_opened(self, spider) -> None:
        self.stats = spider.crawler.stats  # not yet there when the spider is built
        if self.processes and self._executor is None:
            # Workers take a while to start (a new interpreter, lxml, the extraction code): start
            # them now, while the first listing pages download, not at the first article page.
            try:
                executor = self._start()
                for _ in range(self.processes):
                    executor.submit(_warm_up)
            except (OSError, NotImplementedError, ImportError) as exc:
                # No processes here (a sandbox without fork, no working semaphores in /dev/shm):
                # the crawl still works, inline.
                logger.warning("cannot start page -> item worker processes (%s): the work runs inline "
                               "in the crawl process", exc)
                if self._executor is not None:
                    _retire(self._executor)
                self._executor = None
                self.processes = 0

    async def run(self, function, *args):
        if not self.processes:
            return function(*args)
        if self._slots.locked():
            # The workers are behind and hold all the pages they may: this page is done here, in
            # the crawl's thread, instead of waiting for a slot while that thread has time.
            if self.stats is not None:
                self.stats.inc_value("newscrawl/extract/done_inline")
            return function(*args)
        async with self._slots:
            try:
                return await self._batched(function, args)
            except BrokenProcessPool:
                pass
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

    def _batched(self, function, args) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((function, args, future))
        self._hand_off()
        return future

    def _hand_off(self) -> None:
        """Send the waiting calls as a batch to an idle worker; when all are busy, queue up to
        QUEUED_BATCHES more behind them, each once enough calls wait to make it worth a hand-off."""
        while self._waiting and (self._batches < self.processes or (
                self._batches < self.processes + QUEUED_BATCHES and len(self._waiting) >= self._queue_batch)):
            calls, self._waiting = self._waiting[:BATCH_LIMIT], self._waiting[BATCH_LIMIT:]
            executor = self._executor or self._start()
            try:
                done = _submit(executor, run_calls, [(function, args) for function, args, _ in calls])
            except BrokenProcessPool as exc:
                self._restart(executor)
                _settle(calls, error=exc)
                continue
            self._batches += 1
            asyncio.wrap_future(done).add_done_callback(functools.partial(self._returned, executor, calls))

    def _returned(self, executor: ProcessPoolExecutor, calls: list[tuple], done: asyncio.Future) -> None:
        self._batches -= 1
        error = None if done.cancelled() else done.exception()
        if done.cancelled():
            _settle(calls, cancel=True)
        elif error is None:
            _settle(calls, outcomes=done.result())
        elif isinstance(error, Exception) and not isinstance(error, BrokenProcessPool):
            _settle(calls, error=error)  # e.g. a result that could not be pickled
        else:
            # A worker that died, or one stopped by KeyboardInterrupt/SystemExit (never raised into
            # the crawl's event loop): its pages run again alone.
            self._restart(executor)
            _settle(calls, error=error if isinstance(error, BrokenProcessPool)
                    else BrokenProcessPool(f"worker stopped: {error!r}"))
        self._hand_off()

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
            logger.info("page -> item work runs in %d worker process%s (%s)", self.processes,
                        "" if self.processes == 1 else "es", SETTING)
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
    worker holds its own end of the task queue, so nothing else would ever tell it.

    Ctrl-C in a terminal, or a service manager stopping the crawl, signals the whole process group:
    the workers leave SIGINT and SIGTERM to the crawl process, which stops gracefully and shuts
    its pool down when the spider closes (a worker interrupted mid-page would break the pool)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)

    def watch():
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


async def _attempt(executor: ProcessPoolExecutor, function, args):
    """function(*args) in a worker of executor; BrokenProcessPool if one died or could not start."""
    return await asyncio.wrap_future(_submit(executor, function, *args))


def _submit(executor: ProcessPoolExecutor, function, *args):
    """executor.submit, with a worker that could not start (fork failed, it died before reading its
    start-up data) reported as the BrokenProcessPool it amounts to."""
    try:
        return executor.submit(function, *args)
    except OSError as exc:
        raise BrokenProcessPool(f"could not start a worker process: {exc}") from exc


def _warm_up() -> None:
    """In a new worker: import what the page -> item work needs before the first page comes."""
    import newscrawl.articlebuild  # noqa: F401


def run_calls(calls: list[tuple]) -> list[tuple[bool, object]]:
    """In a worker: each (function, args) of a batch -> (True, result) or (False, exception)."""
    outcomes = []
    for function, args in calls:
        try:
            outcomes.append((True, function(*args)))
        except Exception as exc:  # the caller of that one page gets it, the rest of the batch goes on
            outcomes.append((False, exc))
    return outcomes


def _settle(calls: list[tuple], *, outcomes=None, error=None, cancel=False) -> None:
    """Give each call's waiting future its outcome; a future whose caller gave up is left alone."""
    for index, (_, _, future) in enumerate(calls):
        if future.done():
            continue
        if cancel:
            future.cancel()
        elif error is not None:
            # Each caller raises its own copy: one exception object raised in many places would
            # collect all their tracebacks.
            future.set_exception(type(error)(*error.args) if isinstance(error, BrokenProcessPool) else error)
        else:
            ok, value = outcomes[index]
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)


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
