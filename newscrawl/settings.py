"""Production defaults: polite, robots.txt-obeying, pipelines in order. Override any with -s."""

BOT_NAME = "newscrawl"
SPIDER_MODULES = ["newscrawl.spiders"]
NEWSPIDER_MODULE = "newscrawl.spiders"
COMMANDS_MODULE = "newscrawl.commands"

# Politeness: identify ourselves, obey robots.txt, adapt to the server.
NEWSCRAWL_CONTACT_URL = "https://github.com/newscrawl/newscrawl"
USER_AGENT = f"newscrawl/0.1 (+{NEWSCRAWL_CONTACT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

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

ITEM_PIPELINES = {
    "newscrawl.pipelines.ValidatePipeline": 100,
    "newscrawl.pipelines.DedupePipeline": 200,
    "newscrawl.pipelines.StorePipeline": 300,
}

FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORT_FIELDS = [
    "url", "canonical_url", "site", "section", "title", "byline", "authors",
    "date_published", "date_modified", "body", "description", "tags", "image",
    "language", "word_count", "fingerprint", "crawled_at",
]
LOG_LEVEL = "INFO"
