"""Masking secrets wherever settings or log data are shown.

Three rules, applied by ``mask_value`` to any nested structure of dicts, lists and scalars:

- a value stored under a secret-looking key (``password``, ``token``, ``api_key``, ``appkey``,
  ``app_secret``, ``access_key``, ``authorization``, ``approval_key`` ...) becomes ``MASK``;
- a pydantic ``SecretStr``/``SecretBytes`` becomes ``MASK`` whatever its key;
- inside any text, bearer tokens, JWTs, URL passwords (``scheme://user:pw@host``) and
  ``key=value`` / ``"key": "value"`` pairs with a secret-looking key are replaced by ``MASK``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

from pydantic import SecretBytes, SecretStr

MASK = "**********"

_SECRET_WORDS = (
    "secret|password|passwd|passphrase|token|authorization|signature|credentials|"
    "api_?key|app_?key|app_?secret|access_?key|secret_?key|approval_?key|private_?key"
)
_SECRET_KEY = re.compile(rf"(?:^|_)(?:{_SECRET_WORDS})(?:_|$)")
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*")
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*")
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^:/@\s]*):([^@/\s]+)@")
_SECRET_WORDS_IN_TEXT = _SECRET_WORDS.replace("_?", "[_-]?")
_SECRET_WORD_ANYWHERE = re.compile(_SECRET_WORDS_IN_TEXT, re.IGNORECASE)
# Every rule needs one of these in the lower-cased text (a superset, kept cheap to scan);
# text without any of them is returned untouched.
_ANY_TRIGGER = re.compile(
    r"://|eyj|bearer|secret|passw|passphrase|token|authori|signature|credential|key"
)
# ``name = value``, ``name: value``, ``"name": "value"``; dotted paths (``a.secret_key:``)
# are left alone so error messages that name a key stay readable.
_KEY_VALUE = re.compile(
    r"(?<![\w.\-])(?P<q>[\"']?)"
    rf"(?P<name>[A-Za-z0-9_\-]*(?:{_SECRET_WORDS_IN_TEXT})[A-Za-z0-9_\-]*)"
    r"(?P=q)(?P<sep>\s*[:=]\s*)"
    r"(?:(?P<vq>[\"'])(?P<quoted>[^\"']*)(?P=vq)"
    r"|(?P<scheme>(?:bearer|basic)\s+)?(?P<bare>[^\s\"',;&}]+))",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=4096)
def is_secret_key(name: str) -> bool:
    """Whether a value stored under ``name`` must never be shown (case and ``-`` ignored)."""
    return _SECRET_KEY.search(name.lower().replace("-", "_")) is not None


def mask_url(url: str) -> str:
    """``postgresql://jts:pw@db/jts`` -> ``postgresql://jts:**********@db/jts``."""
    return _URL_PASSWORD.sub(rf"\1:{MASK}@", url)


def mask_text(text: str) -> str:
    """Mask every secret found inside free text (log messages, exception strings, URLs)."""
    if _ANY_TRIGGER.search(text.lower()) is None:
        return text  # the common case: one scan, no substitution
    masked = _URL_PASSWORD.sub(rf"\1:{MASK}@", text)
    masked = _JWT.sub(MASK, masked)
    masked = _BEARER.sub(rf"\1 {MASK}", masked)
    if _SECRET_WORD_ANYWHERE.search(masked) is None:
        return masked
    return _KEY_VALUE.sub(_mask_key_value, masked)


def _mask_key_value(match: re.Match[str]) -> str:
    value = match["quoted"] if match["vq"] else match["bare"]
    if not is_secret_key(match["name"]) or value in (MASK, ""):
        return match[0]
    key = f"{match['q']}{match['name']}{match['q']}{match['sep']}"
    if match["vq"]:
        return f"{key}{match['vq']}{MASK}{match['vq']}"
    return f"{key}{match['scheme'] or ''}{MASK}"


def mask_value(value: Any, key: str | None = None) -> Any:
    """A copy of ``value`` with every secret masked; ``key`` is the name it is stored under."""
    if isinstance(value, SecretStr | SecretBytes):
        return MASK
    if key is not None and is_secret_key(key) and value not in (None, ""):
        return MASK
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, Mapping):
        return {k: mask_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_value(item) for item in value)
    return value
