"""One verification run: load, crawl, verify, store, report.

The only place that starts Scrapy (``CrawlerProcess``: one crawl per process,
as Twisted's reactor cannot be restarted). Everything before and after the
crawl is the pure core; this module wires it together and decides the exit code.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import os
import signal
from collections.abc import Callable, Mapping
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from sqlite_utils import Database
from twisted.internet.defer import DeferredList

from crawler import DB_NAME, __version__, recorder, reports
from crawler.checks import linkstatus
from crawler.checks.policy import Policy
from crawler.citing import selection
from crawler.citing.importers import Loaded, load
from crawler.crawl import lifeline, safety, shards
from crawler.crawl import settings as crawl_settings
from crawler.crawl.pipelines import Snapshot, close_extractors, display_path
from crawler.crawl.spiders.citations import CitationsSpider
from crawler.crawl.spiders.rescue import RescueSpider
from crawler.models import Citations, Fetch, Reference, utc_now
from crawler.record import archive, audit, dbseal, lock, store
from crawler.reports import jsonreport

OVERALL_ORDER = ("fail", "warn", "pass")
CITATIONS_COPY = "citations.yaml"  # the citations a run checked, in its folder
EXIT_INCOMPLETE = 3
CRAWL_GC_THRESHOLD = 10_000  # allocations between young-generation collections during a crawl (Python: 700)
WARC_SETTINGS = ("USER_AGENT", "ROBOTSTXT_OBEY", "DOWNLOAD_TIMEOUT", "RETRY_TIMES", "CONCURRENT_REQUESTS_PER_DOMAIN",
                 "DOWNLOAD_DELAY", "AUTOTHROTTLE_ENABLED", "DOWNLOAD_VERIFY_CERTIFICATES", "DOWNLOAD_MAXSIZE",
                 "CITECHECK_ALLOW_PRIVATE", "CITECHECK_REPLAY")


@dataclasses.dataclass(frozen=True)
class Followups:
    """What a run asks for once the cited pages are in: archive lookups for dead or changed
    sources, and the other-language editions of pages whose cited title is a translation."""

    lookups: list[dict] = dataclasses.field(default_factory=list)
    pages: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class RunOptions:
    citations: Path = Path("citations.yaml")
    archive: Path = Path("archive")
    replay: Path | None = None
    allow_private: bool = False
    timeout: float = 30.0
    json_path: Path | None = None
    junit_path: Path | None = None
    html_path: Path | None = None
    sarif_path: Path | None = None
    scrapy_settings: tuple[tuple[str, str], ...] = ()
    incremental: bool = True
    policy: Policy = Policy()
    verbose: bool = False
    log_level: str = "INFO"
    progress: object | None = None  # told of the crawl as it goes (``crawler.progress.Progress``)
    include: tuple = ()  # compiled patterns (``citing.selection``): URLs to check, when any is given
    exclude: tuple = ()  # compiled patterns: URLs never to fetch
    lang: str = "en"  # of the reports for editors (HTML, Markdown)
    redis: str | None = None  # crawl through the workers serving this Redis (``citecheck worker``)


def scrapy_settings(options: RunOptions, run_dir: Path) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.crawl.settings", priority="project")
    values = {
        "CITECHECK_RUN_DIR": str(run_dir),
        "CITECHECK_WARC_PATH": str(run_dir / archive.warc_name(run_dir.name)),
        "CITECHECK_WARC_INFO": {
            "isPartOf": run_dir.name,
            "description": f"citecheck run over {options.citations}",
            "replay-of": str(options.replay or ""),
        },
        "CITECHECK_ALLOW_PRIVATE": options.allow_private,
        "CITECHECK_REDIS_URL": options.redis,
        "DOWNLOAD_TIMEOUT": options.timeout,
        "LOG_LEVEL": options.log_level,
        # the crawl's log is part of the run's record; stderr only when asked (-v)
        "LOG_FILE": None if options.verbose else str(run_dir / "crawl.log"),
    }
    if options.replay:
        # answered from a file: no host to be polite to, and no network to wait for
        values.update(CITECHECK_REPLAY=str(options.replay), AUTOTHROTTLE_ENABLED=False, DOWNLOAD_DELAY=0)
    settings.setdict({name: os.environ[name] for name in crawl_settings.USER_SETTINGS if name in os.environ},
                     priority="spider")  # the environment: above the defaults, below the command line
    settings.setdict(values, priority="cmdline")
    for name, value in options.scrapy_settings:
        settings.set(name, value, priority="cmdline")
    # site owners see who is crawling and where to ask; -s USER_AGENT=... still wins
    contact = settings.get("CITECHECK_CONTACT_URL")
    settings.set("USER_AGENT", f"citecheck/{__version__} (+{contact})", priority="project")
    # the WARC says how it was made: an auditor needs the crawl's rules, not just its bytes
    info = dict(settings.getdict("CITECHECK_WARC_INFO"))
    info.update({name.lower().replace("_", "-"): str(settings.get(name)) for name in WARC_SETTINGS})
    settings.set("CITECHECK_WARC_INFO", info, priority="cmdline")
    return settings


def precheck(citations: Citations, allow_private: bool) -> tuple[list[str], dict[str, Fetch]]:
    """Split source URLs into those to crawl and refusals decided without a request."""
    to_crawl, refused = [], {}
    for source in citations.sources.values():
        try:
            safety.check_url(source.url, allow_private=allow_private)
        except safety.UnsafeURL as exc:
            refused[source.id] = Fetch(url=source.url or "", error=exc.verdict, error_detail=exc.detail, fetched_at=utc_now())
        else:
            to_crawl.append(source.url)
    return list(dict.fromkeys(to_crawl)), refused


def _close_log_file(path: str | None) -> None:
    """Stop writing the crawl log, so the run can be sealed (hashed) after it."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if path and isinstance(handler, logging.FileHandler) and handler.baseFilename == str(Path(path).resolve()):
            root.removeHandler(handler)
            handler.close()


def crawl(
    urls: list[str],
    settings: Settings,
    previous: Mapping[str, dict] | None = None,
    receive: Callable[[Snapshot], None] = lambda _: None,
    then: Callable[[], Followups] | None = None,
    notes: list[str] | None = None,
) -> list[dict]:
    """Run the spider over ``urls``; every URL comes back as a Snapshot, handed to ``receive`` as it
    comes (none is kept here: a lost URL comes as unreached once the crawl ends).

    ``then`` is called as soon as the cited pages are in and returns the
    follow-ups: rescue lookups, whose items are returned, and further pages
    (editions), crawled and handed over as the cited ones are. A large crawl that
    mostly revisits pages runs through local workers (``crawler.crawl.shards``).
    With ``CITECHECK_REDIS_URL`` the cited pages are crawled by the workers serving
    that Redis (``crawler.crawl.collect``), and ``notes`` hears why such a crawl ended early.
    """
    notes = notes if notes is not None else []
    with _collecting_less():
        if settings.get("CITECHECK_REDIS_URL"):
            return _crawl_through_workers(urls, settings, previous or {}, receive, then, notes)
        return _crawl(urls, settings, previous or {}, receive, then, notes)


@contextlib.contextmanager
def _collecting_less():
    """What is loaded by now (modules, citations, previous snapshots) lives as long as the run: the
    collections during the crawl skip it, and crawl processes leave its pages shared with this one.
    Nearly all a crawl frees goes by reference counting, so it collects every 10,000 allocations
    instead of every 700: that saved a 2,000-page crawl half a second of CPU, at the same peak memory.
    (Unfreezing afterwards also unfreezes what a caller may have frozen: Python cannot tell them apart.)"""
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(CRAWL_GC_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


@contextlib.contextmanager
def _not_collecting():
    """Recording and reporting build long-lived rows and free little: a collection there only
    walks them again (a tenth of a second in a run of 2,000 references)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _crawl(urls: list[str], settings: Settings, previous: Mapping[str, dict], receive: Callable[[Snapshot], None],
           then: Callable[[], Followups] | None, notes: list[str]) -> list[dict]:
    processes = 1 if settings.get("CITECHECK_REPLAY") else shards.process_count(urls, previous, settings)
    if processes < 2:
        return _crawl_here(urls, settings, previous, receive, then)
    with contextlib.ExitStack() as stack:
        try:
            url = stack.enter_context(shards.local_workers(processes, settings.getbool("CITECHECK_ALLOW_PRIVATE")))
        except (OSError, RuntimeError) as exc:
            logging.getLogger(__name__).warning("crawling in one process: %s", exc)
            return _crawl_here(urls, settings, previous, receive, then)
        split = shards.shared_limits(settings, processes)
        split.set("CITECHECK_REDIS_URL", url, priority="cmdline")
        return _crawl_through_workers(urls, split, previous, receive, then, notes, release=stack.close)


def _crawl_through_workers(urls: list[str], settings: Settings, previous: Mapping[str, dict],
                           receive: Callable[[Snapshot], None], then: Callable[[], Followups] | None,
                           notes: list[str], release: Callable[[], None] = lambda: None) -> list[dict]:
    """The cited pages by the run's workers; the follow-ups (a few pages, archive lookups) here.
    ``release`` ends what the workers needed (the local ones and their redis-server) once the cited
    pages are in: the follow-ups do not need them."""
    from crawler.crawl import collect

    problem, unfinished = collect.crawl_through(urls, settings, previous, receive)
    release()
    if problem and problem != "stopped":
        notes.append(problem)
    for url in unfinished:  # a URL the crawl lost is still a result, never a silent gap
        receive(recorder.unreached(url))
    followups = then() if then else Followups()
    if problem or not (followups.lookups or followups.pages):  # told to stop: no new requests
        return []
    return _crawl_here(followups.pages, settings, previous, receive, then=lambda: Followups(followups.lookups))


def _complete(urls: list[str], seen: set[str], receive: Callable[[Snapshot], None]) -> None:
    for url in urls:  # a URL the crawl lost is still a result, never a silent gap
        if url not in seen:
            seen.add(url)
            receive(recorder.unreached(url))


def _crawl_here(
    urls: list[str],
    settings: Settings,
    previous: Mapping[str, dict],
    receive: Callable[[Snapshot], None],
    then: Callable[[], Followups] | None = None,
) -> list[dict]:
    """The crawl in this process, then the follow-ups ``then`` asks for, in the same reactor
    (it cannot be restarted): with no ``urls``, only the follow-ups."""
    urls = list(urls)  # the follow-up pages join them
    seen: set[str] = set()
    rescued: list[dict] = []

    def collect(item, **_):
        if isinstance(item, Snapshot):
            seen.add(item.fetch.url)
            receive(item)

    def collect_rescue(item, **_):  # a named local: signal receivers are held weakly
        rescued.append(item)

    def chain_rescue(_=None):
        _complete(urls, seen, collect)
        followups = then() if then else Followups()
        started = []
        if followups.lookups:
            rescuer = process.create_crawler(RescueSpider)
            rescuer.signals.connect(collect_rescue, signal=signals.item_scraped)
            started.append(process.crawl(rescuer, lookups=followups.lookups))
        pages = followups.pages
        if pages:  # fetched, archived and extracted as the cited pages were
            editions = process.create_crawler(CitationsSpider)
            editions.signals.connect(collect, signal=signals.item_scraped)
            started.append(process.crawl(editions, urls=pages, previous=previous))
            urls.extend(pages)  # each gets an outcome, as any URL of the run
        return DeferredList(started) if started else None

    process = CrawlerProcess(settings)
    if urls:
        main = process.create_crawler(CitationsSpider)
        main.signals.connect(collect, signal=signals.item_scraped)
        process.crawl(main, urls=urls, previous=previous).addCallback(chain_rescue)
    elif chain_rescue() is None:
        return rescued
    try:
        process.start()
    finally:
        close_extractors()
    _close_log_file(settings.get("LOG_FILE"))
    _complete(urls, seen, collect)
    return rescued


def run(options: RunOptions, loaded: Loaded | None = None) -> tuple[dict, list[dict]]:
    """Verify every reference of ``options.citations`` (``loaded``: as ``importers.load`` read it already;
    the run takes its text and citations); raises CitationsError on bad input, ArchiveBusy when another
    run holds the archive (before anything is created or fetched)."""
    loaded = loaded or load(options.citations)
    run_id = archive.new_run_id()
    with lock.holding(options.archive, run_id):  # one newest link in the chain of manifests
        # the citations, the recorder and the crawl's leftovers are gone before the reports are written
        # (no frame here holds them): their memory serves the reports, not a peak of its own
        return _report(options, *_record(options, loaded, run_id))


def _record(options: RunOptions, loaded: Loaded, run_id: str) -> tuple[dict, jsonreport.Results, Database]:
    """Crawl, check and record the run; returns its summary, its results as held in their report's
    working file, and the database, whose run is committed."""
    citations, skipped = selection.select(loaded.take_citations(), options.include, options.exclude)
    started = utc_now()
    document = loaded.document
    run_dir = options.archive / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    checked_file = run_dir / CITATIONS_COPY  # what was checked, sealed with the run for the auditor
    checked_file.write_text(loaded.take_text(), encoding="utf-8")
    urls, refused = precheck(citations, options.allow_private)
    settings = scrapy_settings(options, run_dir)
    db = store.open_db(options.archive / DB_NAME)
    previous, distrusted = ((store.replayed_previous(db, options.archive, options.replay, urls), []) if options.replay
                            else store.previous_snapshots(db, options.archive, urls, validators=options.incremental))

    def link(reference: Reference) -> tuple[str, str | None]:
        return store.citation_id(reference), citations.sources[reference.source].url

    histories = None if options.replay else store.check_history(
        db, [link(reference) for reference in citations.references], dbseal.SealedRows(options.archive))

    def history(reference: Reference) -> list[dict]:  # a replay is no night: it has no history
        return histories[link(reference)] if histories is not None else []

    notes: list[str] = []  # why a crawl through workers ended early
    # a run is recorded whole or not at all: each snapshot and verdict is written as it comes, and
    # committed with the run's row once the crawl is over (one commit is far faster than thousands)
    with db.atomic():
        record = recorder.Recorder(db, run_id, options.archive, citations, refused, options.policy, history)
        record.check_refused()

        def then() -> Followups:
            # the cited pages are crawled: what they built on leaves memory (the editions crawled
            # next are new pages, never among them)
            previous.clear()
            return Followups(*record.followups())

        def receive(snap: Snapshot) -> None:
            record.add(snap)
            if progress:
                progress.done(snap)

        progress = options.progress
        if urls:
            probes = list(dict.fromkeys(linkstatus.probe_url(url) for url in urls))  # one per host
            if progress:
                progress.start(urls)
            try:  # each host's probe first: its pages are checked as soon as they come
                rescued = crawl(probes + urls, settings, previous, receive, then=then, notes=notes)
            finally:
                if progress:
                    progress.close()
        else:
            record.followups()
            rescued = []
        # the crawl is over: what is left takes a moment, and half a run helps no one
        with lifeline.stops_handled(signal.SIG_IGN), _not_collecting():
            outage = record.settle(rescued)
            counts = {k: record.counts[k] for k in OVERALL_ORDER}
            run_info = {
                "id": run_id,
                "started_at": started,
                "finished_at": utc_now(),
                "tool": f"citecheck {__version__}",
                "citations": display_path(checked_file if document else options.citations),
                "imported_from": display_path(document) if document else None,
                "document": citations.document,
                "replay": display_path(options.replay) if options.replay else None,
                "archive": display_path(run_dir),
                "references": len(citations.references),
                "sources": len(citations.sources),
                "urls_fetched": len(urls),
                "counts": counts,
                # an interrupted run is recorded as far as it got, but CI must not take it for a pass
                "exit_code": EXIT_INCOMPLETE if record.unreached or outage else 1 if counts["fail"] else 0,
            }
            if record.unreached:
                run_info["unreached"] = record.unreached
            if outage:
                run_info["network"] = outage
            if notes:
                run_info["workers"] = "; ".join(notes)
            if skipped:
                run_info["skipped"] = skipped
            if distrusted:  # someone edited the database: said loudly, and nothing built on it
                run_info["distrusted"] = distrusted
            store.record_citations(db, citations, run_id)
            store.record_run(db, run_info, settings={
                "timeout": options.timeout, "allow_private": options.allow_private, "incremental": options.incremental,
                "fail_on": sorted(options.policy.fail_on), "confirm_runs": options.policy.confirm_runs,
                "confirm_days": options.policy.confirm_days})
    with lifeline.stops_handled(signal.SIG_IGN), _not_collecting():
        store.checkpoint(db)  # citecheck.db alone now holds the run
        # the held results, as they were written; the other reports read them back from it
        results = jsonreport.Results.written(run_info, record.lines(), len(citations.references))
        record.close()
    return run_info, results, db


def _report(options: RunOptions, run_info: dict, results: jsonreport.Results,
            db: Database) -> tuple[dict, jsonreport.Results]:
    """The run's reports, its seal, and the copies of the reports asked for."""
    run_dir = options.archive / run_info["id"]
    with lifeline.stops_handled(signal.SIG_IGN), _not_collecting():
        gc.collect()  # what the crawl left in reference cycles, and what that referred to
        archive.compress_file(results.path, run_dir / archive.REPORT_JSON)
        reports.write_reports(run_info, results, junit_path=run_dir / archive.REPORT_XML,
                              html_path=run_dir / "report.html", lang=options.lang)
        audit.write_manifest(run_dir)  # last write into the run: seals it and chains it to the previous run
        for copy, original in ((options.json_path, results.path), (options.junit_path, run_dir / archive.REPORT_XML)):
            if copy:  # the same bytes as the sealed report, not rendered twice
                Path(copy).parent.mkdir(parents=True, exist_ok=True)
                archive.copy_plain(original, copy)
        reports.write_reports(run_info, results, html_path=options.html_path, sarif_path=options.sarif_path,
                              lang=options.lang)
    db.close()  # the write-ahead log is folded in and removed
    return run_info, results
