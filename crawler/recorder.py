"""A run's snapshots and verdicts, recorded as the crawl hands them over.

Each snapshot is written to the database (its text to the full-text index)
when it comes, and each reference is checked as soon as its page and its
host's probe are in: its verdict is written then, and its result is held, as
its line of the JSON report, in a temporary table until the reports are
written (in citations order). Which references cite a URL, and which
snapshot row a recorded URL has, wait in temporary tables too, so the
recorder holds nothing per URL in memory (a dictionary of each cost 0.1 to
0.2 KB per URL). Only the few references that wait for something are held
until it comes: the pages whose host's probe is not in yet, the pages whose
cited title is a translation (checked again once their edition is fetched),
the results a rescue lookup completes. Everything is written inside the
transaction that records the run whole or not at all (``crawler.runner``).
"""

from __future__ import annotations

import collections
import json
from array import array
from collections.abc import Callable
from pathlib import Path

from sqlite_utils import Database

from crawler.checks import linkstatus
from crawler.checks.policy import Policy
from crawler.checks.titles import wanted_edition
from crawler.checks.verify import check_reference
from crawler.crawl import rescue
from crawler.crawl.pipelines import Snapshot
from crawler.extract import serialize
from crawler.models import Citations, Extracted, Fetch, Reference
from crawler.record import archive, store
from crawler.reports import jsonreport

UNREACHED = "the crawl ended without an outcome"  # stopped (Ctrl-C, SIGTERM) or a crawl process died


def reached(snap: Snapshot) -> bool:
    """Did the crawl get to this URL at all (a stopped crawl leaves some it never tried)?"""
    return snap.fetch.error_detail != UNREACHED


def unreached(url: str) -> Snapshot:
    return Snapshot(Fetch(url=url, error="connection_error", error_detail=UNREACHED), None, None)


class Recorder:
    """Takes each snapshot as it comes (``add``); checks and records the references it completes."""

    def __init__(self, db: Database, run_id: str, archive_dir: Path, citations: Citations,
                 refused: dict[str, Fetch], policy: Policy, history: Callable[[Reference], list[dict]]):
        self.db, self.run_id, self.archive_dir = db, run_id, archive_dir
        self.citations, self.refused, self.policy, self.history = citations, refused, policy, history
        # temporary tables of the run's connection, not part of the archive: the run's results until its
        # reports are written; position of each reference -> the URL it cites (refused sources aside);
        # each URL recorded in the run -> its snapshot's row id
        held = store.temporary_table(db, "citecheck_results", "position integer primary key, line text not null")
        cited = store.temporary_table(db, "citecheck_cited", "position integer primary key, url text not null")
        recorded = store.temporary_table(db, "citecheck_recorded", "url text primary key, snapshot integer not null")
        db.conn.execute(f"create index temp.{cited}_url on {cited} (url)")
        self.held, self.cited, self.recorded = (f"temp.{name}" for name in (held, cited, recorded))
        db.conn.executemany(f"insert into {self.cited} (position, url) values (?, ?)", self._cited())
        self.probe_urls = {linkstatus.probe_url(url) for _, url in self._cited()}
        self.probes: dict[str, tuple[Fetch, Extracted | None]] = {}  # one per host
        self.waiting: dict[str, list[Snapshot]] = {}  # probe URL -> pages of its host that wait for it
        self.editions: dict[str, str] = {}  # source id -> its page's edition in the cited title's language
        self.for_editions: list[tuple[int, Snapshot]] = []  # references checked again with their edition
        self.edition_urls: set[str] = set()
        self.edition_pages: dict[str, Snapshot] = {}  # those fetched once wanted
        self.lookups: dict[str, tuple[int, dict]] = {}  # source -> (position, rescue lookup); first claim wins
        self.rescuable: list[tuple[int, int | None]] = []  # (position, check id) of results a lookup may complete
        self.network_checks = array("q")  # checks of fetches that failed for want of a network
        self.hosts: dict[str, bool] = {}  # ``linkstatus.note_host``'s tally over the cited URLs
        self.unreached = 0
        self.counts: collections.Counter = collections.Counter()

    def _cited(self):
        """(position, URL) of each reference whose source is crawled."""
        for position, reference in enumerate(self.citations.references):
            source = self.citations.sources[reference.source]
            if source.id not in self.refused and source.url:
                yield position, source.url

    def _citing(self, url: str) -> list[int]:
        """The positions of the references that cite ``url``, in citations order."""
        return [position for (position,) in self.db.conn.execute(
            f"select position from {self.cited} where url = ? order by position", [url])]

    def _snapshot_id(self, url: str) -> int | None:
        """The row id of ``url``'s snapshot in this run, if it is recorded."""
        found = self.db.conn.execute(f"select snapshot from {self.recorded} where url = ?", [url]).fetchone()
        return found[0] if found else None

    # -- as the crawl goes ---------------------------------------------------------------

    def check_refused(self) -> None:
        """The references whose source is refused without a request: checked before the crawl."""
        for position, reference in enumerate(self.citations.references):
            source = self.citations.sources[reference.source]
            if source.id in self.refused or not source.url:
                fetch = self.refused.get(source.id) or Fetch(url=source.url or "", error="connection_error",
                                                             error_detail="not crawled")
                snap = Snapshot(fetch, None, None)
                self._record(position, snap, self._result(position, snap, None, probe=None))

    def add(self, snap: Snapshot) -> None:
        url = snap.fetch.url
        if self._snapshot_id(url) is not None:  # handed over twice: the first outcome counts
            return
        row_id = store.insert_row(self.db, "snapshots", store.snapshot_row(
            self.run_id, snap.fetch, snap.extracted, snap.files, snap.change, archive_dir=self.archive_dir))
        self.db.conn.execute(f"insert into {self.recorded} (url, snapshot) values (?, ?)", [url, row_id])
        extraction = snap.take_extraction() if snap.extracted is not None else None
        if extraction is not None:  # a reused extraction's text is indexed once, in the snapshot it came from
            reused = (snap.change or {}).get("reused_extraction")
            store.index_texts(self.db, [(row_id, snap.extracted.title, None if reused else extraction.text)])
        if url in self.edition_urls:
            self.edition_pages[url] = snap
        if url in self.probe_urls:
            self.probes[url] = (snap.fetch, extraction)
            for page in self.waiting.pop(url, ()):
                self._check_page(page, None)
        if self._citing(url):
            self.unreached += not reached(snap)
            linkstatus.note_host(self.hosts, snap.fetch)
            if linkstatus.probe_url(url) in self.probes:
                self._check_page(snap, extraction)
            else:
                self.waiting.setdefault(linkstatus.probe_url(url), []).append(snap)

    def followups(self) -> tuple[list[dict], list[str]]:
        """Once the cited pages are in (the lost ones as unreached): the rescue lookups, in citations
        order, and the edition pages to fetch (those the run fetched already aside: read back, ``_edition``)."""
        for probe in list(self.waiting):  # a probe the crawl never handed over: checked without it
            for page in self.waiting.pop(probe):
                self._check_page(page, None)
        lookups = [lookup for _, lookup in sorted(self.lookups.values(), key=lambda item: item[0])]
        return lookups, sorted(url for url in set(self.editions.values()) if self._snapshot_id(url) is None)

    def settle(self, rescued: list[dict]) -> str | None:
        """After the follow-ups: the translated titles checked against their editions, the rescue
        lookups' suggestions put on their results, and an outage's verdicts taken out of the history
        (they say nothing about the links). Returns what to say of the outage, if there was one."""
        for position, snap in self.for_editions:
            source = self.citations.sources[self.citations.references[position].source]
            url = self.editions[source.id]
            self._record(position, snap, self._result(position, snap, snap.extraction(), edition=self._edition(url)))
        self.for_editions.clear()
        by_key = {item["key"]: item for item in rescued}
        for position, check_id in self.rescuable:
            item = by_key.get(self.citations.references[position].source)
            if item is None:
                continue
            line = self.db.conn.execute(f"select line from {self.held} where position = ?", [position]).fetchone()[0]
            result = json.loads(line)
            result["rescue"] = item.get("suggestion")
            self.db.conn.execute(f"update {self.held} set line = ? where position = ?",
                                 [jsonreport.line(result), position])
            if check_id is not None:
                store.update_check_result(self.db, check_id, result)
        outage = linkstatus.outage_of(self.hosts)
        if outage:  # an outage is no night of the link's history
            store.delete_checks(self.db, self.network_checks)
        return outage

    def lines(self):
        """The held results, as report lines in citations order."""
        for (line,) in self.db.conn.execute(f"select line from {self.held} order by position"):
            yield line

    def close(self) -> None:
        for table in (self.held, self.cited, self.recorded):
            self.db.conn.execute(f"drop table if exists {table}")

    # -- one reference -------------------------------------------------------------------

    def _check_page(self, snap: Snapshot, extraction: Extracted | None) -> None:
        if extraction is None and snap.extracted is not None:
            extraction = snap.extraction()
        for position in self._citing(snap.fetch.url):
            source = self.citations.sources[self.citations.references[position].source]
            result = self._result(position, snap, extraction)
            self._note_lookup(position, result)
            edition = wanted_edition(source, extraction)
            if edition and edition != source.url:  # its title is checked once the edition is in
                self.editions[source.id] = edition
                self.edition_urls.add(edition)
                self.for_editions.append((position, snap))
            else:
                self._record(position, snap, result)

    def _result(self, position: int, snap: Snapshot, extraction: Extracted | None, probe: object = "host",
                edition: tuple | None = None) -> dict:
        reference = self.citations.references[position]
        source = self.citations.sources[reference.source]
        if probe == "host":
            probe = self.probes.get(linkstatus.probe_url(source.url))
        result = check_reference(reference, source, snap.fetch, extraction, snap.files,  # unreached: no streak
                                 policy=self.policy, history=self.history(reference) if reached(snap) else [],
                                 probe=probe, edition=edition)
        result["change"] = snap.change
        return result

    def _note_lookup(self, position: int, result: dict) -> None:
        if result["source"] not in self.lookups:
            found = rescue.lookups_for([result])
            if found:
                self.lookups[result["source"]] = (position, found[0])

    def _record(self, position: int, snap: Snapshot, result: dict) -> None:
        check_id = None
        if reached(snap):  # a reference the crawl never reached has no verdict for the history
            reference = self.citations.references[position]
            check_id = store.insert_row(self.db, "checks", store.check_row(
                self.run_id, reference, result, self._snapshot_id(snap.fetch.url)))
            if linkstatus.network_failure(snap.fetch):
                self.network_checks.append(check_id)
        if rescue.needs_rescue(result):
            self.rescuable.append((position, check_id))
        self.counts[result["overall"]] += 1
        self.db.conn.execute(f"insert into {self.held} (position, line) values (?, ?)",
                             [position, jsonreport.line(result)])

    def _edition(self, url: str) -> tuple[str, Extracted | None] | None:
        """An edition fetched in the run, with its extraction when it was fetched alive (a dead edition
        confirms no title)."""
        snap = self.edition_pages.get(url)
        if snap is not None:
            status, extraction = snap.fetch.status, snap.extraction
        elif (row_id := self._snapshot_id(url)) is not None:  # cited in this run too, fetched before it was wanted
            status, stored, text_path = store.recorded_extraction(self.db, row_id)
            text = archive.read_text(Path(self.archive_dir) / text_path) if text_path else None
            extraction = lambda: serialize.extracted_from_json(stored, text)
        else:
            return None
        alive = status and 200 <= status < 300 or status == 304
        return url, extraction() if alive else None
