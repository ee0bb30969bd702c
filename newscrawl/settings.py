"""Production defaults: polite, robots.txt-obeying, pipelines in order. Override any with -s."""

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
COMMANDS_MODULE = "newscrawl.commands"

# Politeness: identify ourselves, obey robots.txt, adapt to the server.
# The news spider sends USER_AGENT = "newscrawl/VERSION (+NEWSCRAWL_CONTACT_URL)": set the contact to a
# page or mailto: address where site owners can reach you (-s USER_AGENT=... replaces the whole header).
NEWSCRAWL_CONTACT_URL = "https://github.com/newscrawl/newscrawl"
USER_AGENT = f"newscrawl/0.1.0 (+{NEWSCRAWL_CONTACT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4  # a hard cap per site; AutoThrottle usually keeps it lower
DOWNLOAD_DELAY = 0.25  # the floor AutoThrottle never goes below
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0  # on average one request in flight per site
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = False
# Items of one response processed in parallel; a page yields one article, and Scrapy 2.19 starts
# this many tasks per response (the default 100 cost ~1 ms CPU per page).
CONCURRENT_ITEMS = 8
# No listening consoles in unattended crawls: Scrapy's telnet console and its remote-control HTTP
# server both run arbitrary Python in the crawl process (turn on with -s when debugging).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# Breadth-first: listing pages are shallow, so newest articles arrive before deep pagination.
DEPTH_PRIORITY = 1
SCHEDULER_DISK_QUEUE = "scrapy.squeues.PickleFifoDiskQueue"
SCHEDULER_MEMORY_QUEUE = "scrapy.squeues.FifoMemoryQueue"

# Where articles go, and where site profiles come from.
NEWSCRAWL_STORE = "sqlite:///newscrawl.db"
NEWSCRAWL_STORE_BATCH = 50
NEWSCRAWL_SITES = "sites.toml"
# Listing pages crawled per section when -a max_pages is not given (0 = until the end).
NEWSCRAWL_MAX_PAGES = 0
# Page -> item work (extract, load, fingerprint, simhash) in worker processes, beside Scrapy's one
# thread: "auto" = one per CPU but one, at most 4 (inline on a single CPU), 0 = inline in the crawl
# process, N = N workers.
NEWSCRAWL_EXTRACT_PROCESSES = "auto"
# Fewer, cheaper garbage collections in a long crawl (newscrawl/gctuning.py).
NEWSCRAWL_GC_TUNING = True

# --- Components, in order ---------------------------------------------------------------------------
ITEM_PIPELINES = {
    "newscrawl.pipelines.ValidatePipeline": 100,
    "newscrawl.pipelines.DedupePipeline": 200,
    "newscrawl.pipelines.StorePipeline": 300,
}
SPIDER_MIDDLEWARES = {
    # archived articles are not requested; pagination stops at an all-archived listing page
    "newscrawl.middlewares.SkipArchived": 550,
}
# process_request runs from low to high numbers, process_response from high to low.
DOWNLOADER_MIDDLEWARES = {
    # before OffsiteMiddleware (50) and RobotsTxtMiddleware (100): refused hosts get no robots.txt fetch
    "newscrawl.safety.SafetyMiddleware": 40,
    # engine side of RetryMiddleware (550): sees only what is left after retries
    "newscrawl.failures.FailureStatsMiddleware": 540,
    # failed requests by kind, failed start URLs: between RetryMiddleware (550) and
    # FailureStatsMiddleware (540), which turns failures into IgnoreRequest
    "newscrawl.middlewares.FetchOutcomes": 545,
    # downloader side of RedirectMiddleware (600) and HttpCompressionMiddleware (590)
    "newscrawl.responseguard.ResponseGuardMiddleware": 610,
    # downloader side of HttpCompressionMiddleware (590), RedirectMiddleware (600) and
    # HttpCacheMiddleware (900): sees each response first, still compressed; skips cache hits
    "newscrawl.warc.WarcCaptureMiddleware": 950,
}
EXTENSIONS = {
    "newscrawl.jobdir.JobDirGuard": 0,  # -s JOBDIR: trust a paused crawl's state, not a killed one's
    "newscrawl.summary.RunSummary": 0,  # end-of-run summary block + NEWSCRAWL_SUMMARY_FILE + health
    "newscrawl.gctuning.GcTuning": 0,  # fewer, cheaper garbage collections in a long crawl
}
# -s REDIS_URL=... switches the scheduler and dupefilter to scrapy-redis; unset, it changes nothing.
ADDONS = {"newscrawl.distributed.RedisFrontier": 0}

FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = [
    "url", "canonical_url", "site", "section", "title", "byline", "authors",
    "date_published", "date_modified", "body", "description", "tags", "image",
    "language", "word_count", "fingerprint", "crawled_at",
]
LOG_LEVEL = "INFO"

# --- Reliability and safety (newscrawl/safety.py, failures.py, responseguard.py) ----------------------
NEWSCRAWL_SAFETY_ENABLED = True  # scheme / domain / private-address rules; refusals: newscrawl/refused/<reason>
NEWSCRAWL_RETRY_AFTER_MAX = 30  # seconds; a 429/503 asking for a longer wait is given up, not retried early
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"  # the final failure is logged once, by FailureStatsMiddleware

# --- Cron-grade runs: incremental crawling, resume, run lock, summary, health -------------------------
NEWSCRAWL_INCREMENTAL = True  # False: every run fetches everything, as -a full=1 does
NEWSCRAWL_LOCK = True  # one crawl at a time per store (lock file beside SQLite / PG advisory lock)
NEWSCRAWL_LOCK_WAIT = 0  # seconds to wait for a running crawl to finish before giving up (exit 3)
NEWSCRAWL_SUMMARY = True  # print the summary block on stderr at the end of the run
NEWSCRAWL_SUMMARY_FILE = None  # path: also write the summary as JSON
# Health: a run failing any check exits with status 4 (newscrawl/health.py); 0 reports only.
NEWSCRAWL_HEALTH = True
NEWSCRAWL_HEALTH_MAX_DROPPED = 0.2  # article pages dropped (not an article, no title/body) / fetched
NEWSCRAWL_HEALTH_MAX_FAILED = 0.2  # article requests failed (HTTP >= 400, network) / made
NEWSCRAWL_HEALTH_MIN_COVERAGE = {"date_published": 0.8}  # share of new articles having the field
NEWSCRAWL_HEALTH_MIN_SAMPLE = 10  # ratios and coverage are judged from this many pages / new articles
NEWSCRAWL_HEALTH_MAX_START_FAILURES = 0  # start URLs allowed to be unreachable

# --- Distributed crawling (newscrawl/distributed.py) --------------------------------------------------
# Several `scrapy crawl news` processes, on one or many machines, share one scrapy-redis frontier
# (give them a postgresql:// NEWSCRAWL_STORE too). Keys live under NEWSCRAWL_REDIS_PREFIX.
REDIS_URL = None
NEWSCRAWL_REDIS_PREFIX = "newscrawl"
NEWSCRAWL_REDIS_IDLE_GRACE = 15.0  # s the frontier must stay empty, all workers idle, before all close
NEWSCRAWL_REDIS_HEARTBEAT = 2.0  # s between worker state updates in Redis
NEWSCRAWL_REDIS_WORKER_TTL = 30.0  # s without a heartbeat after which a worker counts as gone

# --- WARC capture (newscrawl/warc.py) -------------------------------------------------------------------
# -s NEWSCRAWL_WARC_DIR=warcs/ writes every fetched response with its request as WARC/1.1 records,
# payload as it came off the wire; needs the `warc` extra (warcio). Unset, the middleware is not loaded.
NEWSCRAWL_WARC_DIR = None
NEWSCRAWL_WARC_MAX_SIZE = 1024**3  # bytes; a file reaching this size is finished, the next one starts
NEWSCRAWL_WARC_OPERATOR = None  # warcinfo "operator" (name, email); unset: NEWSCRAWL_CONTACT_URL
