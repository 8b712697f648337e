"""``citecheck.toml``: every option of a command in a file, the command line winning.

Found with ``--config FILE``, else beside the citations file named on the
command line, else in the current folder. Each table is a command (``[verify]``)
and each key an option as spelt on the command line without its dashes
(``fail-on = "dead,timeout"``, ``exclude = ["^https://x\\.com/"]``); click takes
them as the command's defaults, so values are checked as if typed. A key that is
no option is an error naming the file and the key, not silently ignored.
"""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

import click

NAME = "citecheck.toml"
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".pdf", ".docx", ".odt", ".html", ".htm", ".md", ".markdown", ".txt",
                     ".json", ".bib")


class ConfigError(click.ClickException):
    exit_code = 2


def find(args: list[str]) -> Path | None:
    """The config file for a command line: ``--config``, beside the citations, or here."""
    for i, arg in enumerate(args):
        if arg == "--config" and i + 1 < len(args):
            return Path(args[i + 1])
        if arg.startswith("--config="):
            return Path(arg.partition("=")[2])
    named = [Path(a) for a in args if a.lower().endswith(DOCUMENT_SUFFIXES) and Path(a).is_file()]
    for folder in ([named[0].parent] if named else []) + [Path(".")]:
        if (folder / NAME).is_file():
            return folder / NAME
    return None


def default_map(command: click.Command, path: Path) -> dict:
    """The command's table of ``path`` as click defaults (parameter name -> value)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {command.name}
    if unknown:
        raise ConfigError(f"{path}: unknown table [{sorted(unknown)[0]}]; the table is [{command.name}]")
    table = data.get(command.name, {})
    names = _option_names(command)
    values = {}
    for key, value in table.items():
        if key not in names:
            close = difflib.get_close_matches(key, names, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(f"{path}: [{command.name}] {key!r} is no option of `citecheck {command.name}`{hint}")
        values[names[key]] = value
    return values


def _option_names(command: click.Command) -> dict[str, str]:
    """Option as spelt without dashes -> parameter name (``fail-on`` -> ``fail_on``, ``json`` -> ``json_path``)."""
    names = {}
    for param in command.params:
        if isinstance(param, click.Option) and param.name != "config":
            for opt in param.opts:
                if opt.startswith("--"):
                    names[opt[2:]] = param.name
    return names


class Configured(click.Command):
    """A command whose defaults come from ``citecheck.toml`` when there is one."""

    def make_context(self, info_name, args, parent=None, **extra):
        path = find(list(args))
        if path is not None:
            if not path.is_file():
                raise ConfigError(f"{path}: no such config file")
            extra["default_map"] = {**(extra.get("default_map") or {}), **default_map(self, path)}
        return super().make_context(info_name, args, parent=parent, **extra)
