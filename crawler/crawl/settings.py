"""Scrapy settings for citecheck: a polite, conservative citation checker.

citecheck's own settings are namespaced ``CITECHECK_*``:

- ``CITECHECK_CONTACT_URL``: where site owners learn who is crawling (in the User-Agent).
- ``CITECHECK_ALLOW_PRIVATE``: fetch private/loopback/link-local addresses (tests only).
- ``CITECHECK_WARC_PATH``: the run's WARC file; ``CITECHECK_WARC_INFO``: its warcinfo fields.
- ``CITECHECK_REPLAY``: answer every request from this WARC instead of the network.
- ``CITECHECK_RETRY_AFTER_MAX``: longest Retry-After (seconds) waited for before a retry.
- ``CITECHECK_CRAWL_DELAY_MAX``: longest robots.txt Crawl-delay (seconds) honoured per host.
- ``CITECHECK_RESCUE``, ``CITECHECK_WAYBACK_ENDPOINT``, ``CITECHECK_TIMEGATE_ENDPOINT``: look up
  archived copies of dead or changed sources (Wayback availability API, Memento TimeGate).
- ``CITECHECK_CRAWL_PROCESSES``, ``CITECHECK_CRAWL_PROCESS_MIN_URLS``: a large crawl that mostly
  revisits pages is split by host across this many processes (see ``crawler.crawl.shards``).
- ``CITECHECK_REDIS_URL``: crawl through the workers that serve this Redis (``crawler.crawl.collect``);
  ``CITECHECK_REDIS_NO_WORKER_WAIT``: seconds without a live worker before such a run gives up;
  ``CITECHECK_REDIS_FRONTIER_URLS``: URLs such a run holds in Redis at a time;
  ``CITECHECK_RUN_ID``, ``CITECHECK_WORKER_ID``: a worker's crawl of a run (``crawler.crawl.scheduler``).
- ``CITECHECK_EXTRACT_WORKERS``: processes that extract pages beside the crawl (0: in the crawl's
  own thread); ``CITECHECK_EXTRACT_POOL_MIN_URLS``: smaller crawls extract in the crawl's thread,
  as starting the pool would cost more than it saves (see ``crawler.crawl.pipelines``).
"""

from scrapy.settings import default_settings

from crawler import __version__

BOT_NAME = "citecheck"
SPIDER_MODULES = ["crawler.crawl.spiders"]
NEWSPIDER_MODULE = "crawler.crawl.spiders"

CITECHECK_CONTACT_URL = "https://github.com/citecheck/citecheck#for-site-owners"
CITECHECK_ALLOW_PRIVATE = False
CITECHECK_WARC_PATH = None
CITECHECK_WARC_INFO = {}
CITECHECK_REPLAY = None
CITECHECK_RETRY_AFTER_MAX = 120.0
CITECHECK_RESCUE = True
CITECHECK_WAYBACK_ENDPOINT = "https://archive.org/wayback/available"
CITECHECK_TIMEGATE_ENDPOINT = "https://web.archive.org/web/"

USER_AGENT = f"citecheck/{__version__} (+{CITECHECK_CONTACT_URL})"

# Politeness (see crawler.crawl.throttle): robots.txt with its Crawl-delay, at most 2 requests in flight
# per host, spaced by the host's own latency (AutoThrottle) and slowed, never sped up, by errors.
ROBOTSTXT_OBEY = True
DOWNLOADER = "crawler.crawl.downloader.Downloader"  # the per-host limit holds from the first request on
CONCURRENT_REQUESTS = 64  # all hosts together (our side's resources, not politeness)
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0  # no fixed floor: a host's Crawl-delay is its floor
# Scrapy jitters each wait between 0.5x and 1.5x so that sites cannot tell a crawler by its rhythm.
# citecheck says who it is in its User-Agent; unjittered, no wait is shorter than the pace set.
DOWNLOAD_DELAY_JITTER = 0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0  # robots.txt is every host's first request: its latency sets the pace
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0  # on average no more in flight than the per-host cap
CITECHECK_CRAWL_DELAY_MAX = 60.0

# Every status reaches the spider: a 404 is a verdict, not an error to drop.
HTTPERROR_ALLOW_ALL = True
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024
DOWNLOAD_VERIFY_CERTIFICATES = True  # an expired or self-signed certificate is worth reporting
COOKIES_ENABLED = True
METAREFRESH_ENABLED = True

DOWNLOADER_MIDDLEWARES = {
    "crawler.crawl.middlewares.SafetyMiddleware": 40,
    "crawler.crawl.middlewares.ValidatorsMiddleware": 45,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.crawl.middlewares.RobotsTxtMiddleware": 100,
    "crawler.crawl.middlewares.RetryAfterMiddleware": 560,
    "crawler.crawl.middlewares.WarcRecorderMiddleware": 950,
    "crawler.crawl.middlewares.TlsDiagnosisMiddleware": 955,
    "crawler.crawl.middlewares.WarcReplayMiddleware": 960,
}

# The spiders yield items, never follow links: the spider middlewares that limit followed requests
# would only cost time on every response. (The Referer one stays: the redirect middlewares ask for it.)
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
}
# Scrapy checks every callback for a generator's `return value` by parsing its source, once per
# response (bound methods defeat its cache); our callbacks are tested, the check is pure cost.
WARN_ON_GENERATOR_RETURN_VALUE = False

ITEM_PIPELINES = {"crawler.crawl.pipelines.ExtractionPipeline": 300}
CITECHECK_RUN_DIR = None
# Performance: extraction (~10 ms of CPU a page) in two worker processes once a crawl is large
# enough to pay for starting them (bench/crawl.py measures both).
CITECHECK_EXTRACT_WORKERS = 2
CITECHECK_EXTRACT_POOL_MIN_URLS = 50
# Performance: a nightly crawl of mostly 304s is bound by Scrapy's one thread, not by extraction;
# from this many URLs on it runs through local workers over Redis (crawler.crawl.shards; bench/crawl.py).
# Their start and the hand-back cost more than the forked processes did (3.9 ms of CPU per 304 instead
# of 2.6 in one process, on 2,000 pages): on a 2-core machine 2,000 URLs were not faster split.
CITECHECK_CRAWL_PROCESSES = 2
CITECHECK_CRAWL_PROCESS_MIN_URLS = 5000
# A run over several machines (crawler.crawl.collect, crawler.worker): its Redis, and how long it waits for a worker.
CITECHECK_REDIS_URL = None
CITECHECK_REDIS_NO_WORKER_WAIT = 15.0
# URLs in the run's Redis at a time (a few per host, topped up as outcomes come back): ~1.5 KB of Redis
# each, not the whole run's. Enough for 8 workers of 32 hosts each, 8 URLs per host (4 x per-host limit).
CITECHECK_REDIS_FRONTIER_URLS = 2000
CITECHECK_RUN_ID = None
CITECHECK_WORKER_ID = None
# The spiders yield one item per response; Scrapy starts CONCURRENT_ITEMS asyncio tasks for every
# response's output however few items it has (100 by default: 200,000 tasks in a 2,000-page crawl).
CONCURRENT_ITEMS = 1

EXTENSIONS = {
    "scrapy.extensions.throttle.AutoThrottle": None,
    "crawler.crawl.throttle.AutoThrottle": 0,
    "crawler.crawl.throttle.RobotsCrawlDelay": 10,  # after AutoThrottle: restores what it lowers
    "crawler.crawl.sizecap.SizeCap": 20,
    "crawler.crawl.timers.TimerSweep": 30,
}
# A verification run takes no commands over HTTP. Disabling the remote control in EXTENSIONS would
# still import it (Scrapy >= 2.17 imports every component it is told about, disabled ones too), and
# with it aiohttp: 0.09 s in every crawl process. So it leaves the base list, which stays Scrapy's own.
EXTENSIONS_BASE = {path: order for path, order in default_settings.EXTENSIONS_BASE.items()
                   if path != "scrapy.extensions.remote_control.RemoteControl"}

TELNETCONSOLE_ENABLED = False
# The settings users change, also read from the environment (CITECHECK_RESCUE=False citecheck verify):
# below -s on the command line, above these defaults. The others are the run's own wiring.
USER_SETTINGS = ("CITECHECK_CONTACT_URL", "CITECHECK_RETRY_AFTER_MAX", "CITECHECK_CRAWL_DELAY_MAX", "CITECHECK_RESCUE",
                 "CITECHECK_WAYBACK_ENDPOINT", "CITECHECK_TIMEGATE_ENDPOINT", "CITECHECK_CRAWL_PROCESSES",
                 "CITECHECK_CRAWL_PROCESS_MIN_URLS", "CITECHECK_EXTRACT_WORKERS", "CITECHECK_EXTRACT_POOL_MIN_URLS")

# A proxy resolves the cited host itself, so the address guard (crawl/resolver.py) would see only the
# proxy's name: the environment's http_proxy/https_proxy are not used. -s HTTPPROXY_ENABLED=True uses
# them, and then private addresses behind host names are the proxy's to refuse.
HTTPPROXY_ENABLED = False
LOG_LEVEL = "WARNING"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

# The address guard where connections are made: the answer checked is the answer connected to
TWISTED_DNS_RESOLVER = "crawler.crawl.resolver.GuardedResolver"
