"""Reaching the real servers tests run against: skip outside CI when absent, fail inside CI."""

from __future__ import annotations

import os
import socket

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

POSTGRES_HOST = os.environ.get("JTS_TEST_POSTGRES_HOST", "127.0.0.1")
POSTGRES_PORT = int(os.environ.get("JTS_TEST_POSTGRES_PORT", "5432"))
POSTGRES_DB = os.environ.get("JTS_TEST_POSTGRES_DB", "test")
REDIS_URL = os.environ.get("JTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def port_open(host: str, port: int, timeout_s: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def require_server(name: str, host: str, port: int) -> None:
    """Skip (outside CI) or fail (in CI) when ``name`` is not listening on host:port."""
    if port_open(host, port):
        return
    reason = f"{name} is not reachable at {host}:{port}"
    if IN_CI:
        pytest.fail(f"{reason}; CI must provide it", pytrace=False)
    pytest.skip(f"{reason}; start it to run these tests (CI runs them)")


def postgres_url(driver: str = "postgresql+psycopg") -> str:
    """A SQLAlchemy URL for the CI PostgreSQL; the user is postgres or root, whichever exists."""
    require_server("PostgreSQL", POSTGRES_HOST, POSTGRES_PORT)
    explicit = os.environ.get("JTS_TEST_POSTGRES_URL")
    if explicit:
        return explicit
    import psycopg

    for user in ("postgres", "root"):
        try:
            with psycopg.connect(
                host=POSTGRES_HOST,
                port=POSTGRES_PORT,
                dbname=POSTGRES_DB,
                user=user,
                connect_timeout=3,
            ):
                return f"{driver}://{user}@{POSTGRES_HOST}:{POSTGRES_PORT}/{POSTGRES_DB}"
        except psycopg.OperationalError:
            continue
    message = f"no PostgreSQL role postgres or root can reach database {POSTGRES_DB}"
    if IN_CI:
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def redis_url() -> str:
    host_port = REDIS_URL.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    require_server("Redis", host, int(port or 6379))
    return REDIS_URL
