"""Footnote date claims: every accepted convention, and the refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from crawler.citing.claims import parse_claim
from crawler.models import ClaimedDate

D = dt.date

DATED = [
    ("letzte Aktualisierung 23.02.2026", D(2026, 2, 23)),
    ("letzte Aktualisierung: 13.03.2026", D(2026, 3, 13)),
    ("letzte Aktualisierung 19.02.2026.", D(2026, 2, 19)),  # sentence-final dot
    ("23.02.2026", D(2026, 2, 23)),
    ("01.03.2026", D(2026, 3, 1)),  # day first, always
    ("5.3.2026", D(2026, 3, 5)),
    ("5. 3. 2026", D(2026, 3, 5)),
    ("2026-02-19", D(2026, 2, 19)),
    ("Stand: 1. März 2026", D(2026, 3, 1)),
    ("Stand: 1. Maerz 2026", D(2026, 3, 1)),
    ("Stand: 01.03.2026", D(2026, 3, 1)),
    ("Stand 1. Mär. 2026", D(2026, 3, 1)),
    ("zuletzt aufgerufen am 5.3.2026", D(2026, 3, 5)),
    ("abgerufen am 12. Dezember 2025", D(2025, 12, 12)),
    ("aktualisiert am 3. Jänner 2026", D(2026, 1, 3)),
    ("accessed 5 March 2026", D(2026, 3, 5)),
    ("Accessed on 5 Mar 2026", D(2026, 3, 5)),
    ("last updated 5 March 2026", D(2026, 3, 5)),
    ("Last updated: 5th March 2026", D(2026, 3, 5)),
    ("March 5, 2026", D(2026, 3, 5)),
    ("Mar. 5, 2026", D(2026, 3, 5)),
    ("Sept 30 2025", D(2025, 9, 30)),
    ("retrieved 29 February 2024", D(2024, 2, 29)),
    ("  23.02.2026 ", D(2026, 2, 23)),
]


@pytest.mark.parametrize("text, day", DATED, ids=[t for t, _ in DATED])
def test_dated_claims(text, day):
    assert parse_claim(text) == ClaimedDate(raw=" ".join(text.split()), value=day, unknown=False)


UNKNOWN = [
    "unknown",
    "Unknown",
    "last updated unknown",
    "letzte Aktualisierung unbekannt",
    "unbekannt",
    "unbekannt.",
    "n.d.",
    "n. d.",
    "o. D.",
]


@pytest.mark.parametrize("text", UNKNOWN)
def test_unknown_claims(text):
    assert parse_claim(text) == ClaimedDate(raw=text, value=None, unknown=True)


def test_no_claim_is_none():
    assert parse_claim(None) is None


def test_yaml_dates_pass_through():
    assert parse_claim(D(2026, 2, 19)) == ClaimedDate(raw="2026-02-19", value=D(2026, 2, 19))
    stamp = dt.datetime(2026, 2, 19, 23, 30)
    assert parse_claim(stamp) == ClaimedDate(raw="2026-02-19", value=D(2026, 2, 19))


INVALID = [
    ("31.02.2026", "'31.02.2026' is not a calendar date (day 31, month 2, year 2026)"),
    ("2026-13-01", "'2026-13-01' is not a calendar date (day 1, month 13, year 2026)"),
    ("29 February 2025", "'29 February 2025' is not a calendar date (day 29, month 2, year 2025)"),
    ("13/13/2026", "'13/13/2026': slash-separated dates are refused: their day/month order is ambiguous; "
     "write DD.MM.YYYY or YYYY-MM-DD"),
    ("05/03/2026", "'05/03/2026': slash-separated dates are refused: their day/month order is ambiguous; "
     "write DD.MM.YYYY or YYYY-MM-DD"),
    ("5.3.26", "'5.3.26': two-digit year; write the year in full, e.g. 23.02.2026"),
    ("5 Foo 2026", "'5 Foo 2026': unknown month name 'Foo'"),
    ("gestern", "unrecognised date claim 'gestern'; expected e.g. "
     "23.02.2026, 2026-02-23, 1. März 2026, 5 March 2026, March 5, 2026 or unknown"),
    ("März 2025", "unrecognised date claim 'März 2025'; expected e.g. "
     "23.02.2026, 2026-02-23, 1. März 2026, 5 March 2026, March 5, 2026 or unknown"),
    ("   ", "empty date claim (write 'unknown', or leave the claim out)"),
    (2026, "a date claim must be text or a date, got int"),
]


@pytest.mark.parametrize("text, message", INVALID, ids=[str(t) for t, _ in INVALID])
def test_invalid_claims(text, message):
    with pytest.raises(ValueError) as info:
        parse_claim(text)
    assert str(info.value) == message
