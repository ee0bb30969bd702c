"""`scrapy crawl`, checking arguments, sites.toml and the store before anything is fetched.

Bad input ends the command with one line on stderr and exit status 2, instead of a traceback
from inside the engine.
"""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from newscrawl.sites import ConfigError
from newscrawl.store import StoreError, open_store

EXIT_BAD_INPUT = 2


class Command(ScrapyCrawlCommand):
    def run(self, args, opts):
        if len(args) != 1:
            raise UsageError("give exactly one spider name, e.g. scrapy crawl news -a start_urls=URL")
        try:
            self.check_before_start(args[0], opts.spargs)
        except (ConfigError, StoreError) as exc:
            print(f"newscrawl: error: {exc}", file=sys.stderr)
            self.exitcode = EXIT_BAD_INPUT
            return
        self.crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(self.crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1

    def check_before_start(self, spider_name: str, spider_arguments: dict) -> None:
        spider_class = self.crawler_process.spider_loader.load(spider_name)
        check = getattr(spider_class, "check_arguments", None)
        if check is not None:
            check(spider_arguments, self.settings)
        if "newscrawl.pipelines.StorePipeline" in self.settings.getdict("ITEM_PIPELINES"):
            open_store(self.settings.get("NEWSCRAWL_STORE")).close()
