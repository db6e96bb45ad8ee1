import asyncio
import io
import json
import logging
import uuid
from typing import Any

import pytest
import structlog
from pydantic import SecretStr

from jts.bootstrap.logging import LogFormat, configure_logging, reset_logging
from jts.shared_kernel.correlation import correlated
from jts.shared_kernel.errors import ConfigurationError

FAKE_SECRETS = ("fake-api-key-1", "fake-db-pw-2", "fake-bearer-3", "fake-secretstr-4")


def json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def log_every_kind_of_secret() -> None:
    structlog.get_logger("jts.test").info(
        "connecting",
        api_key=FAKE_SECRETS[0],
        url=f"postgresql+psycopg://jts:{FAKE_SECRETS[1]}@db/jts",
        headers={"Authorization": f"Bearer {FAKE_SECRETS[2]}"},
        credential=SecretStr(FAKE_SECRETS[3]),
    )
    logging.getLogger("jts.core").warning(
        "retrying with token=%s", FAKE_SECRETS[0], extra={"app_secret": FAKE_SECRETS[1]}
    )
    try:
        raise RuntimeError(f"GET https://u:{FAKE_SECRETS[1]}@venue/api?api_key={FAKE_SECRETS[0]}")
    except RuntimeError:
        logging.getLogger("jts.core").exception("venue call failed")
        structlog.get_logger("jts.test").exception("venue call failed again")


@pytest.mark.parametrize("fmt", ["console", "json"])
def test_secrets_are_masked_by_both_renderers(fmt: LogFormat) -> None:
    stream = io.StringIO()
    configure_logging("INFO", fmt, stream=stream)

    log_every_kind_of_secret()

    output = stream.getvalue()
    assert output.count("**********") >= 9
    for secret in FAKE_SECRETS:
        assert secret not in output
    assert "connecting" in output
    assert "venue call failed" in output
    assert "RuntimeError" in output


def test_json_lines_carry_level_logger_timestamp_and_fields() -> None:
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)

    structlog.get_logger("jts.orders").info("order sent", quantity=10)
    logging.getLogger("jts.core").warning("queue at %d%%", 90)

    first, second = json_lines(stream)
    assert first["event"] == "order sent"
    assert first["quantity"] == 10
    assert (first["level"], first["logger"]) == ("info", "jts.orders")
    assert first["timestamp"].endswith("Z")
    assert (second["event"], second["level"], second["logger"]) == (
        "queue at 90%",
        "warning",
        "jts.core",
    )


def test_console_lines_are_human_readable_without_colour_on_a_non_terminal() -> None:
    stream = io.StringIO()
    configure_logging("INFO", "console", stream=stream)

    structlog.get_logger("jts.orders").info("order sent", quantity=10)

    line = stream.getvalue()
    assert "order sent" in line
    assert "quantity=10" in line
    assert "[jts.orders]" in line
    assert "\x1b[" not in line


def test_level_filters_both_structlog_and_stdlib_loggers() -> None:
    stream = io.StringIO()
    configure_logging("WARNING", "json", stream=stream)

    structlog.get_logger("a").info("dropped")
    logging.getLogger("b").info("dropped too")
    structlog.get_logger("a").warning("kept")

    assert [line["event"] for line in json_lines(stream)] == ["kept"]


def test_configuring_again_replaces_the_previous_setup() -> None:
    first, second = io.StringIO(), io.StringIO()
    configure_logging("INFO", "console", stream=first)
    configure_logging("debug", "json", stream=second)

    logging.getLogger("jts.core").debug("once")

    assert first.getvalue() == ""
    assert [line["event"] for line in json_lines(second)] == ["once"]


def test_reset_removes_the_handler_and_restores_the_root_level() -> None:
    root = logging.getLogger()
    level_before = root.level
    handlers_before = list(root.handlers)
    stream = io.StringIO()
    configure_logging("DEBUG", "json", stream=stream)
    configure_logging("INFO", "json", stream=stream)

    reset_logging()
    logging.getLogger("jts.core").warning("after reset")

    assert root.level == level_before
    assert root.handlers == handlers_before
    assert stream.getvalue() == ""


@pytest.mark.parametrize(("level", "fmt"), [("VERBOSE", "json"), ("INFO", "xml")])
def test_bad_level_or_format_is_a_configuration_error(level: str, fmt: Any) -> None:
    with pytest.raises(ConfigurationError, match="is not one of"):
        configure_logging(level, fmt)


def test_correlation_id_appears_on_lines_logged_inside_the_block() -> None:
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    chain = uuid.uuid4()

    with correlated(chain):
        structlog.get_logger("jts.a").info("inside")
        logging.getLogger("jts.core").info("inside too")
    structlog.get_logger("jts.a").info("outside")

    lines = {line["event"]: line.get("correlation_id") for line in json_lines(stream)}
    assert lines == {"inside": str(chain), "inside too": str(chain), "outside": None}


async def test_correlation_id_follows_its_own_task_only() -> None:
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)
    core = logging.getLogger("jts.core")
    ids = {"first": uuid.uuid4(), "second": uuid.uuid4()}

    async def handle(name: str) -> None:
        with correlated(ids[name]):
            core.info("start", extra={"task": name})
            await asyncio.sleep(0)  # the other task logs in between
            structlog.get_logger("jts.handler").info("end", task=name)

    async def bystander() -> None:
        await asyncio.sleep(0)
        core.info("bystander", extra={"task": "bystander"})

    await asyncio.gather(handle("first"), handle("second"), bystander())

    lines = json_lines(stream)
    assert len(lines) == 5
    for line in lines:
        expected = ids.get(line["task"])
        assert line.get("correlation_id") == (str(expected) if expected else None)
    assert [(line["event"], line["task"]) for line in lines[:2]] == [
        ("start", "first"),
        ("start", "second"),
    ]


def test_bound_context_variables_appear_and_are_masked() -> None:
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)

    structlog.contextvars.bind_contextvars(strategy="golden_cross", access_token="tok-5")
    logging.getLogger("jts.core").info("signal")

    (line,) = json_lines(stream)
    assert line["strategy"] == "golden_cross"
    assert line["access_token"] == "**********"


class RecordingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(str(record.msg))


def test_other_handlers_receive_structlog_events_already_masked() -> None:
    configure_logging("INFO", "json", stream=io.StringIO())
    recorder = RecordingHandler()
    logging.getLogger().addHandler(recorder)
    try:
        structlog.get_logger("jts.a").info("login", password=FAKE_SECRETS[1])
    finally:
        logging.getLogger().removeHandler(recorder)

    assert len(recorder.messages) == 1
    assert FAKE_SECRETS[1] not in recorder.messages[0]


def test_structlog_loggers_accept_printf_style_arguments() -> None:
    stream = io.StringIO()
    configure_logging("INFO", "json", stream=stream)

    structlog.get_logger("jts.a").info("filled %d of %d", 3, 10)

    assert [line["event"] for line in json_lines(stream)] == ["filled 3 of 10"]
