"""Which findings fail a run, and when a transient failure counts as real.

CI must fail on a dead citation and never on a live one, and must not flap.
A finding is a token (a link verdict such as ``not_found``, or ``mismatch``,
``claim_unknown``, ``no_page_date``, ``updated``, ``title``, ``out_of_range``,
``passage``, ``unsupported``) with a sentence. ``--fail-on`` names the tokens that fail at once;
every other finding warns. Transient link failures (``timeout``,
``server_error``, ``connection_error``, ``tls_error``, ``resolver_error``) that persist over
``confirm_runs`` consecutive runs spanning at least ``confirm_days`` days fail
too, as the Internet Archive's dead-link bot does (3 checks, 3 days apart).
Bot walls and rate limits never escalate: the page behind them is alive.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from crawler.checks import linkstatus

ALIASES = {
    "dead": linkstatus.DEAD,
    "transient": linkstatus.TRANSIENT,
    "unreadable": linkstatus.UNREADABLE,
    "default": linkstatus.DEAD | {"mismatch", "out_of_range", "passage"},
}
DATE_TOKENS = frozenset({"mismatch", "claim_unknown", "no_page_date", "updated"})
OTHER_TOKENS = frozenset({"title", "out_of_range", "passage", "unsupported"})
LINK_TOKENS = linkstatus.DEAD | linkstatus.TRANSIENT | linkstatus.UNREADABLE
KNOWN = LINK_TOKENS | DATE_TOKENS | OTHER_TOKENS
ESCALATING = frozenset({"timeout", "server_error", "connection_error", "tls_error", "resolver_error"})


@dataclass(frozen=True)
class Policy:
    fail_on: frozenset[str] = frozenset(ALIASES["default"])
    confirm_runs: int = 3
    confirm_days: float = 3.0
    accept: tuple[tuple[re.Pattern | None, frozenset[int]], ...] = ()  # (URL pattern or every URL, HTTP codes)

    def accepts(self, url: str | None, status: int | None) -> bool:
        """Has the editor declared this answer fine for this URL (``--accept``: a 403 behind a login)?"""
        return bool(status) and any(status in codes and (pattern is None or pattern.search(url or ""))
                                    for pattern, codes in self.accept)


CODES = re.compile(r"^\s*(\d{3})\s*(?:\.\.\s*(\d{3})\s*)?$")


def parse_accept(text: str) -> tuple[re.Pattern | None, frozenset[int]]:
    """``"403"``, ``"200..299,403"`` or ``"PATTERN=200..299,403"`` (a regular expression searched in the
    URL) -> (pattern, codes); ValueError saying what is wrong."""
    pattern, sep, codes_text = text.rpartition("=")
    codes: set[int] = set()
    for part in codes_text.split(","):
        match = CODES.match(part)
        if not match or not 100 <= int(match[1]) <= int(match[2] or match[1]) <= 599:
            raise ValueError(f"--accept {text!r}: {part.strip()!r} is no HTTP status or range (as in 200..299,403)")
        codes.update(range(int(match[1]), int(match[2] or match[1]) + 1))
    try:
        return (re.compile(pattern) if sep else None), frozenset(codes)
    except re.error as exc:
        raise ValueError(f"--accept {text!r}: {pattern!r} is not a regular expression: {exc}") from None


def parse_fail_on(text: str) -> frozenset[str]:
    """``"default,timeout"`` -> tokens; raises ValueError naming an unknown token."""
    tokens: set[str] = set()
    for word in filter(None, (w.strip() for w in text.split(","))):
        if word in ALIASES:
            tokens |= ALIASES[word]
        elif word in KNOWN:
            tokens.add(word)
        else:
            known = ", ".join(sorted(ALIASES) + sorted(KNOWN))
            raise ValueError(f"unknown verdict {word!r} in --fail-on (known: {known})")
    return frozenset(tokens)


def _when(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


def persistent(link: str, history: list[dict], now: str, policy: Policy) -> dict | None:
    """The streak of runs (this one first) that ended in the same transient ``link``.

    ``history`` rows are earlier checks of the same citation, newest first, each
    ``{"run", "started_at", "link"}``. Returns the streak when it is long enough.
    """
    if link not in ESCALATING:
        return None
    streak = [{"started_at": now, "link": link}]
    for row in history:
        if row["link"] != link:
            break
        streak.append(row)
    days = (_when(now) - _when(streak[-1]["started_at"])).total_seconds() / 86400
    if len(streak) >= policy.confirm_runs and days >= policy.confirm_days:
        return {"runs": len(streak), "days": round(days, 1), "since": streak[-1]["started_at"]}
    return None


def failing_since(overall: str, history: list[dict], now: str) -> dict | None:
    """Since when this reference has not passed (this run included)."""
    if overall == "pass":
        return None
    first, runs = now, 1
    for row in history:
        if row["overall"] == "pass":
            break
        first, runs = row["started_at"], runs + 1
    return {"first_run_at": first, "runs": runs}


def decide(findings: list[tuple[str, str]], link: str, history: list[dict], now: str, policy: Policy) -> tuple[str, list[str]]:
    """Overall verdict and reasons, failures first."""
    fails = [text for token, text in findings if token in policy.fail_on]
    warns = [text for token, text in findings if token not in policy.fail_on]
    streak = persistent(link, history, now, policy) if link not in policy.fail_on else None
    if streak:
        fails.insert(0, f"link {link} on {streak['runs']} runs over {streak['days']} days (since "
                        f"{streak['since'][:10]}): no longer counted as transient")
    overall = "fail" if fails else "warn" if warns else "pass"
    return overall, fails + warns
