"""Resolve ``(key, costs)`` into the concrete limit states a request charges.

A limit's state is identified by ``"<scope id>:<limit name>"``: ``IP``-scoped limits (and any
scope listed in ``shared_scopes``) use the shared identity, every other scope uses the key
passed to ``acquire``. So two API keys on one machine share Binance's per-IP request weight
but not their per-account order counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from jts.adapters.ratelimit.limits import Cost, RateLimit, RateLimitPolicy, Scope

DEFAULT_SHARED_SCOPES: Mapping[Scope, str] = MappingProxyType({Scope.IP: "ip"})


@dataclass(frozen=True, slots=True)
class Charge:
    """``weight`` units of ``limit``, kept in the state called ``state_id``."""

    limit: RateLimit
    state_id: str
    weight: int


@dataclass(frozen=True, slots=True, eq=False)
class Plan:
    """Everything one request charges, validated; ``state_ids`` for the lane scheduler.

    Compared by identity: the planner hands out one plan per ``(key, costs)``, so backends
    can cache per-plan encodings cheaply.
    """

    key: str
    charges: tuple[Charge, ...]
    state_ids: frozenset[str]
    reserve: tuple[int, ...] | None = None
    """Units per charge that requests outside the order lane must leave free (None: none)."""


class Planner:
    """Builds and caches plans for one policy (requests repeat, so resolution happens once)."""

    def __init__(
        self, policy: RateLimitPolicy, shared_scopes: Mapping[Scope, str] = DEFAULT_SHARED_SCOPES
    ) -> None:
        for scope, identity in shared_scopes.items():
            if not identity or ":" in identity:
                raise ValueError(
                    f"shared identity {identity!r} for scope {scope.value} must be non-empty "
                    "and contain no ':'"
                )
        self.policy = policy
        self._shared = dict(shared_scopes)
        self._reserved = policy.reserved_units()
        self._cache: dict[tuple[str, tuple[Cost, ...]], Plan] = {}

    def plan(self, key: str, costs: Sequence[Cost]) -> Plan:
        cache_key = (key, costs if isinstance(costs, tuple) else tuple(costs))
        cached = self._cache.get(cache_key)
        if cached is None:
            cached = self._build(key, cache_key[1])
            if len(self._cache) < 65_536:
                self._cache[cache_key] = cached
        return cached

    def state_id(self, key: str, limit: RateLimit) -> str:
        return f"{self._shared.get(limit.scope, key)}:{limit.name}"

    def charges(self, key: str, names: Sequence[str]) -> tuple[Charge, ...]:
        """Zero-weight charges on the limits called ``names``, resolved for ``key``."""
        return tuple(self._zero_charge(key, self.policy.limit(n)) for n in names)

    def all_charges(self, key: str) -> tuple[Charge, ...]:
        """Zero-weight charges on every limit of the policy, resolved for ``key``."""
        return tuple(self._zero_charge(key, lim) for lim in self.policy.limits)

    def _zero_charge(self, key: str, limit: RateLimit) -> Charge:
        return Charge(limit, self.state_id(key, limit), 0)

    def _build(self, key: str, costs: tuple[Cost, ...]) -> Plan:
        if not key or ":" in key:
            raise ValueError(f"rate-limit key {key!r} must be non-empty and contain no ':'")
        weights: dict[str, int] = {}
        for name, weight in costs:
            weights[name] = weights.get(name, 0) + weight
        charges = []
        for name, weight in weights.items():
            limit = self.policy.check_weight(name, weight)
            if weight > 0:
                charges.append(Charge(limit, self.state_id(key, limit), weight))
        reserve = tuple(
            min(self._reserved[c.limit.name], c.limit.capacity - c.weight) for c in charges
        )
        return Plan(
            key,
            tuple(charges),
            frozenset(c.state_id for c in charges),
            reserve if any(reserve) else None,
        )
