"""The lean composer gives the tree PyYAML's composer gives: same kinds, tags, values, lines, aliases."""

from pathlib import Path

import pytest
import yaml

from crawler.citing import yamlnodes
from crawler.citing.citations import LOADER

REPO = Path(__file__).resolve().parent.parent
FILES = sorted(p for p in (REPO / "tests" / "fixtures").rglob("*.yaml")) + [REPO / "citations.yaml"]


def shape(node, seen=None):
    """A node as plain data; a node met again (an alias) as the number of its first meeting."""
    seen = {} if seen is None else seen
    if id(node) in seen:
        return ("again", seen[id(node)])
    seen[id(node)] = len(seen)
    kind = "map" if isinstance(node, yaml.MappingNode) else "seq" if isinstance(node, yaml.SequenceNode) else "scalar"
    value = node.value
    if kind == "map":
        value = [(shape(k, seen), shape(v, seen)) for k, v in value]
    elif kind == "seq":
        value = [shape(item, seen) for item in value]
    return kind, node.tag, value, node.start_mark.line


def compose(text: str, loader_class):
    """``loader_class(text).get_single_node()``, in lean nodes, as ``yamlnodes.Reading`` reads a whole document."""
    with yamlnodes.Reading(text, loader_class) as reading:
        root = reading.node() if reading.start() else None
        reading.finish()
        return root


def pyyaml(text: str):
    return yaml.compose(text, Loader=LOADER)


def assert_composed_alike(text: str) -> None:
    try:
        expected = pyyaml(text)
    except yaml.YAMLError:
        with pytest.raises(yaml.YAMLError):
            compose(text, LOADER)
        return
    lean = compose(text, LOADER)
    assert (lean is None) == (expected is None)
    if lean is not None:
        assert shape(lean) == shape(expected)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_committed_yaml_composes_as_pyyaml_does(path):
    assert_composed_alike(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", [
    "a: &x [1, 2, {b: 3}]\nh: {i: *x}\nc: !!str 12\nd: ! 5\ne: 2024-01-02\nf: ~\ng: [yes, no, 1.5, 0x1f, '', \"q\"]\n",
    "- one\n- &n {k: v}\n- *n\n- ? complex\n  : key\n",
    "",
    "# only a comment\n",
    "plain scalar",
])
def test_tags_anchors_and_empty_documents(text):
    assert_composed_alike(text)


@pytest.mark.parametrize("text", ["a: 1\n---\nb: 2\n", "a: *missing\n", "a: &x 1\nb: &x 2\n"])
def test_what_pyyaml_refuses_is_refused(text):
    with pytest.raises(yaml.YAMLError):
        pyyaml(text)
    with pytest.raises(yaml.YAMLError):
        compose(text, LOADER)


def test_a_nodes_line_is_its_start_mark():
    root = compose("sources:\n  s1:\n    url: https://example.org/\n", LOADER)
    url = root.value[0][1].value[0][1].value[0][1]
    assert (url.value, url.start_mark.line, url.tag) == ("https://example.org/", 2, "tag:yaml.org,2002:str")
