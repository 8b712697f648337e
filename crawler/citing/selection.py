"""Which references a run checks: all but those the editor set aside.

A source can be set aside in citations.yaml (``skip: paywalled, checked by
hand``), or its URL left out by a pattern (``--exclude``, or not matching any
``--include``; regular expressions searched in the URL, as lychee and
LinkChecker take them). A reference set aside is listed in the run with its
reason: never fetched, never counted as passed or failed.
"""

from __future__ import annotations

import dataclasses
import re

from crawler.models import Citations, Source


def compile_patterns(patterns: tuple[str, ...] | list[str], option: str) -> tuple[re.Pattern, ...]:
    """The patterns as regular expressions; ValueError naming the option and the pattern when one is not."""
    compiled = []
    for pattern in patterns:
        try:
            compiled.append(re.compile(pattern))
        except re.error as exc:
            raise ValueError(f"{option} {pattern!r} is not a regular expression: {exc}") from None
    return tuple(compiled)


def select(citations: Citations, include: tuple[re.Pattern, ...] = (),
           exclude: tuple[re.Pattern, ...] = ()) -> tuple[Citations, list[dict]]:
    """The citations to check, and each reference set aside: {footnote, source, url, reason}."""
    why = {sid: reason for sid, source in citations.sources.items()
           if (reason := _set_aside(source, include, exclude))}
    if not why:
        return citations, []
    skipped = [{"footnote": ref.footnote, "source": ref.source, "url": citations.sources[ref.source].url,
                "reason": why[ref.source]} for ref in citations.references if ref.source in why]
    kept = dataclasses.replace(
        citations, sources={sid: s for sid, s in citations.sources.items() if sid not in why},
        references=[ref for ref in citations.references if ref.source not in why])
    return kept, skipped


def _set_aside(source: Source, include: tuple[re.Pattern, ...], exclude: tuple[re.Pattern, ...]) -> str | None:
    if source.skip:
        return source.skip
    url = source.url or ""
    hit = next((p.pattern for p in exclude if p.search(url)), None)
    if hit is not None:
        return f"excluded by --exclude {hit!r}"
    if include and url and not any(p.search(url) for p in include):
        return "matches no --include pattern"
    return None
