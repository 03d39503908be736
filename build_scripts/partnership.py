"""The partnership's settings (``partnership.yml``): read, checked and turned into what the pages show.

One file holds what a partnership changes: its name, the neutral site "Exit this page"
goes to, its contacts, the screening tools and local chapters it publishes, an optional
logo and colour, its address and its review cycle. It is read with the project's YAML
reader, so every problem is ``partnership.yml:LINE: message``; what each field may hold,
and the settings' JSON Schema, are in :mod:`.partnership_fields`.

A contact left empty (null) is shown on the pages as a marked placeholder; the build prints
one line for each, and a publication build fails on them (``--for-publication``).

Step 0 of the build. Reads partnership.yml (or ``--settings FILE``); gives the settings,
or raises :class:`.errors.SettingsError` with every problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from screening.errors import Problem
from screening_cli.yaml_reader import line_of, read_yaml

from .errors import SettingsError
from .partnership_fields import (
    COLOUR,
    CONTACT_FIELDS,
    EMAIL,
    KEYS,
    LOGO_TYPES,
    MIN_CONTRAST,
    PHONE,
    SITE_TEXT_ON_COLOUR,
    contrast,
)
from .paths import DOCS, PROTOCOLS, ROOT

SETTINGS = ROOT / "partnership.yml"
SCHEMA_LINE = "# yaml-language-server: $schema=schemas/partnership.schema.json"
LOCAL_DIR = "local"


@dataclass(frozen=True)
class Logo:
    file: str
    alt: str


@dataclass(frozen=True)
class Partnership:
    name: str
    short_name: str
    site_url: str | None
    exit_to: str
    exit_to_name: str
    screening_tools: tuple[str, ...]
    local_chapters: tuple[str, ...]
    logo: Logo | None
    colour: str | None
    review_cycle_months: int
    contacts: dict[str, dict[str, str | None]]
    display: str = "partnership.yml"
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict, compare=False, repr=False)

    def line(self, *path: str | int) -> int:
        return line_of(self.lines, tuple(path)) or 1

    def placeholders(self, shown: set[str] | None = None) -> list[str]:
        """One line per contact detail still shown as a placeholder (of the contact groups
        ``shown`` on the published pages; all when None), and a missing address."""
        found = []
        for group, fields in CONTACT_FIELDS.items():
            if shown is not None and group not in shown:
                continue
            for name in fields:
                if not self.contacts.get(group, {}).get(name):
                    where = f"{self.display}:{self.line('contacts', group, name)}"
                    found.append(f"{where}: contacts.{group}.{name} is empty: the pages show a placeholder for it")
        if not self.site_url:
            found.append(f"{self.display}:{self.line('site_url')}: site_url is empty: the site's address is not set")
        return found

    def contact_markup(self) -> dict[str, dict[str, Markup]]:
        """Every contact detail as the pages show it: the detail (a telephone number or an
        email address as a link), or the marked placeholder."""
        shown: dict[str, dict[str, Markup]] = {}
        for group, fields in CONTACT_FIELDS.items():
            shown[group] = {}
            for name, (kind, placeholder) in fields.items():
                value = self.contacts.get(group, {}).get(name)
                shown[group][name] = detail_markup(kind, value) if value else placeholder_markup(placeholder)
        return shown


def placeholder_markup(text: str) -> Markup:
    return Markup('<span class="contact-placeholder">{}</span>').format(text)


def detail_markup(kind: str, value: str) -> Markup:
    if kind == "phone":
        digits = value.replace(" ", "")
        dial = "+44" + digits[1:] if digits.startswith("0") else digits
        return Markup('<a class="contact-detail" href="tel:{}">{}</a>').format(dial, value)
    if kind == "email":
        return Markup('<a class="contact-detail" href="mailto:{}">{}</a>').format(value, value)
    return Markup('<span class="contact-detail">{}</span>').format(value)


def protocol_ids(folder: Path = PROTOCOLS) -> list[str]:
    return sorted(p.stem for p in folder.glob("*.yaml"))


def local_chapter_ids(docs: Path = DOCS) -> list[str]:
    return sorted(p.stem for p in (docs / LOCAL_DIR).glob("*.md"))


class _Checker:
    def __init__(self, display: str, lines: dict[tuple[str | int, ...], int]) -> None:
        self.display = display
        self.lines = lines
        self.problems: list[Problem] = []

    def __call__(self, path: tuple[str | int, ...], message: str) -> None:
        self.problems.append(Problem(message, path, self.display, line_of(self.lines, path) or 1))

    def text(self, data: dict[str, Any], key: str, required: bool = False) -> str | None:
        value = data.get(key)
        if value is None:
            if required:
                self((key,) if key in data else (), f"'{key}' is missing: give the site's {key.replace('_', ' ')}")
            return None
        if not isinstance(value, str) or not value.strip():
            self((key,), f"'{key}' must be text")
            return None
        return value.strip()

    def https(self, key: str, value: str, site_url: str | None) -> None:
        parts = urlsplit(value)
        if parts.scheme != "https" or not parts.netloc:
            self((key,), f"'{key}' must be an https address (https://...), not {value!r}")
            return
        if site_url:
            site = urlsplit(site_url)
            if parts.netloc.lower() == site.netloc.lower() and parts.path.startswith(site.path or "/"):
                self((key,), f"'{key}' is on this site ({value}): it must take the reader to another, neutral site")


def read_partnership(
    path: Path = SETTINGS,
    display: str | None = None,
    protocols: list[str] | None = None,
    local_chapters: list[str] | None = None,
    docs: Path = DOCS,
) -> Partnership:
    """The settings, checked; SettingsError lists every problem, each at its line."""
    shown = display or (path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name)
    if not path.is_file():
        raise SettingsError([Problem(f"there is no settings file at {path}: copy the bundled one", (), shown, 1)])
    data, lines, problems = read_yaml(path, shown)
    if problems:
        raise SettingsError(problems)
    check = _Checker(shown, lines)
    if not isinstance(data, dict):
        raise SettingsError([Problem("the settings must be a mapping of keys (name: ..., exit_to: ...)", (), shown, 1)])
    first = path.read_text(encoding="utf-8").splitlines()[:1]
    if first != [SCHEMA_LINE]:
        check((), f"the first line must name the settings' schema: {SCHEMA_LINE}")
    for key in data:
        if key not in KEYS:
            check((key,), f"'{key}' is not a setting; the settings are {', '.join(KEYS)}")
    name = check.text(data, "name", required=True)
    short_name = check.text(data, "short_name") or name
    site_url = check.text(data, "site_url")
    if site_url is not None:
        parts = urlsplit(site_url)
        if parts.scheme not in ("https", "http") or not parts.netloc:
            check(("site_url",), f"'site_url' must be the site's address (https://...), not {site_url!r}")
            site_url = None
        elif not site_url.endswith("/"):
            site_url += "/"
    exit_to = check.text(data, "exit_to", required=True)
    if exit_to is not None:
        check.https("exit_to", exit_to, site_url)
    exit_to_name = check.text(data, "exit_to_name") or urlsplit(exit_to or "").netloc

    known_tools = protocol_ids() if protocols is None else protocols
    tools = _ids(check, data, "screening_tools", known_tools, "protocols/", required=True)
    known_local = local_chapter_ids(docs) if local_chapters is None else local_chapters
    chapters = _ids(check, data, "local_chapters", known_local, f"docs/{LOCAL_DIR}/", required=False)

    logo = None
    raw_logo = data.get("logo")
    if raw_logo is not None:
        if not isinstance(raw_logo, dict):
            check(("logo",), "'logo' must give 'file' and 'alt' (its text alternative)")
        else:
            file, alt = raw_logo.get("file"), raw_logo.get("alt")
            if not isinstance(alt, str) or not alt.strip():
                check(("logo",), "the logo has no text alternative: give 'alt', what a screen reader says for it")
            elif not isinstance(file, str) or not file.strip():
                check(("logo",), "the logo has no 'file': give its path under docs/")
            elif not file.lower().endswith(LOGO_TYPES):
                check(("logo", "file"), f"the logo must be one of {', '.join(LOGO_TYPES)}: {file!r}")
            elif file.startswith("/") or ".." in Path(file).parts or not (docs / file).is_file():
                check(("logo", "file"), f"the logo '{file}' is not a file under docs/")
            else:
                logo = Logo(file, alt.strip())

    colour = check.text(data, "colour")
    if colour is not None:
        if not COLOUR.match(colour):
            check(("colour",), f"'colour' must be #RRGGBB, not {colour!r}")
            colour = None
        else:
            ratio = contrast(colour, SITE_TEXT_ON_COLOUR)
            if ratio < MIN_CONTRAST:
                check(
                    ("colour",),
                    f"the colour {colour} has a contrast of {ratio:.2f}:1 with the site's white header text; "
                    f"WCAG 2.2 AA needs {MIN_CONTRAST}:1: choose a darker colour",
                )
                colour = None

    cycle = data.get("review_cycle_months", 12)
    if not isinstance(cycle, int) or isinstance(cycle, bool) or not 1 <= cycle <= 60:
        check(("review_cycle_months",), "'review_cycle_months' must be a whole number of months from 1 to 60")
        cycle = 12

    contacts = _contacts(check, data.get("contacts"))
    if check.problems:
        check.problems.sort(key=lambda p: p.line or 0)
        raise SettingsError(check.problems)
    return Partnership(
        name=name or "",
        short_name=short_name or "",
        site_url=site_url,
        exit_to=exit_to or "",
        exit_to_name=exit_to_name,
        screening_tools=tuple(tools),
        local_chapters=tuple(chapters),
        logo=logo,
        colour=colour,
        review_cycle_months=cycle,
        contacts=contacts,
        display=shown,
        lines=dict(lines),
    )


def _ids(check: _Checker, data: dict[str, Any], key: str, known: list[str], where: str, required: bool) -> list[str]:
    value = data.get(key)
    if value is None and not required:
        return list(known)
    if not isinstance(value, list) or (required and not value):
        check((key,), f"'{key}' must be a list of ids from {where}" + (", at least one" if required else ""))
        return []
    found: list[str] = []
    for index, entry in enumerate(value):
        if not isinstance(entry, str) or entry not in known:
            check((key, index), f"'{entry}' is not one of {where}: {', '.join(known)}")
        elif entry in found:
            check((key, index), f"'{entry}' is listed twice")
        else:
            found.append(entry)
    return found


def _contacts(check: _Checker, raw: Any) -> dict[str, dict[str, str | None]]:
    contacts: dict[str, dict[str, str | None]] = {
        group: dict.fromkeys(names) for group, names in CONTACT_FIELDS.items()
    }
    if raw is None:
        return contacts
    if not isinstance(raw, dict):
        check(("contacts",), "'contacts' must be a mapping of teams and their details")
        return contacts
    for group, fields in raw.items():
        if group not in CONTACT_FIELDS:
            check(("contacts", group), f"'{group}' is not a contact; they are {', '.join(CONTACT_FIELDS)}")
            continue
        if fields is None:
            continue
        if not isinstance(fields, dict):
            check(("contacts", group), f"contacts.{group} must be a mapping of its details")
            continue
        for name, value in fields.items():
            where = ("contacts", group, name)
            if name not in CONTACT_FIELDS[group]:
                details = ", ".join(CONTACT_FIELDS[group])
                check(where, f"'{name}' is not a detail of contacts.{group}; they are {details}")
                continue
            if value is None:
                continue
            if not isinstance(value, str):
                check(where, f'contacts.{group}.{name} must be text: put it in quotes ("0300 123 4567")')
                continue
            value = " ".join(value.split())
            kind = CONTACT_FIELDS[group][name][0]
            if kind == "phone" and not PHONE.match(value):
                problem = "has letters in it" if re.search(r"[A-Za-z]", value) else "is not a number"
                advice = "use digits and spaces, with a leading + if needed"
                check(where, f"the telephone number {value!r} {problem}: {advice}")
                continue
            if kind == "email" and not EMAIL.match(value):
                check(where, f"{value!r} is not an email address")
                continue
            contacts[group][name] = value
    return contacts
