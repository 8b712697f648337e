"""Stage 2, the Scrapy edge: takes the cited URLs, gives one ``Fetch`` per URL (every hop,
politely: robots.txt, per-host pacing, retries), recorded in the run's WARC as it happens."""
