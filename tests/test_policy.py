"""When findings fail a run, and when a transient failure stops being transient."""

from __future__ import annotations

import pytest

from crawler.checks.linkstatus import DEAD
from crawler.checks.policy import Policy, decide, failing_since, parse_fail_on, persistent

NOW = "2026-11-24T02:00:00+00:00"


def _history(link: str, days_ago: list[int], overall: str = "warn") -> list[dict]:
    return [{"run": f"r{d}", "started_at": f"2026-11-{24 - d:02d}T02:00:00+00:00", "link": link, "overall": overall}
            for d in days_ago]


def test_fail_on_tokens_and_aliases():
    assert parse_fail_on("default") == DEAD | {"mismatch", "out_of_range", "passage"}
    assert parse_fail_on("dead,timeout") == DEAD | {"timeout"}
    with pytest.raises(ValueError, match="unknown verdict 'tiemout'"):
        parse_fail_on("default,tiemout")


def test_default_policy_fails_dead_and_mismatch_but_warns_on_walls_and_unknown_dates():
    findings = [("blocked", "link blocked"), ("claim_unknown", "date unknown")]
    assert decide(findings, "blocked", [], NOW, Policy())[0] == "warn"
    assert decide([("not_found", "link not_found")], "not_found", [], NOW, Policy())[0] == "fail"
    assert decide([("mismatch", "date: claimed")], "ok", [], NOW, Policy())[0] == "fail"
    assert decide([], "ok", [], NOW, Policy()) == ("pass", [])


def test_chosen_verdicts_fail_at_once():
    policy = Policy(fail_on=parse_fail_on("default,blocked"))
    assert decide([("blocked", "link blocked")], "blocked", [], NOW, policy)[0] == "fail"


@pytest.mark.parametrize("days_ago, expected", [
    ([], None),                 # first time: transient
    ([1, 2], None),             # 3 runs but only 2 days
    ([1, 3], 3),                # 3 runs over 3 days: confirmed
    ([1, 2, 3, 4], 5),
])
def test_transient_failure_escalates_after_n_runs_over_d_days(days_ago, expected):
    streak = persistent("timeout", _history("timeout", days_ago), NOW, Policy())
    assert (streak["runs"] if streak else None) == expected
    overall, reasons = decide([("timeout", "link timeout")], "timeout", _history("timeout", days_ago), NOW, Policy())
    assert overall == ("fail" if expected else "warn")
    if expected:
        assert "no longer counted as transient" in reasons[0]


def test_a_streak_is_broken_by_a_different_outcome():
    history = _history("timeout", [1]) + _history("ok", [2]) + _history("timeout", [3, 4])
    assert persistent("timeout", history, NOW, Policy()) is None


def test_bot_walls_and_rate_limits_never_escalate():
    for link in ("blocked", "rate_limited"):
        assert persistent(link, _history(link, [1, 2, 3, 5, 8]), NOW, Policy()) is None


def test_failing_since_counts_back_to_the_last_pass():
    history = _history("not_found", [1, 2], overall="fail") + _history("ok", [3], overall="pass")
    assert failing_since("fail", history, NOW) == {"first_run_at": "2026-11-22T02:00:00+00:00", "runs": 3}
    assert failing_since("pass", history, NOW) is None
