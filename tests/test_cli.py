"""Every command explains itself and is documented where users look."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.cli import cli

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_is_in_the_readme(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0 and len(cli.commands[name].help or "") > 20
    assert f"citecheck {name}" in README


@pytest.mark.parametrize("option", [p.opts[-1] for p in cli.commands["verify"].params if p.opts[-1].startswith("--")
                                    and p.opts[-1] not in ("--help",)])
def test_every_verify_option_is_in_the_readme(option):
    assert option in README


def test_bad_setting_syntax_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "c.yaml"), "-s", "NOVALUE"])
    assert result.exit_code == 2 and "NAME=VALUE" in result.output


def test_missing_citations_file_exits_2(tmp_path):
    result = CliRunner().invoke(cli, ["verify", str(tmp_path / "nope.yaml"), "--archive", str(tmp_path / "a")])
    assert result.exit_code == 2 and "nope.yaml" in result.output
    assert not (tmp_path / "a").exists()
