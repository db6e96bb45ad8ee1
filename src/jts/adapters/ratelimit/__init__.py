"""Rate limiting for every venue: limits as data, exact algorithms, lanes, venue feedback.

Typical use in a venue's ``http.py``::

    cost = policy.request("POST /api/v3/order")          # or binance.endpoint(method, path, params)
    sent_at = await limiter.acquire(api_key_id, cost.costs, cost.priority)
    response = await client.post(...)
    await limiter.feedback(
        api_key_id,
        parse_feedback(policy, response.status_code, response.headers, sent_at_ns=sent_at),
    )

- ``limits``: ``RateLimit``, ``RateLimitPolicy``, ``Cost``, ``RequestCost``, ``Priority`` ...
  Each venue's policy is in ``jts.adapters.brokers.<venue>.constants``.
- ``port.RateLimiter``: the port. ``InProcessRateLimiter`` serves one event loop;
  ``RedisRateLimiter`` lets several processes share a key (Redis ``TIME`` by default).
- ``lanes``: orders and cancels first, then quotes, then history/account queries; a
  ``starvation_guard_s`` bounds how long quotes can hold history back, and the policy's
  ``order_reserve`` keeps part of shared limits for orders.
- ``feedback``: ``Feedback`` and ``parse_feedback`` for used-weight headers, Remaining-Req,
  Retry-After, 429/418 and venue error codes.
- ``audit``: checks a grant log against limits; ``virtual_time``: an event loop on virtual
  time for simulations and tests.
"""

from __future__ import annotations

from jts.adapters.ratelimit.feedback import Feedback, parse_feedback
from jts.adapters.ratelimit.inprocess import InProcessRateLimiter
from jts.adapters.ratelimit.limits import (
    Algorithm,
    Backoff,
    CodeRule,
    Cost,
    FeedbackRules,
    Priority,
    RateLimit,
    RateLimitPolicy,
    RequestCost,
    Scope,
    request,
)
from jts.adapters.ratelimit.port import RateLimiter
from jts.adapters.ratelimit.redis_backend import RedisRateLimiter, TimeSource

__all__ = [
    "Algorithm",
    "Backoff",
    "CodeRule",
    "Cost",
    "Feedback",
    "FeedbackRules",
    "InProcessRateLimiter",
    "Priority",
    "RateLimit",
    "RateLimitPolicy",
    "RateLimiter",
    "RedisRateLimiter",
    "RequestCost",
    "Scope",
    "TimeSource",
    "parse_feedback",
    "request",
]
