"""Rate limits as data: what a venue allows, and what each request costs.

A ``RateLimit`` is one window (``limit`` units per ``window_s`` seconds, counted by one
``Algorithm``, shared by one ``Scope``). A ``RateLimitPolicy`` gathers a venue's limits and maps
each endpoint (``"POST /api/v3/order"``) to a ``RequestCost``: the weights it consumes on each
limit and the priority lane it waits in. The venues' policies live in
``jts.adapters.brokers.<venue>.constants``.

Every algorithm is exact for its own definition of a window:

- ``SLIDING_LOG``: any half-open interval of ``window_s`` holds at most ``limit`` units. It is
  safe whatever the venue's own window alignment is; memory grows with ``limit``.
- ``FIXED_WINDOW``: each window ``[k·W + align, (k+1)·W + align)`` on the UNIX epoch holds at
  most ``limit`` units; for venues whose counters reset on the clock (Binance's minute).
- ``GCRA``: a token bucket of ``burst`` units refilled at ``limit / window_s`` per second.
  Any interval of length ``t`` holds at most ``burst + t·limit/window_s`` units, so with
  ``burst=1`` (pure pacing) any ``window_s`` holds at most ``limit``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum, IntEnum
from types import MappingProxyType
from typing import NamedTuple

from jts.shared_kernel.clock import NANOS_PER_SECOND
from jts.shared_kernel.errors import ConfigurationError


class Algorithm(Enum):
    """How a limit counts; see the module docstring for each one's guarantee."""

    SLIDING_LOG = "sliding_log"
    FIXED_WINDOW = "fixed_window"
    GCRA = "gcra"


class Scope(Enum):
    """Who shares a limit: the machine's IP, an account, an API key or one connection.

    ``IP`` limits are shared by every key of a limiter (see the limiters' ``shared_scopes``);
    the others are counted per key passed to ``acquire``.
    """

    IP = "ip"
    ACCOUNT = "account"
    API_KEY = "api_key"
    CONNECTION = "connection"


class Priority(IntEnum):
    """Waiting lanes, most urgent first; ``CANCEL`` and ``ACCOUNT`` are aliases."""

    ORDER = 0
    CANCEL = 0
    QUOTE = 1
    HISTORY = 2
    ACCOUNT = 2


class Cost(NamedTuple):
    """``weight`` units of the limit called ``limit``."""

    limit: str
    weight: int = 1


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``limit`` units per ``window_s`` seconds, counted by ``algorithm``.

    ``burst`` is the GCRA bucket size (ignored by the window algorithms); ``align_s`` shifts
    a fixed window's boundaries away from the UNIX epoch (e.g. a venue day that starts at
    09:00 KST would use ``align_s=0`` with a 1-day window only if it started at 00:00 UTC).
    """

    name: str
    limit: int
    window_s: float
    algorithm: Algorithm = Algorithm.SLIDING_LOG
    scope: Scope = Scope.API_KEY
    burst: int = 1
    align_s: float = 0.0
    window_ns: int = field(init=False, repr=False, compare=False)
    align_ns: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        where = f"rate limit {self.name!r}"
        if not self.name or not self.name.strip():
            raise ConfigurationError("a rate limit needs a non-empty name")
        if self.limit < 1:
            raise ConfigurationError(f"{where}: limit is {self.limit}; it must be at least 1")
        if not math.isfinite(self.window_s) or self.window_s <= 0:
            raise ConfigurationError(f"{where}: window_s is {self.window_s}; it must be > 0")
        if not 1 <= self.burst <= self.limit:
            raise ConfigurationError(
                f"{where}: burst is {self.burst}; it must be between 1 and the limit {self.limit}"
            )
        if not math.isfinite(self.align_s):
            raise ConfigurationError(f"{where}: align_s is {self.align_s}; it must be finite")
        object.__setattr__(self, "window_ns", round(self.window_s * NANOS_PER_SECOND))
        object.__setattr__(self, "align_ns", round(self.align_s * NANOS_PER_SECOND))

    @property
    def capacity(self) -> int:
        """The largest single weight this limit can ever admit."""
        return self.burst if self.algorithm is Algorithm.GCRA else self.limit

    @property
    def emission_ns(self) -> int:
        """GCRA spacing of one unit, rounded up so the rate never exceeds the limit."""
        return -(-self.window_ns // self.limit)


@dataclass(frozen=True, slots=True)
class RequestCost:
    """What one request consumes (all of ``costs``, atomically) and the lane it waits in."""

    costs: tuple[Cost, ...]
    priority: Priority = Priority.QUOTE


def request(*costs: Cost | str, priority: Priority = Priority.QUOTE) -> RequestCost:
    """Build a ``RequestCost``; a bare name means weight 1: ``request("default")``."""
    return RequestCost(
        tuple(Cost(c) if isinstance(c, str) else c for c in costs), priority=priority
    )


@dataclass(frozen=True, slots=True)
class CodeRule:
    """A venue error code that means "rate exceeded", the limits it concerns and a minimum block.

    ``block_s=None`` applies the policy's escalating 429 backoff.
    """

    limits: tuple[str, ...] = ()
    block_s: float | None = None


@dataclass(frozen=True, slots=True)
class FeedbackRules:
    """How to read a venue's rate-limit signals (parsed by ``jts.adapters.ratelimit.feedback``).

    ``used_headers``: lower-case header name -> limit whose current-window count it reports
    (Binance ``x-mbx-used-weight-1m``). ``remaining_header``: a header of the form
    ``group=<limit>; ...; sec=<remaining>`` (Upbit ``remaining-req``). ``codes``: body error
    codes that mean "rate exceeded" (KIS ``EGW00201``).
    """

    used_headers: Mapping[str, str] = field(default_factory=dict)
    remaining_header: str | None = None
    codes: Mapping[str, CodeRule] = field(default_factory=dict)

    def __post_init__(self) -> None:
        used = {header.lower(): name for header, name in self.used_headers.items()}
        object.__setattr__(self, "used_headers", MappingProxyType(used))
        object.__setattr__(self, "codes", MappingProxyType(dict(self.codes)))
        if self.remaining_header is not None:
            object.__setattr__(self, "remaining_header", self.remaining_header.lower())


@dataclass(frozen=True, slots=True)
class Backoff:
    """Blocks after HTTP 429 / 418: ``base * 2**(strikes-1)`` capped, never below Retry-After."""

    base_429_s: float = 1.0
    cap_429_s: float = 60.0
    base_418_s: float = 120.0
    cap_418_s: float = 3 * 86_400.0

    def __post_init__(self) -> None:
        for name in ("base_429_s", "cap_429_s", "base_418_s", "cap_418_s"):
            value = getattr(self, name)
            if not math.isfinite(value) or value <= 0:
                raise ConfigurationError(f"backoff {name} is {value}; it must be > 0 seconds")


@dataclass(frozen=True, slots=True)
class RateLimitPolicy:
    """A venue's limits, the cost of each endpoint and how to read its feedback.

    ``default_request`` prices endpoints missing from ``requests`` (KIS charges every REST
    call the same); without it an unknown endpoint is an error, so a new endpoint cannot slip
    past the limiter unpriced.

    ``order_reserve`` is the fraction of every limit that order-lane requests also charge which
    the other lanes may not use: a quote flood cannot spend Binance's request weight that the
    next order needs. It cannot apply to a limit whose capacity is one unit (GCRA pacing).
    """

    venue: str
    limits: tuple[RateLimit, ...]
    requests: Mapping[str, RequestCost] = field(default_factory=dict)
    default_request: RequestCost | None = None
    feedback: FeedbackRules = field(default_factory=FeedbackRules)
    backoff: Backoff = field(default_factory=Backoff)
    order_reserve: float = 0.0
    _by_name: Mapping[str, RateLimit] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, RateLimit] = {}
        for limit in self.limits:
            if limit.name in by_name:
                raise ConfigurationError(
                    f"{self.venue} policy declares rate limit {limit.name!r} twice; "
                    "give each limit a unique name"
                )
            by_name[limit.name] = limit
        object.__setattr__(self, "_by_name", MappingProxyType(by_name))
        object.__setattr__(self, "requests", MappingProxyType(dict(self.requests)))
        for endpoint, cost in self.requests.items():
            self._check_request(cost, f"endpoint {endpoint!r}")
        if self.default_request is not None:
            self._check_request(self.default_request, "the default request")
        self._check_feedback_rules()
        if not 0 <= self.order_reserve < 1:
            raise ConfigurationError(
                f"{self.venue} order_reserve is {self.order_reserve}; it must be in [0, 1)"
            )

    def reserved_units(self) -> dict[str, int]:
        """Units of each limit kept for the order lane (see ``order_reserve``)."""
        charged_by_orders = {
            cost.limit
            for request in self.requests.values()
            if request.priority is Priority.ORDER
            for cost in request.costs
        }
        return {
            lim.name: math.ceil(lim.limit * self.order_reserve)
            if lim.name in charged_by_orders
            else 0
            for lim in self.limits
        }

    def limit(self, name: str) -> RateLimit:
        """The limit called ``name``; a clear error names the known ones otherwise."""
        try:
            return self._by_name[name]
        except KeyError:
            known = ", ".join(sorted(self._by_name)) or "none"
            raise ValueError(
                f"{self.venue} has no rate limit {name!r} (known: {known}); declare it in "
                f"adapters/brokers/{self.venue.lower()}/constants.py"
            ) from None

    def request(self, endpoint: str) -> RequestCost:
        """The cost of ``endpoint`` (``"METHOD /path"``), or the default request."""
        cost = self.requests.get(endpoint, self.default_request)
        if cost is None:
            raise ValueError(
                f"{self.venue} has no rate-limit cost for endpoint {endpoint!r}; add it to "
                f"the requests table in adapters/brokers/{self.venue.lower()}/constants.py"
            )
        return cost

    def check_weight(self, name: str, weight: int) -> RateLimit:
        """The limit, after checking that ``weight`` can ever be admitted by it."""
        limit = self.limit(name)
        if weight < 0:
            raise ValueError(f"{self.venue} {name}: weight {weight} is negative")
        if weight > limit.capacity:
            raise ValueError(
                f"{self.venue} {name}: weight {weight} exceeds the most the limit can ever "
                f"admit at once ({limit.capacity}); the request could never be sent"
            )
        return limit

    def derated(self, factor: float) -> RateLimitPolicy:
        """The same policy with every limit scaled by ``factor`` (0 < factor <= 1), rounded down.

        A margin against network jitter and clock skew: the venue counts arrivals, we count
        departures.
        """
        if not 0 < factor <= 1:
            raise ConfigurationError(f"derating factor is {factor}; it must be in (0, 1]")
        limits = tuple(
            dataclasses.replace(
                lim,
                limit=max(1, math.floor(lim.limit * factor)),
                burst=max(1, min(lim.burst, math.floor(lim.limit * factor))),
            )
            for lim in self.limits
        )
        return dataclasses.replace(self, limits=limits)

    def with_limits(self, limits: Iterable[RateLimit]) -> RateLimitPolicy:
        """The same policy with the given limits replacing those of the same name."""
        replacements = {lim.name: lim for lim in limits}
        for name in replacements:
            self.limit(name)
        merged = tuple(replacements.get(lim.name, lim) for lim in self.limits)
        return dataclasses.replace(self, limits=merged)

    def _check_request(self, cost: RequestCost, where: str) -> None:
        for name, weight in cost.costs:
            try:
                self.check_weight(name, weight)
            except ValueError as e:
                raise ConfigurationError(f"{self.venue} {where}: {e}") from None

    def _check_feedback_rules(self) -> None:
        named = list(self.feedback.used_headers.values())
        for rule in self.feedback.codes.values():
            named.extend(rule.limits)
        for name in named:
            if name not in self._by_name:
                raise ConfigurationError(
                    f"{self.venue} feedback rules name rate limit {name!r}, which the policy "
                    "does not declare"
                )
