"""Reading venue signals: used-weight headers, Remaining-Req, Retry-After, codes; backoff."""

from __future__ import annotations

import pytest

from jts.adapters.brokers.binance import constants as binance
from jts.adapters.brokers.kis import constants as kis
from jts.adapters.brokers.upbit import constants as upbit
from jts.adapters.ratelimit.feedback import Feedback, block_duration_s, parse_feedback
from jts.adapters.ratelimit.limits import Backoff

S = 1_000_000_000


def test_binance_used_weight_and_order_count_headers() -> None:
    headers = {
        "X-MBX-USED-WEIGHT-1M": "1234",
        "x-mbx-order-count-10s": "7",
        "X-MBX-ORDER-COUNT-1D": "garbage",
        "Retry-After": "30",
    }

    fb = parse_feedback(binance.RATE_LIMIT_POLICY, 429, headers, sent_at_ns=5)

    assert dict(fb.used) == {"REQUEST_WEIGHT": 1234, "ORDERS_10S": 7}
    assert fb.retry_after_s == 30.0
    assert fb.is_rate_limited
    assert not fb.is_ban
    assert fb.sent_at_ns == 5


def test_upbit_remaining_req_names_the_group() -> None:
    headers = {"Remaining-Req": "group=order; min=1800; sec=3"}

    fb = parse_feedback(upbit.RATE_LIMIT_POLICY, 201, headers)

    assert dict(fb.remaining) == {"order": 3}
    assert fb.is_success


@pytest.mark.parametrize(
    "value",
    ["group=origin; min=1; sec=0", "group=default; min=1800", "sec=4", "nonsense", "sec=-1"],
)
def test_upbit_remaining_req_for_unknown_groups_or_garbage_is_ignored(value: str) -> None:
    fb = parse_feedback(upbit.RATE_LIMIT_POLICY, 200, {"remaining-req": value})

    assert dict(fb.remaining) == {}


def test_kis_codes_mark_rate_limits_on_their_limits() -> None:
    rest = parse_feedback(kis.REAL_POLICY, 500, {}, error_code="EGW00201")
    token = parse_feedback(kis.REAL_POLICY, 403, {}, error_code="EGW00133")
    other = parse_feedback(kis.REAL_POLICY, 500, {}, error_code="APBK0918")

    assert (rest.rate_limited, rest.limits, rest.retry_after_s) == (True, ("rest",), None)
    assert (token.limits, token.retry_after_s) == (("token",), 60.0)
    assert not other.is_rate_limited
    assert not other.is_success


def test_retry_after_as_http_date_needs_the_current_time() -> None:
    headers = {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}
    now = 1_445_412_470 * S  # 10 s earlier

    assert parse_feedback(kis.REAL_POLICY, 503, headers, now_ns=now).retry_after_s == 10.0
    assert parse_feedback(kis.REAL_POLICY, 503, headers).retry_after_s is None
    assert parse_feedback(kis.REAL_POLICY, 503, {"Retry-After": "-3"}).retry_after_s is None


def test_backoff_doubles_per_strike_and_is_capped() -> None:
    backoff = Backoff(base_429_s=1.0, cap_429_s=5.0, base_418_s=120.0, cap_418_s=400.0)
    limited, ban = Feedback(status=429), Feedback(status=418, retry_after_s=130.0)

    assert [block_duration_s(limited, n, backoff) for n in (1, 2, 3, 4)] == [1, 2, 4, 5]
    assert [block_duration_s(ban, n, backoff) for n in (1, 2, 3)] == [130, 240, 400]
    assert block_duration_s(Feedback(status=429, retry_after_s=9), 1, backoff) == 9
    assert block_duration_s(Feedback(status=503, retry_after_s=2), 0, backoff) == 2
    assert block_duration_s(Feedback(status=200), 0, backoff) == 0
