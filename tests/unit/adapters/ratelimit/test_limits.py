"""Policies are validated data: mistakes fail at start with a message naming the culprit."""

from __future__ import annotations

import pytest

from jts.adapters.ratelimit.limits import (
    Algorithm,
    Backoff,
    CodeRule,
    Cost,
    FeedbackRules,
    Priority,
    RateLimit,
    RateLimitPolicy,
    request,
)
from jts.shared_kernel.errors import ConfigurationError


def _policy(**overrides: object) -> RateLimitPolicy:
    fields: dict[str, object] = {
        "venue": "TEST",
        "limits": (RateLimit("a", 10, 1.0), RateLimit("g", 5, 1.0, Algorithm.GCRA, burst=2)),
        "requests": {"GET /x": request(Cost("a", 3), Cost("g", 2), priority=Priority.HISTORY)},
    }
    fields.update(overrides)
    return RateLimitPolicy(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " ", "limit": 1, "window_s": 1.0}, "non-empty name"),
        ({"name": "a", "limit": 0, "window_s": 1.0}, "'a': limit is 0"),
        ({"name": "a", "limit": 1, "window_s": 0.0}, "window_s is 0.0"),
        ({"name": "a", "limit": 1, "window_s": float("nan")}, "window_s is nan"),
        ({"name": "a", "limit": 3, "window_s": 1.0, "burst": 4}, "burst is 4"),
        ({"name": "a", "limit": 3, "window_s": 1.0, "align_s": float("inf")}, "align_s"),
    ],
)
def test_bad_limits_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        RateLimit(**kwargs)  # type: ignore[arg-type]


def test_derived_nanosecond_fields() -> None:
    limit = RateLimit("g", 3, 1.0, Algorithm.GCRA, burst=2, align_s=0.5)

    assert (limit.window_ns, limit.align_ns) == (1_000_000_000, 500_000_000)
    assert limit.emission_ns == 333_333_334  # rounded up: never faster than 3 per second
    assert limit.capacity == 2
    assert RateLimit("s", 7, 1.0).capacity == 7


def test_policy_looks_up_requests_and_limits() -> None:
    policy = _policy(default_request=request("a"))

    assert policy.request("GET /x").costs == (Cost("a", 3), Cost("g", 2))
    assert policy.request("GET /x").priority is Priority.HISTORY
    assert policy.request("GET /unknown") == request("a")
    assert policy.limit("g").burst == 2


def test_unknown_endpoint_without_default_names_the_constants_file() -> None:
    with pytest.raises(ValueError, match=r"'GET /nope'.*adapters/brokers/test/constants.py"):
        _policy().request("GET /nope")
    with pytest.raises(ValueError, match=r"no rate limit 'zz' \(known: a, g\)"):
        _policy().limit("zz")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"limits": (RateLimit("a", 1, 1.0), RateLimit("a", 2, 1.0))}, "'a' twice"),
        ({"requests": {"GET /y": request("missing")}}, "endpoint 'GET /y'.*'missing'"),
        ({"requests": {"GET /y": request(Cost("g", 3))}}, "weight 3 exceeds .* \\(2\\)"),
        ({"requests": {"GET /y": request(Cost("a", -1))}}, "weight -1 is negative"),
        ({"default_request": request("nope")}, "the default request"),
        ({"feedback": FeedbackRules(used_headers={"X-Used": "nope"})}, "feedback rules"),
        ({"feedback": FeedbackRules(codes={"E1": CodeRule(limits=("nope",))})}, "'nope'"),
    ],
)
def test_inconsistent_policies_are_refused(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        _policy(**overrides)


def test_feedback_rules_match_headers_case_insensitively() -> None:
    rules = FeedbackRules(used_headers={"X-MBX-Used": "a"}, remaining_header="Remaining-Req")

    assert dict(rules.used_headers) == {"x-mbx-used": "a"}
    assert rules.remaining_header == "remaining-req"


def test_derated_scales_every_limit_down_and_keeps_requests_valid() -> None:
    derated = _policy().derated(0.5)

    assert [(lim.name, lim.limit, lim.burst) for lim in derated.limits] == [
        ("a", 5, 1),
        ("g", 2, 2),
    ]
    with pytest.raises(ConfigurationError, match=r"factor is 1\.5"):
        _policy().derated(1.5)


def test_with_limits_replaces_by_name_and_rechecks_weights() -> None:
    policy = _policy().with_limits([RateLimit("a", 50, 60.0, Algorithm.FIXED_WINDOW)])

    assert policy.limit("a").window_s == 60.0
    with pytest.raises(ValueError, match="no rate limit 'b'"):
        policy.with_limits([RateLimit("b", 1, 1.0)])
    with pytest.raises(ConfigurationError, match="weight 3 exceeds"):
        policy.with_limits([RateLimit("a", 2, 1.0)])


def test_backoff_must_be_positive() -> None:
    with pytest.raises(ConfigurationError, match="cap_418_s is 0"):
        Backoff(cap_418_s=0)


def test_order_reserve_applies_to_limits_that_orders_charge() -> None:
    policy = _policy(
        requests={
            "POST /o": request(Cost("a", 2), priority=Priority.ORDER),
            "GET /q": request("g"),
        },
        order_reserve=0.25,
    )

    assert policy.reserved_units() == {"a": 3, "g": 0}
    with pytest.raises(ConfigurationError, match="order_reserve is 1"):
        _policy(order_reserve=1)
