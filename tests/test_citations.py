"""citations.yaml loading: the seed file, a small valid file, and one case per error class."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from crawler.citing import citations
from crawler.citing.citations import (
    CitationsError,
    CitedReference,
    claimed_date,
    load_citations,
    parse_pages,
)
from crawler.models import ClaimedDate, Reference
from tests.support import hostile

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "citations.yaml"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "citations"


# -- the seed document's citations.yaml ----------------------------------------


@pytest.fixture(scope="module")
def seed():
    return load_citations(SEED)


def test_seed_counts(seed):
    assert len(seed.sources) == 14
    assert len(seed.references) == 26
    assert sorted({r.footnote for r in seed.references}, key=int) == [str(n) for n in range(1, 14)]


def test_seed_references_are_in_footnote_order_then_written_order(seed):
    order = [(r.footnote, r.source) for r in seed.references]
    assert order[:6] == [
        ("1", "bti-eca-2024"),
        ("1", "fh-nit-2024-region"),
        ("1", "vdem-dr-2025"),
        ("2", "bti-eca-2024"),
        ("2", "fh-nit-2024-region"),
        ("2", "fh-nit-2024-kyrgyzstan"),
    ]
    assert order[-4:] == [
        ("12", "meduza-2026-kachkurkin"),
        ("12", "meduza-2026-month"),
        ("12", "kibhr-2026-extradition-gift"),
        ("13", "kibhr-2026-extradition-gift"),
    ]
    per_footnote = [sum(1 for r in seed.references if r.footnote == str(n)) for n in range(1, 14)]
    assert per_footnote == [3, 3, 3, 2, 1, 2, 1, 3, 1, 1, 2, 3, 1]


def test_seed_sources_without_url_are_the_two_lost_meduza_links(seed):
    assert sorted(s.id for s in seed.sources.values() if s.url is None) == [
        "meduza-2026-extraditing",
        "meduza-2026-kachkurkin",
    ]


def test_seed_urls_are_those_of_known_urls(seed):
    assert seed.sources["aspenia-2026-reshaped-ties"].url == "https://aspeniaonline.it/?p=57314"
    assert seed.sources["taz-2026-deserteure"].url == "https://taz.de/Russische-Deserteure-in-Kasachstan/!6155637/"
    assert seed.sources["meduza-2026-month"].url.startswith("https://meduza.io/feature/2026/02/19/v-2026-godu-")


def test_seed_claims(seed):
    claims = {sid: s.claimed_updated for sid, s in seed.sources.items()}
    unknown = sorted(sid for sid, c in claims.items() if c is not None and c.unknown)
    assert unknown == ["fh-nit-2024-georgia", "fh-nit-2024-kyrgyzstan", "fh-nit-2024-ukraine"]
    no_claim = sorted(sid for sid, c in claims.items() if c is None)
    assert no_claim == ["bti-eca-2024", "fh-nit-2024-region", "vdem-dr-2025"]
    assert claims["meduza-2026-month"] == ClaimedDate(raw="2026-02-19", value=dt.date(2026, 2, 19))
    assert claims["meduza-2026-extraditing"].value == dt.date(2026, 3, 13)
    assert claims["eir-2024-last-stronghold"].value == dt.date(2024, 8, 19)


def test_seed_pages(seed):
    pages = [(r.footnote, r.source, r.pages) for r in seed.references if r.pages]
    assert pages == [
        ("1", "bti-eca-2024", "3-25"),
        ("1", "fh-nit-2024-region", "1-29"),
        ("1", "vdem-dr-2025", "3-63"),
        ("2", "bti-eca-2024", "5 ff."),
        ("2", "fh-nit-2024-region", "26 ff."),
        ("3", "fh-nit-2024-region", "10"),
    ]


def test_seed_lines_point_at_the_yaml(seed):
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for source in seed.sources.values():
        assert lines[source.line - 1].strip() == f"{source.id}:"
    for ref in seed.references:
        assert f"source: {ref.source}" in lines[ref.line - 1]
    assert seed.document["issue"] == "Entscheiderbrief 04/2026"


# -- a small valid file -----------------------------------------------------------


def test_good_file():
    cit = load_citations(FIXTURES / "good.yaml")
    assert cit.path == str(FIXTURES / "good.yaml")
    assert cit.document == {"title": "Ein Testbrief", "issue": "01/2026", "date": "2026-04-01"}
    assert [(r.footnote, r.source, r.pages, r.passage, r.line) for r in cit.references] == [
        ("1", "report-pdf", "3-25, 30 f.", None, 21),
        ("2", "report-pdf", "7", None, 17),
        ("2", "taz-2026", None, "Ein zitierter Satz.", 18),
        ("10", "taz-2026", None, None, 14),
    ]
    report = cit.sources["report-pdf"]
    assert (report.url, report.publisher, report.claimed_updated, report.line) == (None, "", None, 9)
    taz = cit.sources["taz-2026"]
    assert taz.claimed_updated == ClaimedDate(raw="letzte Aktualisierung 18.02.2026", value=dt.date(2026, 2, 18))


def test_per_reference_claim_overrides_the_source():
    cit = load_citations(FIXTURES / "good.yaml")
    taz = cit.sources["taz-2026"]
    fn2, fn10 = [r for r in cit.references if r.source == "taz-2026"]
    assert type(fn2) is Reference  # plain references stay plain
    assert isinstance(fn10, CitedReference)
    assert claimed_date(fn2, taz).value == dt.date(2026, 2, 18)
    assert claimed_date(fn10, taz).value == dt.date(2026, 3, 1)


# -- one case per error class: exact file, line and message ---------------------------

ERRORS = [
    ("syntax.yaml", 6, "YAML syntax error: expected <block end>, but found '<scalar>' (while parsing a block mapping)"),
    ("empty.yaml", 1, "empty file: expected a mapping with 'sources' and 'footnotes'"),
    ("unknown_source.yaml", 10, "footnote \"6\" refers to unknown source 'taz-2026'"),
    ("bad_date.yaml", 5, "source 'taz-2026': claimed_updated: '31.02.2026' is not a calendar date (day 31, month 2, year 2026)"),
    ("bad_iso_date.yaml", 5, "source 'taz-2026': claimed_updated: '2026-02-30' is not a calendar date (day 30, month 2, year 2026)"),
    ("bad_override.yaml", 8, "footnote \"1\", reference 1: claimed_updated: unrecognised date claim 'gestern'; "
     "expected e.g. 23.02.2026, 2026-02-23, 1. März 2026, 5 March 2026, March 5, 2026 or unknown"),
    ("empty_claim.yaml", 5, "source 'meduza': claimed_updated must be a date or 'unknown', got empty "
     "(leave the key out if the footnote states no date)"),
    ("missing_title.yaml", 2, "source 'taz-2026': missing required key 'title'"),
    ("missing_url_key.yaml", 2, "source 'taz-2026': missing required key 'url'"),
    ("missing_source_key.yaml", 8, "footnote \"1\", reference 2: missing required key 'source'"),
    ("unknown_key.yaml", 5, "source 'taz-2026': unknown key 'claimed_update' (did you mean 'claimed_updated'?)"),
    ("reference_unknown_key.yaml", 7, "footnote \"1\", reference 1: unknown key 'page' (did you mean 'pages'?)"),
    ("top_unknown_key.yaml", 5, "top level: unknown key 'footnote' (did you mean 'footnotes'?)"),
    ("url_not_text.yaml", 3, "source 'taz-2026': url must be text, got a list"),
    ("title_number.yaml", 4, "source 'orwell': title must be text, got a number (put it in quotes)"),
    ("footnote_not_list.yaml", 6, "footnote \"1\" must be a list of references, got a mapping"),
    ("duplicate_source.yaml", 5, "sources: duplicate source id 'meduza' (first at line 2)"),
    ("duplicate_key.yaml", 5, "source 'meduza': duplicate key 'title' (first at line 4)"),
    ("duplicate_footnote.yaml", 7, "footnotes: duplicate footnote '5' (first at line 6)"),
    ("duplicate_footnote_zero.yaml", 7, "footnotes: duplicate footnote '5' (first at line 6)"),
    ("empty_footnote.yaml", 7, "footnote \"2\" has no references"),
    ("bad_label.yaml", 6, "footnote label '1a' must be a footnote number (1, 2, ...)"),
    ("bad_source_id.yaml", 2, "source 'meduza 2026': a source id is a short slug of letters, digits, '.', '_' or '-'"),
    ("bad_pages.yaml", 7, "footnote \"1\", reference 1: bad page spec 'S. drei' "
     "(expected e.g. 10, 3-25, 5 f., 5 ff., S. 3-25, pp. 3–5 or a comma-separated list of these)"),
    ("reversed_pages.yaml", 7, "footnote \"1\", reference 1: bad page spec '25-3': pages run from 1 upwards, start before end"),
    ("uncited_source.yaml", 5, "source 'kibhr' is not cited by any footnote"),
    ("url_ipv6.yaml", 4, "source 'taz-2026': url 'http://[::1/' is malformed: Invalid IPv6 URL"),
    ("url_scheme.yaml", 4, "source 'taz-2026': url 'ht!tp://www.example.org/a' has no valid scheme "
     "('ht!tp' is none; as in https://example.org/page)"),
    ("url_port.yaml", 4, "source 'taz-2026': url 'https://www.example.org:99999/a' is malformed: "
     "Port out of range 0-65535"),
    ("url_relative.yaml", 4, "source 'taz-2026': url '/just/a/path' is not an absolute URL "
     "(it needs a scheme and host, as in https://example.org/page)"),
    ("url_space_host.yaml", 4, "source 'taz-2026': url 'https://www.exa mple.org/a' has a host with a "
     "character no host name may hold: 'www.exa mple.org'"),
]


@pytest.mark.parametrize("name, line, message", ERRORS, ids=[e[0] for e in ERRORS])
def test_error(name, line, message):
    path = FIXTURES / name
    with pytest.raises(CitationsError) as info:
        load_citations(path)
    err = info.value
    assert (err.path, err.line, err.message) == (str(path), line, message)
    assert str(err) == f"{path}:{line}: {message}"


def test_error_str_uses_the_path_as_given(monkeypatch):
    monkeypatch.chdir(FIXTURES)
    with pytest.raises(CitationsError) as info:
        load_citations("unknown_source.yaml")
    assert str(info.value) == "unknown_source.yaml:10: footnote \"6\" refers to unknown source 'taz-2026'"


def test_missing_file_has_no_line(tmp_path):
    path = tmp_path / "nope.yaml"
    with pytest.raises(CitationsError) as info:
        load_citations(path)
    assert (info.value.line, info.value.message) == (0, "cannot read file: No such file or directory")
    assert str(info.value) == f"{path}: cannot read file: No such file or directory"


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    text = 'sources: {a: {url: x, title: "M\xe4rz"}}\n'
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(CitationsError) as info:
        load_citations(path)
    offset = text.index("\xe4")  # 0-based, as Python's decoder counts
    assert info.value.line == 1
    assert info.value.message == f"not UTF-8 text (invalid continuation byte at byte {offset}, column {offset + 1} of the line)"


def test_a_byte_offset_is_turned_into_a_line(tmp_path):
    path = tmp_path / "nul.yaml"
    path.write_text('sources:\n  a:\n    url: "https://www.example.org/"\n    title: "A\x00"\n', encoding="utf-8")
    with pytest.raises(CitationsError) as info:
        load_citations(path)
    assert info.value.line == 4 and "unacceptable character #x0000" in info.value.message


# -- hostile files: bounded, each a clear error with its line ---------------------------


@pytest.mark.parametrize("name, line, message", [
    ("alias-bomb", 14, "the file stands for more than 200,000 values once its aliases (*name) are repeated out"),
    ("repeated-footnotes", 16, "footnotes: more than 10,000 references; split the document's citations"),
    ("nested-5000", 6, "nested 25 levels deep; a citations file needs 6 and may nest at most 24"),
    ("references-10001", 10006, "footnotes: more than 10,000 references; split the document's citations"),
    ("values-200001", 6, "more than 200,000 values; split the document's citations into several files"),
    ("oversized-9mb", 0, "the file is 9.0 MB; a citations file is at most 8 MB"),
    ("late-syntax-error", 28004, "YAML syntax error: did not find expected node content (while parsing a flow node)"),
])
def test_a_hostile_file_is_refused_with_its_line(tmp_path, name, line, message):
    path = hostile.write(tmp_path, name)
    with pytest.raises(CitationsError) as info:
        load_citations(path)
    assert info.value.line == line and info.value.message.startswith(message), info.value


@pytest.mark.parametrize("error, line, message", [
    ('    title: "t" stray\n', 1502, "YAML syntax error: expected <block end>, but found '<scalar>' (while parsing a block mapping)"),
    ("    publisher: *nowhere\n", 1502, "YAML syntax error: found undefined alias 'nowhere'"),
])
def test_an_error_in_a_large_file_is_worded_from_the_text_up_to_it(tmp_path, error, line, message):
    """The pure-Python parser words libyaml's error from the text up to the line after it, not the
    whole file, and libyaml's own wording stands when even that is too long to read again."""
    sources = "".join(f'  s{n}:\n    url: "https://www.example.org/{n}"\n    title: "{"t" * 300}"\n' for n in range(3000))
    lines = ("sources:\n" + sources).splitlines(keepends=True)
    lines.insert(line - 1, error)
    text = "".join(lines) + "footnotes:\n" + "".join(f'  "{n + 1}": [{{source: s{n}}}]\n' for n in range(3000))
    assert len(text) > 4 * citations.REWORDED_MAX
    path = tmp_path / "large.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CitationsError) as info:
        load_citations(path)
    assert (info.value.line, info.value.message) == (line, message)


def test_aliases_within_bounds_still_work(tmp_path):
    path = tmp_path / "aliases.yaml"
    path.write_text('sources:\n  a: {url: "https://www.example.org/", title: "A", publisher: &p "Meduza"}\n'
                    '  b: {url: "https://www.example.org/b", title: "B", publisher: *p}\n'
                    'footnotes:\n  "1": &both [{source: a}, {source: b}]\n  "2": *both\n', encoding="utf-8")
    citations = load_citations(path)
    assert citations.sources["b"].publisher == "Meduza" and len(citations.references) == 4


def test_sections_in_any_order_and_anchored_ones_load_alike(tmp_path):
    """Sources and footnotes are read entry by entry as they come; footnotes written first wait for
    the sources, and a section an alias could repeat is composed whole."""
    sources = 'sources: {a: {url: "https://www.example.org/", title: "A"}, b: {url: "https://www.example.org/b", title: "B"}}\n'
    footnotes = 'footnotes: {"2": [{source: b}], "1": [{source: a, pages: "3"}, {source: b}]}\n'
    written = {"in order": "document: {title: T}\n" + sources + footnotes,
               "footnotes first": footnotes + sources + "document: {title: T}\n",
               "anchored": "document: {title: T}\n" + sources.replace("sources: ", "sources: &s ")
                           + footnotes.replace("footnotes: ", "footnotes: &f ")}
    loaded = {}
    for name, text in written.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        citations = load_citations(path)
        loaded[name] = ([(r.footnote, r.source, r.pages) for r in citations.references],
                        {sid: s.url for sid, s in citations.sources.items()}, citations.document)
    assert loaded["in order"] == ([("1", "a", "3"), ("1", "b", None), ("2", "b", None)],
                                  {"a": "https://www.example.org/", "b": "https://www.example.org/b"}, {"title": "T"})
    assert loaded["footnotes first"] == loaded["anchored"] == loaded["in order"]


def test_the_first_problem_in_the_file_is_the_one_reported(tmp_path):
    path = tmp_path / "two.yaml"
    path.write_text('sources:\n  a: {url: "https://www.example.org/", title: "A", titel: "B"}\n'
                    'footnotes:\n  "1": [{source: a}]\n  "2": [[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]\n',
                    encoding="utf-8")
    with pytest.raises(CitationsError) as info:
        load_citations(path)
    assert info.value.line == 2 and "unknown key 'titel'" in info.value.message


def test_an_alias_to_the_whole_file_is_refused(tmp_path):
    path = tmp_path / "root.yaml"
    path.write_text('&all\nsources: {a: {url: "https://www.example.org/", title: "A"}}\nfootnotes: *all\n',
                    encoding="utf-8")
    with pytest.raises(CitationsError) as info:
        load_citations(path)
    assert (info.value.line, info.value.message) == (3, "an alias refers to a value that contains it (endless)")


def test_an_alias_inside_what_it_names_is_refused(tmp_path):
    path = tmp_path / "endless.yaml"
    path.write_text('sources:\n  a: {url: "https://www.example.org/", title: "A"}\n'
                    'footnotes:\n  "1": &loop [{source: a}, *loop]\n', encoding="utf-8")
    with pytest.raises(CitationsError, match="an alias refers to a value that contains it"):
        load_citations(path)


def test_no_error_fixture_is_left_untested():
    names = {p.name for p in FIXTURES.glob("*.yaml")} - {"good.yaml"}
    assert names == {e[0] for e in ERRORS}


# -- page specs ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "spec, spans",
    [
        ("10", ((10, 10),)),
        ("3-25", ((3, 25),)),
        ("3 – 25", ((3, 25),)),
        ("5 ff.", ((5, None),)),
        ("5ff.", ((5, None),)),
        ("5 f.", ((5, 6),)),
        ("3-5, 10, 12 ff.", ((3, 5), (10, 10), (12, None))),
        ("S. 3-25", ((3, 25),)),  # the citation style's prefixes are not pages
        ("p. 12", ((12, 12),)),
        ("pp. 3–5", ((3, 5),)),
        ("Seiten 4 - 9, 12", ((4, 9), (12, 12))),
        ("S. 5 ff", ((5, None),)),
    ],
)
def test_parse_pages(spec, spans):
    assert parse_pages(spec) == spans


@pytest.mark.parametrize("spec", ["S.", "", "0", "10-", "ten", "5 fff", "9-3", "3-25;", "S. 25-3"])
def test_parse_pages_refuses(spec):
    with pytest.raises(ValueError):
        parse_pages(spec)



def test_a_file_that_never_ends_is_refused(tmp_path):
    """A pull request can add a symlink to /dev/zero or a FIFO: refused before a byte is read."""
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    with pytest.raises(CitationsError, match="not a regular file"):
        load_citations(tmp_path / "zero.yaml")
    os.mkfifo(tmp_path / "fifo.yaml")
    with pytest.raises(CitationsError, match="not a regular file"):
        load_citations(tmp_path / "fifo.yaml")
