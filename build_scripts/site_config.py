"""Reading mkdocs.yml, and writing the copy a staged build uses: the one reader of that file.

Both generators read the same file. A staged build keeps its docs folder and its site in
one folder of its own, so it gets a copy of the file that names them; every other path in
the file (shared text, watched folders) is made absolute, so the copy reads the
repository's own. Tags such as ``!ENV`` are kept as they are, for the generator to resolve.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from .errors import BuildError
from .paths import CONFIG, ROOT, Layout


class Tagged:
    """A YAML value with a tag this module does not resolve (``!ENV [NAME, default]``)."""

    def __init__(self, tag: str, value: Any) -> None:
        self.tag = tag
        self.value = value


class _Loader(yaml.SafeLoader):
    pass


class _Dumper(yaml.SafeDumper):
    pass


def _construct_tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    if isinstance(node, yaml.SequenceNode):
        return Tagged("!" + suffix, loader.construct_sequence(node, deep=True))
    if isinstance(node, yaml.MappingNode):
        return Tagged("!" + suffix, loader.construct_mapping(node, deep=True))
    return Tagged("!" + suffix, loader.construct_scalar(node))  # type: ignore[arg-type]


def _represent_tagged(dumper: yaml.SafeDumper, data: Tagged) -> yaml.Node:
    if isinstance(data.value, list):
        return dumper.represent_sequence(data.tag, data.value)
    if isinstance(data.value, dict):
        return dumper.represent_mapping(data.tag, data.value)
    return dumper.represent_scalar(data.tag, str(data.value))


_Loader.add_multi_constructor("!", _construct_tagged)
_Dumper.add_representer(Tagged, _represent_tagged)


def read_config(path: Path = CONFIG) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    if not isinstance(data, dict):
        raise BuildError(f"{path}:1: expected a mapping of settings")
    return data


def nav_pages(nav: Any) -> list[str]:
    """Every page the nav names, as a path relative to the docs folder, in nav order."""
    found: list[str] = []
    if isinstance(nav, str):
        if not nav.startswith(("http://", "https://")):
            found.append(nav)
    elif isinstance(nav, list):
        for entry in nav:
            found += nav_pages(entry)
    elif isinstance(nav, dict):
        for value in nav.values():
            found += nav_pages(value)
    return found


def _absolute(value: str) -> str:
    path = Path(value)
    return str(path if path.is_absolute() else ROOT / path)


def staged_config(config: dict[str, Any], site_dir: str = "site") -> dict[str, Any]:
    """The repository's settings, with the docs folder and the site beside the copy.

    Zensical (0.0.73) wants ``docs_dir`` inside the folder that holds the file and fails on
    an absolute one, so both are written relative to it.
    """
    staged = dict(config)
    staged["docs_dir"] = "docs"
    staged["site_dir"] = site_dir
    if "watch" in staged:
        staged["watch"] = [_absolute(str(entry)) for entry in staged["watch"]]
    extensions = []
    for entry in staged.get("markdown_extensions", []):
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            options = dict(entry["pymdownx.snippets"] or {})
            base = options.get("base_path", ["."])
            options["base_path"] = [_absolute(str(p)) for p in ([base] if isinstance(base, str) else base)]
            entry = {"pymdownx.snippets": options}
        extensions.append(entry)
    if extensions:
        staged["markdown_extensions"] = extensions
    return staged


def with_includes(config: dict[str, Any], includes: Path) -> dict[str, Any]:
    """The settings with the shared text read from ``includes`` alone (this build's rendered copy)."""
    extensions = []
    for entry in config.get("markdown_extensions", []):
        if isinstance(entry, dict) and "pymdownx.snippets" in entry:
            options = dict(entry["pymdownx.snippets"] or {})
            options["base_path"] = [str(includes)]
            entry = {"pymdownx.snippets": options}
        extensions.append(entry)
    return {**config, "markdown_extensions": extensions} if extensions else dict(config)


def write_staged_config(
    layout: Layout, source: Path = CONFIG, customise: Callable[[dict[str, Any]], dict[str, Any]] | None = None
) -> None:
    """The configuration a staged build uses; ``customise`` makes it the partnership's."""
    site_dir = layout.site.relative_to(layout.config.parent).as_posix()
    config = with_includes(staged_config(read_config(source), site_dir), layout.includes)
    if customise is not None:
        config = customise(config)
    text = yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    header = f"# Written by build_scripts from {source}, for a build staged in this folder.\n"
    layout.config.write_text(header + text, encoding="utf-8")
