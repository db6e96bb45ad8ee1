import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import SecretStr

from jts.bootstrap.secrets import MASK, is_secret_key, mask_text, mask_url, mask_value


@pytest.mark.parametrize(
    "key",
    [
        "password",
        "db_password",
        "secret",
        "secret_key",
        "api_key",
        "apiKey",
        "X-API-KEY",
        "app_key",
        "appkey",
        "app_secret",
        "appsecret",
        "access_key",
        "access_token",
        "refresh_token",
        "Authorization",
        "approval_key",
        "JTS_BROKERS__UPBIT__SECRET_KEY",
    ],
)
def test_secret_looking_keys(key: str) -> None:
    assert is_secret_key(key)


@pytest.mark.parametrize(
    "key", ["url", "host", "tokens_per_second", "sort_key", "account_no", "kind", "event"]
)
def test_ordinary_keys(key: str) -> None:
    assert not is_secret_key(key)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "postgresql+psycopg://jts:pw@db:5432/jts",
            "postgresql+psycopg://jts:**********@db:5432/jts",
        ),
        ("redis://:pw@cache:6379/0", "redis://:**********@cache:6379/0"),
        ("http://127.0.0.1:8765/orders", "http://127.0.0.1:8765/orders"),
        ("authorization: Bearer abc.DEF-123", "authorization: Bearer **********"),
        ("GET /v1/orders?api_key=abc&limit=5", "GET /v1/orders?api_key=**********&limit=5"),
        ('{"appsecret": "two words", "n": 1}', '{"appsecret": "**********", "n": 1}'),
        ("appkey='XYZ' token = QQQ", "appkey='**********' token = **********"),
        ("jwt eyJhbGciOiJIUzUxMiJ9.eyJhIjoiYiJ9.c2ln end", "jwt ********** end"),
        ("tokens_per_second=5", "tokens_per_second=5"),
        ("a basic moving average", "a basic moving average"),
        (
            "brokers.upbit.secret_key: field required",
            "brokers.upbit.secret_key: field required",
        ),
    ],
)
def test_mask_text(text: str, expected: str) -> None:
    assert mask_text(text) == expected


def test_mask_url_leaves_urls_without_password_alone() -> None:
    assert mask_url("sqlite:///.jts/jts.sqlite3") == "sqlite:///.jts/jts.sqlite3"
    assert mask_url("https://user@host/x") == "https://user@host/x"


def test_mask_value_walks_nested_data() -> None:
    data = {
        "headers": {"Authorization": "Bearer abc", "appkey": "k", "content-type": "json"},
        "credentials": SecretStr("s"),
        "items": [{"password": "p"}, "token=t"],
        "pair": ("x", SecretStr("y")),
        "empty_token": "",
        "count": 3,
    }

    assert mask_value(data) == {
        "headers": {"Authorization": MASK, "appkey": MASK, "content-type": "json"},
        "credentials": MASK,
        "items": [{"password": MASK}, f"token={MASK}"],
        "pair": ("x", MASK),
        "empty_token": "",
        "count": 3,
    }


# Words of the surrounding text cannot be told apart from a secret equal to them.
SURROUNDING_TEXT = "connecting to postgresql authorization bearer request done password appsecret"
secrets = st.text(
    alphabet=st.characters(codec="ascii", categories=("L", "N")), min_size=8, max_size=40
).filter(lambda s: s.lower() not in SURROUNDING_TEXT)


@given(secret=secrets, user=st.sampled_from(["jts", "", "admin"]))
def test_url_passwords_never_survive(secret: str, user: str) -> None:
    assert secret not in mask_text(f"connecting to postgresql://{user}:{secret}@db:5432/jts")


@given(
    secret=secrets,
    key=st.sampled_from(["password", "api_key", "appsecret", "secret_key", "access_token"]),
    template=st.sampled_from(["{k}={v}", "{k}: {v}", '"{k}": "{v}"', "?{k}={v}&x=1"]),
)
def test_secret_key_values_never_survive(secret: str, key: str, template: str) -> None:
    text = "request " + template.format(k=key, v=secret) + " done"

    assert secret not in mask_text(text)


@given(secret=secrets)
def test_bearer_tokens_never_survive(secret: str) -> None:
    assert secret not in mask_text(f"Authorization: Bearer {secret}")
