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
import json
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from sqlite_utils import Database

from crawler.extract import serialize
from crawler.record import dbseal

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


def previous_snapshots(db: Database, archive_dir: Path, urls: list[str], validators: bool = True,
                       lean: bool = False) -> tuple[Mapping[str, dict], list[str]]:
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
    returned in the second item, for the run to say so. ``lean``: each row keeps only what the crawl
    reads (``LeanPrevious``), as it is read, so that a nightly run of 100,000 pages never holds them whole.
    """
    wanted = [json.dumps(urls)]
    sealed = dbseal.SealedRows(archive_dir)
    distrusted: set[str] = set()

    def checked(rows):
        """Each row checked against its seal as it comes, then without its text (``_without_text``)."""
        for row in rows:
            if not sealed.intact("snapshots", row):
                distrusted.add(row["url"])
            row = _without_text(row, archive_dir)
            if lean:  # the stored extraction is read when a 304 reuses it, by its row's id
                row = {k: row[k] for k in LEAN_COLUMNS if k in row} | {
                    "extracted": None, "extracted_id": row["id"] if row["extracted"] is not None else None}
            yield row

    def extraction(row: dict) -> dict:
        return {k: row[k] for k in EXTRACTION_COLUMNS + (("extracted_id",) if lean else ())}

    extractions = {row["url"]: extraction(row) for row in checked(db.query(_latest(
        "s.*, json_extract(s.extracted, '$.fingerprint') as fingerprint",
        "status in (200, 304) and extracted is not null"), wanted))}
    last_runs = {row["url"]: row["run"] for row in db.query(
        _latest("s.url, s.run", "status in (200, 304) and error is null"), wanted)}
    # the bodies' rows one at a time, each made lean as it comes: a list of them all (or a dict of the
    # rows built from them) cost a nightly run's peak 2 KB per URL more than it keeps
    bodies = (row for row in checked(db.query(_latest("s.*", "status = 200 and warc is not null"), wanted))
              if row["url"] not in distrusted)
    rows = _previous_rows(bodies, extractions, last_runs, archive_dir, validators, sealed, distrusted)
    previous = LeanPrevious(db, rows) if lean else dict(rows)
    return previous, sorted(distrusted)


# what the crawl reads of a previous snapshot (``crawler.crawl``), and what ``_as_previous`` needs to build it
LEAN_COLUMNS = ("url", "id", "run", "etag", "last_modified", "final_url", "warc", "text_path", "sha256",
                "body_sha256", "text", "fingerprint")
LEAN_KEYS = ("url", "id", "run", "etag", "last_modified", "final_url", "warc_path", "text_file", "sha256",
             "body_sha256", "text", "extracted", "extracted_id")


SHARED_KEYS = ("run", "warc_path")  # the same for the many pages one run fetched


class LeanPrevious(Mapping):
    """``previous_snapshots``' rows as a tuple per URL, each stored extraction (a kilobyte or more) read
    from the database when a row is asked for: ``get`` gives the row the crawl reads."""

    def __init__(self, db: Database, rows: Iterable[tuple[str, dict]]):
        self.db = db
        self._shared: dict[str, str] = {}
        self.rows = {url: self._lean(url, row) for url, row in rows}

    def _lean(self, url: str, row: dict) -> tuple:
        """The row's values, those most rows repeat as one string each: a final URL that is the URL,
        a run, a WARC (a quarter of what a row keeps, as separate strings from the database)."""
        values = (url if k == "final_url" and row.get(k) == url
                  else self._shared.setdefault(row[k], row[k]) if k in SHARED_KEYS and row.get(k) else row.get(k)
                  for k in LEAN_KEYS)
        return tuple(values)

    def __getitem__(self, url: str) -> dict:
        row = dict(zip(LEAN_KEYS, self.rows[url]))
        if row["extracted"] is None and row["extracted_id"] is not None:
            found = self.db.conn.execute("select extracted from snapshots where id = ?", [row["extracted_id"]]).fetchone()
            row["extracted"] = found[0] if found else None
        return row

    def __contains__(self, url: object) -> bool:
        return url in self.rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def clear(self) -> None:
        self.rows.clear()


def _without_text(row: dict, archive_dir: Path) -> dict:
    """A snapshot row without its text when the archived file it names is there to read it from
    (``crawler.crawl.pipelines.previous_text``, which checks it against ``sha256``): a nightly run of
    100,000 pages must not hold every page's text before it fetches the first."""
    if row.get("text") is not None and row.get("text_path") and row.get("sha256") and (
            Path(archive_dir) / row["text_path"]).is_file():
        row["text"] = None
    return row


EXTRACTION_COLUMNS = ("url", "sha256", "text_path", "text", "extracted", "fingerprint")  # what a 304 reuses


def _latest(columns: str, where: str) -> str:
    """The newest live snapshot of each URL (a JSON list) that meets ``where``: found by walking its
    index back from the newest entry, so the lookup costs the same after a year of nightly runs."""
    return f"""select {columns} from json_each(?) wanted join snapshots s on s.id = (
                 select id from snapshots where url = wanted.value and {where} and run in {LIVE_RUN}
                 order by id desc limit 1)"""


def replayed_previous(db: Database, archive_dir: Path, warc: Path, urls: list[str]) -> dict[str, dict]:
    """For a replay of a run of this archive: what each of its 304s confirmed, as that run had it
    (the newest snapshot would judge an old run by a page that changed since). Nothing when the
    WARC is not one of this archive's runs: its 304s then have nothing to stand for."""
    run = Path(warc).resolve().parent
    if run.parent != Path(archive_dir).resolve() or not db["runs"].count_where("id = ?", [run.name]):
        return {}
    confirmed = list(db.query(
        """select s.*, json_extract(s.extracted, '$.fingerprint') as fingerprint
           from snapshots s join snapshots nightly on nightly.reused_snapshot = s.id
           where nightly.run = ? and nightly.url in (select value from json_each(?))""", [run.name, json.dumps(urls)]))
    return _as_previous(confirmed, {}, {}, archive_dir, validators=True)


def _as_previous(bodies, extractions: dict, last_runs: dict, archive_dir: Path, validators: bool) -> dict[str, dict]:
    return dict(_previous_rows(bodies, extractions, last_runs, archive_dir, validators))


def _previous_rows(bodies, extractions: dict, last_runs: dict, archive_dir: Path, validators: bool,
                   sealed: dbseal.SealedRows | None = None,
                   distrusted: set | None = None) -> Iterator[tuple[str, dict]]:
    """Snapshot rows as the spider and pipeline read them: url -> row with paths and usable validators.
    A 304 whose stored extraction is outdated, or whose text file is gone, reads the body back from the
    WARC: only from one that is the file its run sealed (given ``sealed``; else the URL joins
    ``distrusted``, fetched afresh); with the WARC gone too, the page is fetched in full."""
    exists = functools.cache(lambda path: Path(path).is_file())  # one WARC per run holds many bodies
    for row in bodies:
        row.update(extractions.get(row["url"], {}))
        row["run"] = last_runs.get(row["url"], row["run"])
        row["warc_path"] = str(Path(archive_dir) / row["warc"])
        row["text_file"] = str(Path(archive_dir) / row["text_path"]) if row.get("text_path") else None
        # the text is in its archived file: with the file gone a 304 can only re-extract, as after an upgrade
        text_gone = row.get("text") is None and not (row["text_file"] and exists(row["text_file"]))
        reads_back = row.pop("fingerprint", None) != serialize.fingerprint() or text_gone
        if not validators or reads_back and not exists(row["warc_path"]):
            row["etag"] = row["last_modified"] = None
        elif reads_back and sealed is not None and not sealed.file_intact(row["warc"]):
            distrusted.add(row["url"])
            continue
        yield row["url"], row


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
                  sealed: dbseal.SealedRows | None = None) -> dict[tuple[str, str | None], list[dict]]:
    """Earlier live checks of each (citation, URL), one per run, newest (last recorded) first, back to
    its last pass: all that a streak or "failing since" reads. A streak is one link's: not another
    document's footnote 1, nor the URL a fixed citation replaced. Replays are not history. Given
    ``sealed``, a check (or its run's row) that no longer matches its seal is left out: an edit must
    not make a dead link escalate, or stop it from."""
    history: dict[tuple[str, str | None], list[dict]] = {link: [] for link in links}
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
        [json.dumps(list(history))],
    )
    if sealed:
        rows = _sealed_checks(db, rows, sealed)
    for row in rows:  # one query for the run, not one per reference
        checks = history[row["citation"], row["url"]]
        if not checks or checks[-1]["run"] != row["run"]:  # a footnote citing one source twice: one run
            checks.append({key: row[key] for key in HISTORY_COLUMNS})
    return history


HISTORY_COLUMNS = ("url", "run", "started_at", "link", "overall")


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
