"""Publishing a finished build: a failed build leaves the previous site exactly as it was.

The generator writes into a staging folder beside the published site. Only when every
step and check has passed does the build mark the staged site complete (``COMPLETE_MARK``,
written last) and put it in place of the published one with a rename: on Linux one atomic
exchange of the two folders, elsewhere two renames a moment apart (never a half-written
folder, at worst an instant with none). The development server refuses a folder without
the mark, so a site the build did not finish, or one a generator wrote on its own, is
never served.

Step 7 of the build. Reads the finished staged site; puts it in place of site/ (or DIR/site).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import stat
import time
from pathlib import Path

from .errors import BuildError
from .paths import COMPLETE_MARK

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one step (Linux renameat2); False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    done = renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    return bool(done == 0)


def links_in(site: Path) -> list[str]:
    """Every symbolic link (and anything else that is not a file or a folder) in ``site``."""
    found = []
    for folder, folders, files in os.walk(site):
        for name in folders + files:
            mode = os.lstat(os.path.join(folder, name)).st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                found.append(Path(folder, name).relative_to(site).as_posix())
    return sorted(found)


def mark_complete(site: Path, generator: str) -> None:
    """The last file the build writes: every check has passed. Refuses a site holding links."""
    links = links_in(site)
    if links:
        raise BuildError(
            f"the built site holds {len(links)} symbolic link(s) or special file(s), which a web server "
            f"could follow out of the site: {', '.join(links[:5])}"
        )
    when = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    (site / COMPLETE_MARK).write_text(
        f"Built with {generator} at {when}; every step and check passed.\n", encoding="utf-8"
    )


def publish(staged: Path, target: Path) -> None:
    """Put the finished ``staged`` site in place of ``target``; the old one is removed."""
    if not (staged / COMPLETE_MARK).is_file():
        raise BuildError(f"{staged} is not a finished build; nothing was published")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise BuildError(f"{target} is not a folder; move it away and build again")
    try:
        if not target.exists():
            os.rename(staged, target)
            return
        if _exchange(staged, target):
            shutil.rmtree(staged)  # now the previous site
            return
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
        try:
            os.rename(staged, target)
        except OSError:
            os.rename(old, target)  # put the previous site back
            raise
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise BuildError(f"cannot put the new site in place of {target}: {exc.strerror or exc}") from None


def discard(staged: Path) -> None:
    """Remove what a failed build staged (the published site is not touched)."""
    with contextlib.suppress(FileNotFoundError):
        shutil.rmtree(staged)


def unfinished(directory: Path) -> str | None:
    """Why the development server must not serve ``directory``, in one line; None when it may."""
    if not directory.is_dir():
        return f"{directory} does not exist: build the site first (make build)"
    if not (directory / COMPLETE_MARK).is_file():
        return (
            f"refusing to serve {directory}: the build did not finish it (no {COMPLETE_MARK}); "
            "run make build and serve what it publishes"
        )
    return None
