"""Make `-s JOBDIR=dir` safe for cron: resume a paused crawl, recover a killed one, start a finished one afresh.

Scrapy keeps a crawl's request queue and its seen-requests file (the dupefilter) in JOBDIR and saves
them consistently only when the crawl closes. After a SIGKILL they are stale: the seen file may
remember requests whose articles were still in the store's open batch (lost with the process), and
the queue files lack their index. Resuming from them would lose those articles for good.

So at start-up, `JobDirGuard` reads its marker file JOBDIR/newscrawl-job.json:
- the previous run in this JOBDIR closed with a reason other than "finished" (Ctrl-C / SIGTERM,
  CLOSESPIDER_*): Scrapy's state is consistent and is resumed as Scrapy does;
- it was killed (marker still says "running"): the queue and seen file are discarded and the crawl
  restarts from its start URLs; the store is the record of what is done: archived articles are
  skipped before download, articles of the lost batch are fetched again, and the interrupted
  sections are walked to their end (newscrawl.middlewares.SkipArchived);
- it finished: the state is discarded too, so a JOBDIR kept in a cron line does not turn the next
  run into a no-op (every request "seen").
Stats: newscrawl/jobdir/<resumed|recovered|restarted>.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.job import job_dir

logger = logging.getLogger(__name__)

MARKER = "newscrawl-job.json"
SCRAPY_STATE = ("requests.seen", "requests.queue")


def read_marker(directory: Path) -> dict | None:
    try:
        return json.loads((directory / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_marker(directory: Path, data: dict) -> None:
    """Replace the marker atomically and durably (it decides what the next run trusts)."""
    target = directory / MARKER
    temporary = directory / f".{MARKER}.{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)


class JobDirGuard:
    """Extension: decide, before the scheduler opens JOBDIR, whether its saved state can be trusted."""

    def __init__(self, crawler, directory: Path):
        self.directory = directory
        self.stats = crawler.stats
        previous = read_marker(directory)
        has_state = any((directory / name).exists() for name in SCRAPY_STATE)
        outcome = None
        if has_state and previous is not None:
            if previous.get("status") == "running":
                outcome = "recovered"
                logger.warning(
                    "JOBDIR %s: the previous run (pid %s, started %s) was killed before it could save its "
                    "queue; discarding Scrapy's saved requests and restarting from the start URLs: "
                    "archived articles are skipped, the rest is fetched", directory, previous.get("pid"),
                    previous.get("started"))
            elif previous.get("reason") == "finished":
                outcome = "restarted"
                logger.info("JOBDIR %s holds a finished crawl: starting a new one", directory)
            else:
                logger.info("JOBDIR %s: resuming the crawl closed by %r", directory, previous.get("reason"))
                self.stats.set_value("newscrawl/jobdir/resumed", 1)
        if outcome:
            self.discard_state()
            self.stats.set_value(f"newscrawl/jobdir/{outcome}", 1)
        self.started = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        write_marker(directory, {"status": "running", "pid": os.getpid(), "started": self.started})

    @classmethod
    def from_crawler(cls, crawler):
        path = job_dir(crawler.settings)  # creates the directory, as Scrapy's own components do
        if not path:
            raise NotConfigured
        guard = cls(crawler, Path(path))
        crawler.signals.connect(guard.spider_closed, signal=signals.spider_closed)
        return guard

    def discard_state(self) -> None:
        for name in SCRAPY_STATE:
            target = self.directory / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()

    def spider_closed(self, spider, reason):
        # Sent after the scheduler has saved its queue and seen file: from here they are consistent.
        write_marker(self.directory, {"status": "closed", "reason": reason, "pid": os.getpid(),
                                      "started": self.started,
                                      "closed": datetime.now(timezone.utc).replace(microsecond=0).isoformat()})
