"""The bank's challenges as the candidate's pages use them, read once per process.

A challenge's content (instruction, proposals, solution, timer…) is the same for every candidate
and changes only when someone edits the bank (the admin, `load_challenges`). The test pages read
only the question row and the challenge's `updated_at` (a join on its primary key) and take the
content from this bounded in-process cache, keyed by (id, updated_at): an edited challenge has a new
key, so no app server can serve its old text, and nothing here is state another server needs.

The cached `Challenge` objects are shared between requests (and threads): read them, never change
them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime

from sessions_app.models import Challenge

# A national bank holds a few thousand challenges; each entry is a few kilobytes.
MAX_ENTRIES = 4096

Key = tuple[int, datetime]

_entries: OrderedDict[Key, Challenge] = OrderedDict()
_lock = threading.Lock()


def get_many(keys: Iterable[Key]) -> dict[int, Challenge]:
    """The challenges of `keys` ((id, updated_at) pairs) by id: from memory, the missing ones in one
    query. A challenge edited since its key was read comes back newer (the row read is what counts)."""
    wanted = {key for key in keys}
    found: dict[int, Challenge] = {}
    missing: list[Key] = []
    with _lock:
        for key in wanted:
            challenge = _entries.get(key)
            if challenge is None:
                missing.append(key)
            else:
                _entries.move_to_end(key)
                found[key[0]] = challenge
    if missing:
        fresh = list(Challenge.objects.filter(pk__in=[pk for pk, _ in missing]))
        with _lock:
            for challenge in fresh:
                _entries[(challenge.pk, challenge.updated_at)] = challenge
                _entries.move_to_end((challenge.pk, challenge.updated_at))
                found[challenge.pk] = challenge
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
    return found


def get(pk: int, updated_at: datetime) -> Challenge:
    return get_many([(pk, updated_at)])[pk]


def clear() -> None:
    with _lock:
        _entries.clear()


def size() -> int:
    return len(_entries)
