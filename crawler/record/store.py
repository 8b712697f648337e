"""The archive database (``archive/citecheck.db``): history across runs.

Tables: ``runs``; ``sources`` and ``citations`` (upserted: the latest state of
the citations file); ``snapshots`` (one per fetched URL per run); ``checks``
(one per reference per run). A snapshot's text is kept once, in the archived
file its row names (``text_path``, hashed in ``sha256``): the full-text index
``snapshots_fts`` is contentless and keeps no word positions (``FTS_OPTIONS``),
built from that file as the row is recorded (rows of older versions keep their
``text`` column, and are indexed from it). Nothing is ever
overwritten, so a nightly job builds history. ``ensure_schema`` is idempotent:
it creates what is missing and adds new columns to old databases, filling them
once (``BACKFILL``); an archive so upgraded is not to be written by an older
version, whose rows would leave them empty.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from sqlite_utils import Database
from warcio.exceptions import ArchiveLoadFailed

from crawler.extract import serialize
from crawler.record import archive, dbseal

logger = logging.getLogger(__name__)

SCHEMA = {
    "runs": (
        {"id": str, "started_at": str, "finished_at": str, "tool": str, "citations": str, "document": str,
         "replay": str, "archive": str, "settings": str, "counts": str, "exit_code": int},
        {"pk": "id"},
    ),
    "sources": (
        {"id": str, "url": str, "title": str, "publisher": str, "claimed_updated": str, "last_run": str},
        {"pk": "id"},
    ),
    "citations": (
        {"id": str, "footnote": str, "source": str, "pages": str, "passage": str, "line": int, "last_run": str},
        {"pk": "id", "foreign_keys": [("source", "sources", "id")]},
    ),
    "snapshots": (
        {"id": int, "run": str, "url": str, "final_url": str, "status": int, "error": str, "error_detail": str,
         "fetched_at": str, "content_type": str, "etag": str, "last_modified": str, "body_sha256": str,
         "sha256": str, "text_path": str, "warc": str, "kind": str, "title": str, "published": str,
         "modified": str, "page_count": int, "hops": str, "change_status": str, "text_similarity": float,
         "reused_snapshot": int, "text": str, "extracted": str},
        {"pk": "id", "foreign_keys": [("run", "runs", "id")]},
    ),
    "checks": (
        {"id": int, "run": str, "citation": str, "url": str, "footnote": str, "source": str, "snapshot": int, "link": str,
         "date_verdict": str, "title_verdict": str, "pages_verdict": str, "overall": str, "reasons": str,
         "result": str},
        {"pk": "id", "foreign_keys": [("run", "runs", "id"), ("source", "sources", "id"),
                                      ("snapshot", "snapshots", "id")]},
    ),
}
# checks.snapshot: history and diff list each snapshot with the verdicts given on it
INDEXES = {"snapshots": [["url", "status"], ["run"]], "checks": [["run"], ["source"], ["citation", "url"], ["snapshot"]]}
# Partial indexes, which sqlite-utils does not create: name -> (table, column, where). SQLite uses
# one only for a query that states its where term for term, as previous_snapshots does.
PARTIAL_INDEXES = {
    "idx_snapshots_url_extraction": ("snapshots", "url", "status in (200, 304) and extracted is not null"),
    "idx_snapshots_url_seen": ("snapshots", "url", "status in (200, 304) and error is null"),
}
RETIRED_INDEXES = ["idx_checks_citation",  # (citation, url) leads with the same column
                   "idx_snapshots_url_extracted"]  # its "text is not null": the text is in its file now
# a column added to an old database, and how its rows get their values
BACKFILL = {("checks", "url"): "update checks set url = coalesce("
                               "(select url from snapshots s where s.id = checks.snapshot), json_extract(result, '$.url'))"}


PAGE_SIZE = 8192  # a checks row (~2.5 KB) or snapshot row (~2 KB) fills 4 KB pages to ~60 %, 8 KB ones to ~90 %


def open_db(path: str | Path) -> Database:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    new = not Path(path).is_file() or Path(path).stat().st_size == 0
    db = Database(path)
    if new:  # an existing database keeps its page size: changing it would rewrite the whole file
        db.execute(f"pragma page_size = {PAGE_SIZE}")
    # WAL: readers (serve, audit) never block a run's write, and a commit appends
    db.execute("pragma journal_mode = wal")
    db.execute("pragma synchronous = normal")
    ensure_schema(db)
    return db


def checkpoint(db: Database) -> None:
    """Fold the write-ahead log into citecheck.db, so the file alone holds every finished run."""
    db.execute("pragma wal_checkpoint(truncate)")


def ensure_schema(db: Database) -> None:
    for name, (columns, options) in SCHEMA.items():
        table = db[name]
        if table.exists():
            missing = {k: v for k, v in columns.items() if k not in table.columns_dict}
            for column, kind in missing.items():
                with db.atomic():  # the column with its values, or neither: the next open tries again
                    table.add_column(column, kind)
                    if (name, column) in BACKFILL:
                        db.execute(BACKFILL[name, column])
        else:
            table.create(columns, **options)
    for name, indexes in INDEXES.items():
        for columns in indexes:
            db[name].create_index(columns, if_not_exists=True)
    for index, (name, column, where) in PARTIAL_INDEXES.items():
        db.execute(f"create index if not exists [{index}] on [{name}] ([{column}]) where {where}")
    for index in RETIRED_INDEXES:
        db.execute(f"drop index if exists [{index}]")
    _ensure_fts(db)


FTS = "snapshots_fts"
# which words each row's title and text hold, not where: a third of the size of positions (detail=full).
# Words, prefixes (harb*), AND/OR/NOT and column filters (title: ...) are searched; quoted phrases and
# NEAR need positions and are refused. An older archive's index keeps its positions.
FTS_OPTIONS = "content='', detail=column"
OLD_FTS_TRIGGERS = ("snapshots_ai", "snapshots_ad", "snapshots_au")  # sqlite-utils' sync of an external-content index


def _ensure_fts(db: Database) -> None:
    """The contentless full-text index over snapshot titles and texts. An archive of an older version
    indexed the ``text`` column itself (external content, kept in step by triggers): its index is
    rebuilt once, contentless, from the texts those rows hold; a contentless one is kept as it is."""
    found = db.execute("select sql from sqlite_master where name = ?", [FTS]).fetchone()
    if found and "content=''" in found[0].replace(" ", "").replace('"', "'"):
        return
    with db.atomic():
        for trigger in OLD_FTS_TRIGGERS:
            db.execute(f"drop trigger if exists [{trigger}]")
        if found:
            db.execute(f"drop table [{FTS}]")
        db.execute(f"create virtual table [{FTS}] using fts5 (title, text, {FTS_OPTIONS})")
        db.execute(f"insert into [{FTS}] (rowid, title, text) select id, title, text from snapshots")


def index_texts(db: Database, entries: Iterable[tuple[int, str | None, str | None]]) -> None:
    """Add (snapshot id, title, text) to the full-text index, consumed one at a time (each text read
    from its file as it comes)."""
    db.conn.executemany(f"insert into [{FTS}] (rowid, title, text) values (?, ?, ?)", entries)


def citation_id(reference) -> str:
    return f"fn{reference.footnote}:{reference.source}:{reference.pages or ''}"


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def record_run(db: Database, run: dict, settings: dict | None = None) -> None:
    row = {**run, "document": _json(run.get("document")), "counts": _json(run.get("counts")),
           "settings": _json(settings or {})}
    db["runs"].upsert(_full(row, "runs"), pk="id")


def record_citations(db: Database, citations, run_id: str) -> None:
    def claimed(claim):
        return None if claim is None else ("unknown" if claim.unknown else claim.value.isoformat())

    db["sources"].upsert_all([{
        "id": source.id, "url": source.url, "title": source.title, "publisher": source.publisher,
        "claimed_updated": claimed(source.claimed_updated), "last_run": run_id,
    } for source in citations.sources.values()], pk="id")
    db["citations"].upsert_all([{
        "id": citation_id(reference), "footnote": reference.footnote, "source": reference.source,
        "pages": reference.pages, "passage": reference.passage, "line": reference.line, "last_run": run_id,
    } for reference in citations.references], pk="id")


def _archive_relative(path: str | None, archive_dir: Path) -> str | None:
    """Paths in the database are relative to the archive, so it can be moved whole."""
    if not path:
        return None
    folder = _relative_folder(Path(path).parent, Path(archive_dir))  # resolved once per folder
    return path if folder is None else str(Path(folder) / Path(path).name)


@functools.lru_cache(maxsize=256)
def _relative_folder(folder: Path, archive_dir: Path) -> str | None:
    try:
        return str(folder.resolve().relative_to(archive_dir.resolve()))
    except ValueError:
        return None


LIVE_RUN = "(select id from runs where replay is null or replay = '')"  # replays are no night of their own
# where each kind of snapshot a run builds on is found, newest first, through its (partial) index
BODY = "status = 200 and warc is not null"
EXTRACTION = "status in (200, 304) and extracted is not null"
SEEN = "status in (200, 304) and error is null"


def previous_snapshots(db: Database, archive_dir: Path, urls: list[str],
                       validators: bool = True) -> tuple[PreviousSnapshots, list[str]]:
    """What the next request of each URL builds on, for conditional requests, 304s and change reports.

    The response from the latest live snapshot with a full response (200): its
    validators and archived body. The extraction and text from the latest
    snapshot that stored its own (that 200, or a later 304 re-extracted by newer
    code, so an upgrade re-extracts once, not every night). ``run``: the last
    live run that saw the page. The validators are left out when a 304 could not
    be used (an outdated extraction whose WARC is gone: the page is fetched in
    full instead) or when ``validators`` is False (``--full``). Each is looked up
    through an index that leads to just such snapshots, newest first (``INDEXES``,
    ``PARTIAL_INDEXES``): a year of nightly runs must not make every run read the
    whole history. A snapshot row that no longer matches the digest its run
    sealed is not built on (its URL is fetched afresh, as if new) and its URL is
    returned in the second item, for the run to say so.

    The rows wait in a temporary table of the run's connection (``PreviousSnapshots``), not in
    memory: a nightly run of 100,000 pages holds none of them, and reads each as its URL is crawled.
    """
    previous = PreviousSnapshots(db, archive_dir)
    with db.atomic():  # committed: a transaction left open would stop the run's checkpoint
        distrusted = _fill_previous(previous, urls, validators)
    return previous, sorted(distrusted)


def _fill_previous(previous: PreviousSnapshots, urls: list[str], validators: bool) -> set[str]:
    previous.fill(f"""select wanted.value, b.id, coalesce({_newest("run", SEEN)}, b.run), b.etag, b.last_modified,
                             b.final_url, b.warc, b.body_sha256, {_reused("b", "e")}
                      from json_each(?) wanted join snapshots b on b.id = {_newest("id", BODY)}
                           left join snapshots e on e.id = {_newest("id", EXTRACTION)}""", [json.dumps(urls)])
    sealed = dbseal.SealedRows(previous.archive_dir)
    distrusted = previous.unsealed(sealed)
    distrusted |= previous.settle(validators, sealed)
    previous.discard(distrusted)
    previous.locate()
    return distrusted


def _newest(column: str, where: str) -> str:
    """The newest live snapshot of each URL (``wanted.value``) that meets ``where``: found by walking its
    index back from the newest entry, so the lookup costs the same after a year of nightly runs."""
    return f"""(select {column} from snapshots where url = wanted.value and {where} and run in {LIVE_RUN}
                order by id desc limit 1)"""


def _reused(body: str, extraction: str | None = None) -> str:
    """What a 304 reuses (text, extraction): from the snapshot ``extraction`` when there is one, else
    from ``body`` (which then stored no extraction, or is the snapshot that stored it)."""
    def pick(column: str) -> str:
        return f"iif({extraction}.id is null, {body}.{column}, {extraction}.{column})" if extraction else f"{body}.{column}"

    extracted_id = f"iif({body}.extracted is null, null, {body}.id)"
    if extraction:
        extracted_id = f"coalesce({extraction}.id, {extracted_id})"
    return (f"{pick('text_path')}, {pick('sha256')}, {pick('text')}, {extracted_id}, "
            f"json_extract({pick('extracted')}, '$.fingerprint')")


def replayed_previous(db: Database, archive_dir: Path, warc: Path, urls: list[str]) -> Mapping[str, dict]:
    """For a replay of a run of this archive: what each of its 304s confirmed, as that run had it
    (the newest snapshot would judge an old run by a page that changed since). Nothing when the
    WARC is not one of this archive's runs: its 304s then have nothing to stand for."""
    run = Path(warc).resolve().parent
    if run.parent != Path(archive_dir).resolve() or not db["runs"].count_where("id = ?", [run.name]):
        return {}
    previous = PreviousSnapshots(db, archive_dir)
    with db.atomic():
        previous.fill(f"""select s.url, s.id, s.run, s.etag, s.last_modified, s.final_url, s.warc, s.body_sha256,
                                 {_reused("s")}
                          from snapshots s join snapshots nightly on nightly.reused_snapshot = s.id
                          where nightly.run = ? and nightly.url in (select value from json_each(?))""",
                      [run.name, json.dumps(urls)])
        previous.settle(validators=True)
        previous.locate()
    return previous


_TEMPORARY = itertools.count()


def temporary_table(db: Database, prefix: str, definition: str) -> str:
    """A temporary table of the connection, its own however many tables a connection has: its name."""
    name = f"{prefix}_{next(_TEMPORARY)}"
    db.conn.execute(f"create temp table {name} ({definition})")
    return name


class PreviousSnapshots(Mapping):
    """The snapshots a run builds on, url -> row as the spider and pipeline read it, held in a temporary
    table of the run's connection: each row, with its stored extraction (a kilobyte or more), is read
    when its URL is asked for. ``clear`` empties it once the crawl no longer needs it."""

    KEYS = ("url", "id", "run", "etag", "last_modified", "final_url", "warc", "body_sha256", "text_path", "sha256",
            "text", "extracted_id")

    def __init__(self, db: Database, archive_dir: Path):
        self.db, self.archive_dir = db, Path(archive_dir)
        self.table = "temp." + temporary_table(db, "citecheck_previous",
                                                f"{', '.join(self.KEYS)}, fingerprint, warc_offset, primary key (url)")

    def fill(self, select: str, args: list) -> None:
        """The rows ``select`` gives: ``KEYS`` in order, then the fingerprint of the stored extraction."""
        self.db.conn.execute(f"insert or ignore into {self.table} ({', '.join(self.KEYS)}, fingerprint) {select}", args)

    def locate(self) -> None:
        """Where in its WARC each body a 304 may confirm is (``warc_offset``): each WARC that holds one
        is read once, and a record is then read at its offset when its URL is crawled. A WARC that
        cannot be read (gone, damaged) leaves its bodies unplaced: their 304s confirm nothing."""
        warcs = [warc for (warc,) in self.db.conn.execute(
            f"""select distinct warc from {self.table} where warc is not null and (final_url is null or final_url = url)
                and (etag is not null or last_modified is not null)""")]
        for warc in warcs:
            offsets = archive.response_offsets(self.archive_dir / warc)
            try:
                self.db.conn.executemany(f"update {self.table} set warc_offset = ?2 where url = ?1 and warc = ?3",
                                         ((url, offset, warc) for url, offset in offsets))
            except (OSError, EOFError, ValueError, ArchiveLoadFailed) as exc:
                logger.warning("cannot read the 200s of %s: %s", warc, exc)

    def unsealed(self, sealed: dbseal.SealedRows) -> set[str]:
        """URLs whose snapshots no longer match their seals. Each row is read whole and dropped, in the
        order the rows were written, so one run's seal is held at a time (``dbseal.SealedRows``)."""
        return {row["url"] for row in self.db.query(
            f"""select * from snapshots where id in (select id from {self.table} union
                                                     select extracted_id from {self.table}) order by id""")
                if not sealed.intact("snapshots", row)}

    def settle(self, validators: bool, sealed: dbseal.SealedRows | None = None) -> set[str]:
        """Each row's text left to its archived file when that is there, and its validators left out
        when a 304 could not be used: ``validators`` False, or a 304 would have to read the body back
        from the WARC (an outdated extraction, or its text file gone) and the WARC is gone. Returns the
        URLs whose 304 would read it from a WARC that is not the file its run sealed (given ``sealed``)."""
        exists = functools.cache(lambda path: (self.archive_dir / path).is_file())  # a run's WARC, many bodies
        changes, distrusted = [], set()
        for url, warc, text_path, sha256, text, fingerprint in self.db.conn.execute(
                f"select url, warc, text_path, sha256, text, fingerprint from {self.table}"):
            in_file = bool(text_path) and (self.archive_dir / text_path).is_file()
            in_both = text is not None and bool(sha256) and in_file  # an older row: the file is read instead
            reads_back = fingerprint != serialize.fingerprint() or text is None and not in_file
            unusable = not validators or reads_back and not (warc and exists(warc))
            if not unusable and reads_back and sealed is not None and not sealed.file_intact(warc):
                distrusted.add(url)
            elif unusable or in_both:
                changes.append((in_both, unusable, url))
        self.db.conn.executemany(f"""update {self.table} set text = iif(?1, null, text),
                                     etag = iif(?2, null, etag), last_modified = iif(?2, null, last_modified)
                                     where url = ?3""", changes)
        return distrusted

    def discard(self, urls: Iterable[str]) -> None:
        self.db.conn.execute(f"delete from {self.table} where url in (select value from json_each(?))",
                             [json.dumps(list(urls))])

    def __getitem__(self, url: str) -> dict:
        found = self.db.conn.execute(
            f"""select {', '.join(f'p.{key}' for key in self.KEYS)}, p.warc_offset, s.extracted
                from {self.table} p left join snapshots s on s.id = p.extracted_id where p.url = ?""", [url]).fetchone()
        if found is None:
            raise KeyError(url)
        row = dict(zip(self.KEYS + ("warc_offset", "extracted"), found))
        row["warc_path"] = str(self.archive_dir / row["warc"])
        row["text_file"] = str(self.archive_dir / row["text_path"]) if row["text_path"] else None
        return row

    def __contains__(self, url: object) -> bool:
        return self.db.conn.execute(f"select 1 from {self.table} where url = ?", [url]).fetchone() is not None

    def __iter__(self) -> Iterator[str]:
        return (url for (url,) in self.db.conn.execute(f"select url from {self.table}"))

    def __len__(self) -> int:
        return self.db.conn.execute(f"select count(*) from {self.table}").fetchone()[0]

    def clear(self) -> None:
        self.db.conn.execute(f"delete from {self.table}")


def snapshot_row(run_id: str, fetch, extracted, snapshot: dict | None, change: dict | None = None,
                 archive_dir: Path = Path("archive")) -> dict:
    """One fetched URL's snapshot as a row of ``snapshots``."""
    row = {
        "run": run_id, "url": fetch.url, "final_url": fetch.final_url, "status": fetch.status,
        "error": fetch.error, "error_detail": fetch.error_detail, "fetched_at": fetch.fetched_at,
        "content_type": fetch.content_type or None, "etag": fetch.headers.get("etag"),
        "last_modified": fetch.headers.get("last-modified"),
        "hops": _json([[h.url, h.status, h.location] for h in fetch.hops]),
    }
    if snapshot:
        row.update(body_sha256=snapshot.get("body_sha256"), sha256=snapshot["sha256"],
                   text_path=_archive_relative(snapshot["text_path"], archive_dir),
                   warc=_archive_relative(snapshot["warc"], archive_dir))
    if change:
        row.update(change_status=change["status"], text_similarity=change["text_similarity"],
                   reused_snapshot=change.get("reused_snapshot"))
    if extracted:
        dates = extracted.dates
        # a reused extraction is stored (and its text full-text indexed) once, in the snapshot it came
        # from (reused_snapshot), not every night; the text itself is in its archived file, not here
        reused = change and change.get("reused_extraction")
        row.update(kind=extracted.kind, title=extracted.title, text=None,
                   page_count=extracted.page_count, extracted=None if reused else serialize.extracted_to_json(extracted),
                   published=dates.published.day.isoformat() if dates.published else None,
                   modified=dates.modified.day.isoformat() if dates.modified else None)
    return _full(row, "snapshots")


def insert_row(db: Database, table: str, row: dict) -> int:
    """One row (as ``snapshot_row`` or ``check_row`` builds it) inserted as it comes; returns its id. A run
    writes each snapshot and verdict when it has it, inside the transaction that records the run whole."""
    return db.conn.execute(_insert_sql(table, tuple(row)), tuple(row.values())).lastrowid


@functools.lru_cache(maxsize=16)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return (f"insert into [{table}] ({', '.join(f'[{c}]' for c in columns)}) "
            f"values ({', '.join('?' for _ in columns)})")


def recorded_extraction(db: Database, snapshot_id: int) -> tuple[int | None, str | None, str | None]:
    """(status, stored extraction, text path) of a snapshot this run recorded, for a check that needs
    a page after its snapshot left memory; a 304's reused extraction is the snapshot's it came from."""
    row = db.conn.execute(
        """select s.status, coalesce(s.extracted, (select r.extracted from snapshots r where r.id = s.reused_snapshot)),
                  s.text_path from snapshots s where s.id = ?""", [snapshot_id]).fetchone()
    return tuple(row) if row else (None, None, None)


def update_check_result(db: Database, check_id: int, result: dict) -> None:
    """A verdict completed after it was written (the archive copies a rescue lookup found)."""
    db.conn.execute("update checks set result = ? where id = ?", [_json(result), check_id])


def delete_checks(db: Database, check_ids: Iterable[int]) -> None:
    """Verdicts written during a run that turn out to be no night of the history (a network outage)."""
    db.conn.executemany("delete from checks where id = ?", ((i,) for i in check_ids))


def _full(row: dict, table: str) -> dict:
    """Every column of ``table``, None where the row has no value (rows inserted together share one
    statement); an id the row does not bring is left to SQLite."""
    return {column: row.get(column) for column in SCHEMA[table][0] if column in row or column != "id"}


def check_history(db: Database, links: list[tuple[str, str | None]],
                  sealed: dbseal.SealedRows | None = None) -> CheckHistory:
    """Earlier live checks of each (citation, URL), one per run, newest (last recorded) first, back to
    its last pass: all that a streak or "failing since" reads. A streak is one link's: not another
    document's footnote 1, nor the URL a fixed citation replaced. Replays are not history. Given
    ``sealed``, a check (or its run's row) that no longer matches its seal is left out: an edit must
    not make a dead link escalate, or stop it from. The checks wait in a temporary table, as the
    previous snapshots do, each link's read when its reference is checked (``CheckHistory``)."""
    rows = db.query(
        f"""with wanted as (select distinct json_extract(value, '$[0]') as citation,
                                            json_extract(value, '$[1]') as url from json_each(?))
           select {"c.*" if sealed else "c.citation, c.url, c.run, c.link, c.overall"}, r.started_at
           from wanted w join checks c on c.citation = w.citation and c.url is w.url and c.id >= coalesce((
               select p.id from checks p where p.citation = w.citation and p.url is w.url and p.overall = 'pass'
                 and p.run in {LIVE_RUN} order by p.id desc limit 1), 0)
             join runs r on r.id = c.run
           where c.run in {LIVE_RUN}
           order by c.id desc""",
        [json.dumps(links)],
    )
    history = CheckHistory(db)
    with db.atomic():  # committed, as the previous snapshots are
        history.fill(_sealed_checks(db, rows, sealed) if sealed else rows)
    return history


HISTORY_COLUMNS = ("url", "run", "started_at", "link", "overall")


class CheckHistory:
    """``check_history``'s checks: ``history[citation, url]`` is that link's, newest first (an empty list
    for a link never checked), read from a temporary table of the run's connection when asked for."""

    def __init__(self, db: Database):
        self.db = db
        name = temporary_table(db, "citecheck_history", f"citation, {', '.join(HISTORY_COLUMNS)}")
        self.table = f"temp.{name}"
        db.conn.execute(f"create index temp.{name}_link on {name} (citation, url)")

    def fill(self, rows: Iterable[dict]) -> None:
        """Checks in the order the history lists them, newest first."""
        self.db.conn.executemany(
            f"insert into {self.table} values ({', '.join('?' for _ in range(len(HISTORY_COLUMNS) + 1))})",
            ((row["citation"], *(row[key] for key in HISTORY_COLUMNS)) for row in rows))

    def __getitem__(self, link: tuple[str, str | None]) -> list[dict]:
        checks: list[dict] = []
        for row in self.db.conn.execute(f"select {', '.join(HISTORY_COLUMNS)} from {self.table} "
                                        "where citation = ? and url is ? order by rowid", link):
            if not checks or checks[-1]["run"] != row[1]:  # a footnote citing one source twice: one run
                checks.append(dict(zip(HISTORY_COLUMNS, row)))
        return checks


def _sealed_checks(db: Database, rows: Iterable[dict], sealed: dbseal.SealedRows) -> Iterator[dict]:
    """The checks that match their seals and whose run does, one at a time: listed whole, with their
    results, they cost a nightly run's peak 3.5 KB per reference."""
    runs: dict[str, bool] = {}  # run id -> its row is there and intact (a run's checks come together)
    for row in rows:
        if row["run"] not in runs:
            found = next(db.query("select * from runs where id = ?", [row["run"]]), None)
            runs[row["run"]] = found is not None and sealed.intact("runs", found)
        if runs[row["run"]] and sealed.intact("checks", row):
            yield row


def check_row(run_id: str, reference, result: dict, snapshot_id: int | None) -> dict:
    """One reference's verdict as a row of ``checks``."""
    return _full({
        "run": run_id, "citation": citation_id(reference), "url": result["url"], "footnote": result["footnote"],
        "source": result["source"], "snapshot": snapshot_id, "link": result["link"],
        "date_verdict": result["date"]["verdict"], "title_verdict": result["title"]["verdict"],
        "pages_verdict": result["pages"]["verdict"], "overall": result["overall"],
        "reasons": _json(result["reasons"]), "result": _json(result),
    }, "checks")
