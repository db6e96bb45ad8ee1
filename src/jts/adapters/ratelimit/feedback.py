"""What a venue told us about its limits, in one neutral shape, and how to read it off a response.

Limiters apply a ``Feedback`` with ``feedback(key, fb)``:

- ``used`` / ``remaining`` raise our count of a limit's current window to the venue's
  (never lower it below what we granted). A fixed window is only synced when ``sent_at_ns``
  (when the request was admitted) falls in the current window: a count reported for a window
  that has since rolled over says nothing about the new one.
- HTTP 429, a rate-limit error code, or ``Retry-After`` block the limits concerned (all of the
  key's limits when ``limits`` is empty) for ``max(Retry-After, backoff)``; 418 does the same
  with the longer ban backoff. Backoff doubles with each strike, capped. A strike only
  escalates when the failing request was sent after the previous block began (requests in
  flight when the first 429 arrived do not count twice); a success sent after the block began
  resets the strikes.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

from jts.adapters.ratelimit.limits import Backoff, CodeRule, RateLimitPolicy
from jts.shared_kernel.clock import NANOS_PER_SECOND, datetime_to_ns

HTTP_TOO_MANY_REQUESTS = 429
HTTP_BANNED = 418


@dataclass(frozen=True, slots=True)
class Feedback:
    """A venue's rate-limit signals from one response."""

    status: int = 200
    retry_after_s: float | None = None
    used: Mapping[str, int] = field(default_factory=dict)
    remaining: Mapping[str, int] = field(default_factory=dict)
    limits: tuple[str, ...] = ()
    rate_limited: bool = False
    sent_at_ns: int | None = None

    @property
    def is_ban(self) -> bool:
        return self.status == HTTP_BANNED

    @property
    def is_rate_limited(self) -> bool:
        return self.rate_limited or self.status in (HTTP_TOO_MANY_REQUESTS, HTTP_BANNED)

    @property
    def is_success(self) -> bool:
        return self.status < 400 and not self.rate_limited


def block_duration_s(feedback: Feedback, strikes: int, backoff: Backoff) -> float:
    """How long to block after ``feedback`` given the strike count (>= 1) it brought.

    0.0 means no block (a success or an error that is not about rates).
    """
    retry_after = feedback.retry_after_s or 0.0
    if not feedback.is_rate_limited:
        return retry_after
    exponent = max(strikes, 1) - 1
    if feedback.is_ban:
        escalated = min(backoff.cap_418_s, backoff.base_418_s * 2.0**exponent)
    else:
        escalated = min(backoff.cap_429_s, backoff.base_429_s * 2.0**exponent)
    return max(retry_after, escalated)


def parse_feedback(
    policy: RateLimitPolicy,
    status: int,
    headers: Mapping[str, str],
    *,
    error_code: str | None = None,
    limits: tuple[str, ...] = (),
    sent_at_ns: int | None = None,
    now_ns: int | None = None,
) -> Feedback:
    """Read a response's status, headers and body error code by the policy's feedback rules.

    Unparsable header values are ignored: a garbled header must not fail the request that
    carried it. ``now_ns`` converts an HTTP-date ``Retry-After``; without it that form is
    ignored.
    """
    rules = policy.feedback
    lowered = {name.lower(): value for name, value in headers.items()}
    used = {
        limit: count
        for header, limit in rules.used_headers.items()
        if (count := _non_negative_int(lowered.get(header))) is not None
    }
    remaining: dict[str, int] = {}
    if rules.remaining_header is not None and rules.remaining_header in lowered:
        remaining = _remaining_groups(lowered[rules.remaining_header], policy)
    feedback = Feedback(
        status=status,
        retry_after_s=_retry_after_s(lowered.get("retry-after"), now_ns),
        used=used,
        remaining=remaining,
        limits=limits,
        sent_at_ns=sent_at_ns,
    )
    code_rule = rules.codes.get(error_code) if error_code is not None else None
    return feedback if code_rule is None else _with_code_rule(feedback, code_rule)


def _with_code_rule(feedback: Feedback, rule: CodeRule) -> Feedback:
    retry_after = feedback.retry_after_s
    if rule.block_s is not None:
        retry_after = max(retry_after or 0.0, rule.block_s)
    return dataclasses.replace(
        feedback,
        rate_limited=True,
        limits=feedback.limits or rule.limits,
        retry_after_s=retry_after,
    )


def _non_negative_int(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        return None
    return value if value >= 0 else None


def _remaining_groups(text: str, policy: RateLimitPolicy) -> dict[str, int]:
    """``group=default; min=1800; sec=29`` -> ``{"default": 29}`` when the group is a limit."""
    fields: dict[str, str] = {}
    for part in text.split(";"):
        name, sep, value = part.partition("=")
        if sep:
            fields[name.strip().lower()] = value.strip()
    group = fields.get("group")
    remaining = _non_negative_int(fields.get("sec"))
    if group is None or remaining is None:
        return {}
    try:
        policy.limit(group)
    except ValueError:
        return {}
    return {group: remaining}


def _retry_after_s(text: str | None, now_ns: int | None) -> float | None:
    if text is None:
        return None
    text = text.strip()
    try:
        seconds = float(text)
    except ValueError:
        return _retry_after_date_s(text, now_ns)
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _retry_after_date_s(text: str, now_ns: int | None) -> float | None:
    if now_ns is None:
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, (datetime_to_ns(moment) - now_ns) / NANOS_PER_SECOND)
