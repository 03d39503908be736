"""When each chapter was last reviewed and when its next review is due.

Each chapter's front matter gives ``reviewed: YYYY-MM-DD`` and, if it is not the settings'
review cycle after that, ``review_due: YYYY-MM-DD``. The build writes one "Page last
reviewed ... · Next review due ..." block per chapter into the shared text it stages
(``reviews.md``, drawn in by the chapter's ``--8<-- "reviews.md:NAME"`` line), lists the
chapters whose review is overdue, and a publication build fails on them.

Step 0 of the build. Reads each chapter's front matter; writes its review block beside the
shared text, and gives the overdue chapters.
"""

from __future__ import annotations

import calendar
import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .authored import FRONT_MATTER
from .errors import SourceProblem

# The pages that are chapters: every page in these folders (not the generated case studies).
CHAPTER_FOLDERS = ("understanding", "responding", "local", "trainers", "about")
NOT_CHAPTERS = ("trainers/cases/",)
REVIEW_LINE = re.compile(r"""^\s*-{1,}8<-{1,}\s+["']reviews\.md:(?P<name>[\w-]+)["']\s*$""", re.M)
# For testing an overdue review without waiting a year.
TODAY_SETTING = "CSE_TODAY"


@dataclass(frozen=True)
class Review:
    page: str  # relative to the docs folder: understanding/consent.md
    name: str  # the section of reviews.md the page draws in
    reviewed: datetime.date
    due: datetime.date


def today() -> datetime.date:
    given = os.environ.get(TODAY_SETTING, "").strip()
    return datetime.date.fromisoformat(given) if given else datetime.date.today()


def add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def long_date(day: datetime.date) -> str:
    return f"{day.day} {day.strftime('%B')} {day.year}"


def is_chapter(relative: str) -> bool:
    return relative.startswith(tuple(f + "/" for f in CHAPTER_FOLDERS)) and not relative.startswith(NOT_CHAPTERS)


def _date(value: object) -> datetime.date | None:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _key_line(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"{key}:"):
            return number
    return 1


def chapter_reviews(docs: Path, cycle_months: int) -> tuple[list[Review], list[SourceProblem]]:
    """Every chapter's review dates, and every problem with them at its line."""
    reviews: list[Review] = []
    problems: list[SourceProblem] = []
    for path in sorted(docs.rglob("*.md")):
        relative = path.relative_to(docs).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # the check of the authored text names it in one line
        line = REVIEW_LINE.search(text)
        if not is_chapter(relative) and line is None:
            continue
        shown = f"docs/{relative}"
        match = FRONT_MATTER.match(text)
        try:
            meta = yaml.safe_load(match.group(1)) if match else {}
        except yaml.YAMLError:
            meta = {}
        meta = meta if isinstance(meta, dict) else {}
        reviewed = _date(meta.get("reviewed"))
        if reviewed is None:
            problems.append(
                SourceProblem(shown, _key_line(text, "reviewed"), "give 'reviewed: YYYY-MM-DD' in the front matter")
            )
            continue
        due = add_months(reviewed, cycle_months)
        if "review_due" in meta:
            given = _date(meta.get("review_due"))
            if given is None or given <= reviewed:
                message = "'review_due' must be a date (YYYY-MM-DD) after 'reviewed'"
                problems.append(SourceProblem(shown, _key_line(text, "review_due"), message))
                continue
            due = given
        name = path.parent.name if path.stem == "index" else path.stem
        if line is None:
            message = f'the chapter does not show its review dates: add the line --8<-- "reviews.md:{name}"'
            problems.append(SourceProblem(shown, 1, message))
            continue
        if line.group("name") != name:
            number = text[: line.start()].count("\n") + 1
            message = f"the review line must name this page: reviews.md:{name}"
            problems.append(SourceProblem(shown, number, message))
            continue
        reviews.append(Review(relative, name, reviewed, due))
    # Chapters with the same file name in different folders draw in the same block: they
    # must have the same dates (copies of one chapter), or one must be renamed.
    first: dict[str, Review] = {}
    unique: list[Review] = []
    for review in reviews:
        seen = first.setdefault(review.name, review)
        if seen is review:
            unique.append(review)
        elif (seen.reviewed, seen.due) != (review.reviewed, review.due):
            message = f"another chapter, docs/{seen.page}, has the same file name and other review dates; rename one"
            problems.append(SourceProblem(f"docs/{review.page}", 1, message))
    return unique, problems


def reviews_markdown(reviews: list[Review]) -> str:
    """The shared text each chapter draws in: its review dates and the printed-copy notice."""
    parts = []
    for review in reviews:
        amendments = "../" * review.page.count("/") + "about/amendments.md"
        parts.append(
            f"<!-- --8<-- [start:{review.name}] -->\n"
            f'Page last reviewed: <time datetime="{review.reviewed.isoformat()}">{long_date(review.reviewed)}</time>'
            f' · Next review due: <time datetime="{review.due.isoformat()}">{long_date(review.due)}</time>'
            f" · [Amendments to these procedures]({amendments})\n"
            "{: .chapter-status }\n\n"
            "**Printed copies may be out of date.** These procedures are kept up to date online; "
            "check the online version before relying on a printed copy.\n"
            "{: .print-only }\n"
            f"<!-- --8<-- [end:{review.name}] -->\n"
        )
    return "\n".join(parts)


def overdue(reviews: list[Review], on: datetime.date) -> list[str]:
    """One line per chapter whose next review was due before ``on``."""
    return [
        f"docs/{r.page}: review overdue: it was due on {long_date(r.due)} (last reviewed {long_date(r.reviewed)})"
        for r in reviews
        if r.due < on
    ]
