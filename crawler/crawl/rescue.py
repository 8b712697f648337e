"""Rescue suggestions: the archived copy of a dead or changed source closest to its claimed date.

An editor who learns that a cited page is gone, or no longer says what it said
on the claimed day, needs the copy a reader can still open. Two services are
asked: the Wayback Machine availability API (one JSON "closest" snapshot) and a
Memento TimeGate (RFC 7089 datetime negotiation: a 302 to the chosen memento,
with its neighbours in the ``Link`` header). This module builds their requests
and reads their answers; ``crawler.crawl.spiders.rescue`` performs them.

Settings (read by the spider): ``CITECHECK_WAYBACK_ENDPOINT``,
``CITECHECK_TIMEGATE_ENDPOINT``, ``CITECHECK_RESCUE``.

A claimed date is a calendar day; it is taken as noon UTC so that a snapshot
from either end of that day counts as equally close.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from email.utils import format_datetime, parsedate_to_datetime
from typing import Iterable, Mapping
from urllib.parse import urlencode, urljoin

from crawler.checks import linkstatus

# -- data ---------------------------------------------------------------------

SERVICES = ("wayback", "memento")  # also the order in which ties are broken

# Link verdicts without a URL to look up, though dead.
NO_LOOKUP = frozenset({"no_url", "invalid_url", "unsafe_url"})
RESCUE_LINKS = frozenset(linkstatus.DEAD) - NO_LOOKUP
RESCUE_DATE_VERDICTS = frozenset({"mismatch"})

CLAIM_TIME = dt.time(12, 0, tzinfo=dt.timezone.utc)
WAYBACK_TIMESTAMP = re.compile(r"^\d{14}$")
# A 14-digit capture time in an archive URL path: /web/20260219120000/ or /20260219120000id_/
PATH_TIMESTAMP = re.compile(r"/(\d{14})(?:[a-z]{2}_)?/")
REDIRECT_REASON = re.compile(r"found capture at (\d{14})")  # Wayback's x-archive-redirect-reason
# One link-value of an RFC 8288 Link header; quoted parameters may contain commas.
LINK_VALUE = re.compile(r'<([^>]*)>((?:\s*;\s*[^\s;,=]+\s*(?:=\s*(?:"[^"]*"|[^;,"\s]*))?)*)')
LINK_PARAM = re.compile(r';\s*([^\s;,=]+)\s*(?:=\s*(?:"([^"]*)"|([^;,"\s]*)))?')


class RescueError(ValueError):
    """An archive answered, but not in the shape its API promises."""


@dataclass(frozen=True)
class Memento:
    """One archived copy: where it is, when it was taken (UTC), who told us."""

    url: str
    at: dt.datetime
    service: str  # "wayback" | "memento"
    status: str | None = None  # the archived response's status, when the service says


# -- requests ------------------------------------------------------------------


def availability_url(endpoint: str, url: str, when: dt.date | None) -> str:
    """The availability API query; without a date the API answers with the latest snapshot."""
    params = {"url": url}
    if when is not None:
        params["timestamp"] = when.strftime("%Y%m%d")
    joiner = "&" if "?" in endpoint else "?"
    return f"{endpoint}{joiner}{urlencode(params)}"


def timegate_request(endpoint: str, url: str, when: dt.date | None) -> tuple[str, dict[str, str]]:
    """URI-G for ``url`` and the negotiation headers; no Accept-Datetime asks for the latest."""
    headers = {}
    if when is not None:
        headers["Accept-Datetime"] = format_datetime(claim_instant(when), usegmt=True)
    return endpoint + url, headers


def claim_instant(when: dt.date) -> dt.datetime:
    return dt.datetime.combine(when, CLAIM_TIME)


# -- responses -----------------------------------------------------------------


def parse_availability(body: bytes) -> Memento | None:
    """The closest snapshot of an availability answer; None when the archive holds none.

    Raises RescueError when the body is not the API's JSON object.
    """
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RescueError(f"availability answer is not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("archived_snapshots"), dict):
        raise RescueError("availability answer has no archived_snapshots object")
    snap = data["archived_snapshots"].get("closest")
    if not isinstance(snap, dict) or snap.get("available") is not True or not snap.get("url"):
        return None
    at = wayback_timestamp(str(snap.get("timestamp", "")))
    if at is None:
        raise RescueError(f"availability answer has a bad timestamp {snap.get('timestamp')!r}")
    return Memento(url=snap["url"], at=at, service="wayback", status=snap.get("status"))


def wayback_timestamp(value: str) -> dt.datetime | None:
    """``20260219120000`` as an aware UTC datetime (Wayback timestamps are UTC)."""
    if not WAYBACK_TIMESTAMP.match(value):
        return None
    try:
        return dt.datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=dt.timezone.utc)
    except ValueError:
        return None


def http_datetime(value: str | None) -> dt.datetime | None:
    """An HTTP-date (RFC 1123) as aware UTC; a date without zone is read as GMT."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
    return parsed.astimezone(dt.timezone.utc)


def parse_links(header: str | None) -> list[tuple[str, dict[str, str]]]:
    """RFC 8288 link-values as (target, params); ``rel`` keeps its space-separated tokens."""
    links = []
    for match in LINK_VALUE.finditer(header or ""):
        params = {}
        for param in LINK_PARAM.finditer(match.group(2)):
            name = param.group(1).lower()
            params.setdefault(name, param.group(2) if param.group(2) is not None else (param.group(3) or ""))
        links.append((match.group(1).strip(), params))
    return links


def link_mementos(header: str | None, base: str | None = None) -> list[Memento]:
    """Every memento a Link header names with its datetime (memento, first/last/prev/next)."""
    found = []
    for target, params in parse_links(header):
        if "memento" not in params.get("rel", "").lower().split():
            continue
        at = http_datetime(params.get("datetime"))
        if at is not None:
            found.append(Memento(url=_absolute(target, base), at=at, service="memento"))
    return found


def parse_timegate(status: int, headers: Mapping[str, str], url: str | None = None) -> Memento | None:
    """The memento a TimeGate chose; None when it found none (404) or cannot say when it is from.

    ``url`` is the URL that was asked, to resolve a relative ``Location``.
    A 302 names the memento in ``Location``; its datetime comes from
    ``Memento-Datetime`` if sent, else from the Link entry for that URL, else
    from the archive's URL or Wayback's ``x-archive-redirect-reason``. A 200
    with ``Memento-Datetime`` is the memento itself.
    """
    headers = {k.lower(): v for k, v in headers.items()}
    return _chosen(status, headers, link_mementos(headers.get("link"), url), url)


def _chosen(status: int, headers: Mapping[str, str], listed: list[Memento], url: str | None) -> Memento | None:
    """parse_timegate's choice, from lower-cased headers and the mementos their Link names."""
    if 300 <= status < 400 and headers.get("location"):
        target = _absolute(headers["location"], url)
        at = (
            http_datetime(headers.get("memento-datetime"))
            or next((m.at for m in listed if m.url == target), None)
            or _timestamp_in(target)
            or _redirect_reason(headers.get("x-archive-redirect-reason"))
        )
        return Memento(url=target, at=at, service="memento") if at else None
    if 200 <= status < 300:
        at = http_datetime(headers.get("memento-datetime"))
        target = headers.get("content-location") or url
        return Memento(url=_absolute(target, url), at=at, service="memento") if at and target else None
    return None


def timegate_mementos(status: int, headers: Mapping[str, str], url: str | None = None) -> list[Memento]:
    """The chosen memento first, then the others its Link header names (deduplicated)."""
    headers = {k.lower(): v for k, v in headers.items()}
    listed = link_mementos(headers.get("link"), url)
    chosen = _chosen(status, headers, listed, url)
    if chosen is None:
        return []
    others = [m for m in listed if m.url != chosen.url]
    return [chosen, *dict.fromkeys(others)]


def _absolute(target: str, base: str | None) -> str:
    return urljoin(base, target) if base else target


def _timestamp_in(url: str) -> dt.datetime | None:
    match = PATH_TIMESTAMP.search(url)
    return wayback_timestamp(match.group(1)) if match else None


def _redirect_reason(value: str | None) -> dt.datetime | None:
    match = REDIRECT_REASON.search(value or "")
    return wayback_timestamp(match.group(1)) if match else None


# -- choice and suggestion -------------------------------------------------------


def closest(mementos: Iterable[Memento], when: dt.date | None) -> Memento | None:
    """The memento nearest the claimed day; with no claim, the latest (the last state seen)."""
    mementos = list(mementos)
    if not mementos:
        return None
    if when is None:
        return max(mementos, key=lambda m: m.at)
    target = claim_instant(when)
    return min(mementos, key=lambda m: abs(m.at - target))


def suggestion(memento: Memento, claimed: dt.date | None) -> dict:
    """The report's rescue object; ``days_from_claim`` > 0 means archived after the claim."""
    return {
        "archived_url": memento.url,
        "archived_at": memento.at.isoformat(),
        "days_from_claim": (memento.at.date() - claimed).days if claimed else None,
        "service": memento.service,
    }


# -- which results need rescue ---------------------------------------------------


def needs_rescue(result: dict) -> bool:
    date = result.get("date") or {}
    return bool(result.get("url")) and (
        result.get("link") in RESCUE_LINKS
        or date.get("verdict") in RESCUE_DATE_VERDICTS
        or bool(date.get("updated_since_claim"))
    )


def claimed_day(result: dict) -> dt.date | None:
    """The claim as a date; "unknown" and absent claims are None."""
    try:
        return dt.date.fromisoformat((result.get("date") or {}).get("claimed") or "")
    except ValueError:
        return None


def lookups_for(results: list[dict]) -> list[dict]:
    """One lookup per source among results that are dead or changed; the first claim wins."""
    lookups: dict[str, dict] = {}
    for result in results:
        if result["source"] in lookups or not needs_rescue(result):
            continue
        day = claimed_day(result)
        lookups[result["source"]] = {
            "key": result["source"],
            "url": result["url"],
            "claimed": day.isoformat() if day else None,
        }
    return list(lookups.values())


def attach(results: list[dict], items: list[dict]) -> None:
    """Put each lookup's suggestion (or None) on every result of its source."""
    by_key = {item["key"]: item for item in items}
    for result in results:
        item = by_key.get(result["source"])
        if item is not None:
            result["rescue"] = item.get("suggestion")
