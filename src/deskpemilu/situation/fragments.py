"""The situation room's live blocks, built once per change of the data and served from Django's
cache (settings.CACHES: files under var/cache, shared by every server process) to every screen
that polls them.

A block is kept under the key of what it is drawn from:
- the data version: the audit head's sequence number. Every write of the desk's data appends an
  audit entry in its own transaction, so the head moves in the same commit as the change: a new
  verified sheet is in the next poll's key. Exact, and one indexed read (the head row). The
  head is read at most once per redraw window (2 s by default; see `version`), so under a
  stream of writes a block is redrawn once per window, not once per write: each block is one
  drawing of the data, stamped with its time.
- the minute: ages, overdue marks and who is on duty move with the clock alone (the staleness
  bound of those, as of the ETag before this cache).
- the reader's variant: everything about the account that the block reads (role, scope, agency)
  and, per contest, the kind of figures the one rule of `results.selectors` lets them read
  (verified only for a possible blind re-entrant). Two readers share a block only when every
  figure in it is one both may see.
- the language and time zone it is written in.

The variant's kinds are read once and passed down to the drawing, so a block is drawn with the
same figures its key names even if the desk switches a contest's verification mode meanwhile.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from deskpemilu.accounts.models import User
from deskpemilu.audit.services import head
from deskpemilu.results.selectors import reader_kinds

# Long enough to serve every poll of one version, short enough that old versions leave the
# cache on their own (the key moves on with the data and the minute).
SECONDS = 120
# How long a request waits for another worker drawing the same block (the file cache's add is
# not atomic across processes, so at worst two draw it: never a wrong block, only a spare one).
WAIT_SECONDS = 2.0
PREFIX = "situasi:"
SNAPSHOT_KEY = PREFIX + "potret"  # (seq, head, read at): the head of the current window


@dataclass(frozen=True)
class Version:
    """The data version and the minute, read at the start of a request."""

    seq: int
    head: str
    minute: str

    def etag(self, user: User, *parts: str) -> str:
        """The ETag of a block for `user` (one query: a 304 needs nothing more)."""
        basis = "|".join([str(self.seq), self.head, self.minute, str(user.pk), *parts])
        basis += "|" + (get_language() or "")
        return '"' + hashlib.sha256(basis.encode()).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class Reader:
    """The figures a reader may read, and everything else about them a block depends on."""

    kinds: dict[str, str]  # contest -> the rollup kind this reader may read
    variant: str


def version() -> Version:
    """The data version the blocks are drawn at: the audit head, read anew at most once per
    redraw window (settings.DESKPEMILU_SITUATION_REDRAW_SECONDS) and shared by every process
    through the cache. Within a window every poll gets the same key and ETag, so a stream of
    writes costs one drawing per window and reader variant, not one per write: a change shows
    at most one window (plus the poll's own interval) late. The head is read first: whatever
    a block then reads is at least as new as its key says."""
    window = settings.DESKPEMILU_SITUATION_REDRAW_SECONDS
    if window <= 0:
        seq, digest = head()
        return Version(seq, digest, minute())
    seq, digest = snapshot(window)
    return Version(seq, digest, minute())


def snapshot(window: float) -> tuple[int, str]:
    """The head the blocks are drawn at in this window: the one in the cache while it is younger
    than `window` seconds by the desk's clock (timezone.now, which tests move), else the head
    now. The cache entry outlives the window, so the clock alone decides when it ends; a head
    older than the one kept (another process read later) never replaces it, so no screen goes
    back to older data."""
    now = timezone.now().timestamp()
    kept = cache.get(SNAPSHOT_KEY)
    if kept is not None and 0 <= now - kept[2] < window:
        return kept[0], kept[1]
    seq, digest = head()
    if kept is None or seq >= kept[0]:
        cache.set(SNAPSHOT_KEY, (seq, digest, now), SECONDS)
    return seq, digest


def minute() -> str:
    """The clock's part of a block's key: ages and overdue marks move once a minute."""
    return timezone.now().strftime("%Y%m%d%H%M")


def reader(user: User) -> Reader:
    kinds = reader_kinds(user)
    figures = ",".join(f"{code}={kind}" for code, kind in sorted(kinds.items()))
    variant = "|".join(
        [
            str(user.role),
            str(user.scope or ""),
            str(user.agency_id or ""),
            figures,
            get_language() or "",
            timezone.get_current_timezone_name(),
        ]
    )
    return Reader(kinds, variant)


def key(version: Version, reader: Reader, *parts: str) -> str:
    basis = "|".join([reader.variant, str(version.seq), version.head, version.minute, *parts])
    return PREFIX + hashlib.sha256(basis.encode()).hexdigest()


def cached_html(key: str, draw: Callable[[], str]) -> str:
    """The block under `key`, drawn by `draw` on the first request that needs it. When the
    data moves, every screen asks for the new block at once: one worker draws it while the
    others wait a little for it (up to WAIT_SECONDS, then they draw it themselves)."""
    html = cache.get(key)
    if html is not None:
        return str(html)
    drawing = key + ":menggambar"
    if not cache.add(drawing, 1, WAIT_SECONDS):
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.02)
            html = cache.get(key)
            if html is not None:
                return str(html)
    html = draw()
    cache.set(key, html, SECONDS)
    cache.delete(drawing)
    return str(html)
