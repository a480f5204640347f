"""Throttling per address across usernames (password spraying, ASVS 6.3.1).

django-axes locks the pair (username, address) after 5 failures; someone who tries four
passwords for each of many usernames from one address is not stopped by that. So, over
the last hour, the password failures from one address count together: from the 50th on,
that address must wait before its next attempt, 1 s, then 2, 4, … up to a minute. It is a
delay and never a lock: the people behind one proxy address can always log in after at
most a minute, while a sprayer is held to about one guess a minute.

The failures are the access log's `login_failed` entries of the password step (written by
login_log.login_failed for every route), so nothing else has to count them. Attempts
refused here never reach a password check and do not count, so waiting always helps.
"""

import math

from django.db.models import Count, Max
from django.utils import timezone

from mim.audit.models import AuditEntry, Event

FAILURES_PER_ADDRESS = 50
WINDOW_SECONDS = 60 * 60
MAX_DELAY_SECONDS = 60


def delay_after(failures: int) -> int:
    """The wait after the n-th failure from one address in the window."""
    if failures < FAILURES_PER_ADDRESS:
        return 0
    return min(MAX_DELAY_SECONDS, 2 ** (failures - FAILURES_PER_ADDRESS))


def address_retry_after(address: str, *, now=None) -> int:
    """Seconds until `address` may try a password again; 0 when it may now."""
    if not address:
        return 0
    now = now or timezone.now()
    found = AuditEntry.objects.filter(
        event=Event.LOGIN_FAILED, object_type="user", client=address,
        at__gte=now - timezone.timedelta(seconds=WINDOW_SECONDS),
    ).aggregate(failures=Count("pk"), last=Max("at"))
    wait = delay_after(found["failures"])
    if not wait:
        return 0
    remaining = (found["last"] - now).total_seconds() + wait
    return max(0, math.ceil(remaining))
