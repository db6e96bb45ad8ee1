"""Bad settings fail at start with a ConfigurationError that names each bad key."""

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jts.bootstrap.settings import load_settings
from jts.shared_kernel.errors import ConfigurationError


def load_error(text: str | None = None, directory: Path | None = None) -> str:
    path = None
    if text is not None:
        assert directory is not None
        path = directory / "jts.yaml"
        path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(path)
    return str(caught.value)


def test_missing_secret_names_the_key_and_both_ways_to_set_it(tmp_path: Path) -> None:
    message = load_error("brokers:\n  upbit: {kind: upbit, access_key: a}\n", tmp_path)

    assert (
        "brokers.upbit.secret_key: field required (set JTS_BROKERS__UPBIT__SECRET_KEY or "
        f"brokers.upbit.secret_key in {tmp_path / 'jts.yaml'})"
    ) in message


def test_misspelt_nested_key_suggests_the_right_one(tmp_path: Path) -> None:
    message = load_error(
        "brokers:\n  upbit: {kind: upbit, access_key: a, secret_key: b, secrte_key: c}\n",
        tmp_path,
    )

    assert "brokers.upbit.secrte_key: unknown key; did you mean secret_key?" in message


def test_misspelt_top_level_key_suggests_the_right_one(tmp_path: Path) -> None:
    message = load_error("databse: {url: 'sqlite:///x.db'}\n", tmp_path)

    assert "databse: unknown key; did you mean database?" in message


def test_unknown_key_without_a_near_match_has_no_suggestion(tmp_path: Path) -> None:
    message = load_error("risk: {zzz: 1}\n", tmp_path)

    assert "risk.zzz: unknown key (rename or remove JTS_RISK__ZZZ" in message
    assert "did you mean" not in message


def test_misspelt_environment_variable_fails_with_a_suggestion(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JTS_ENVIRONEMNT", "live")

    message = load_error()

    assert "JTS_ENVIRONEMNT: unknown setting 'environemnt'; did you mean JTS_ENVIRONMENT?" in (
        message
    )


def test_misspelt_nested_environment_variable_names_the_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JTS_DATABASE__URLL", "sqlite:///x.db")

    message = load_error()

    assert "database.urll: unknown key; did you mean url?" in message
    assert "JTS_DATABASE__URLL" in message


def test_reserved_jts_variables_are_not_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

    assert load_settings().environment == "paper"


def test_unknown_kind_lists_the_choices_and_suggests_one(tmp_path: Path) -> None:
    message = load_error("bus: {kind: rediss}\n", tmp_path)

    assert "bus: kind 'rediss' is not one of inprocess, redis; did you mean redis?" in message


def test_broker_without_kind_lists_the_choices(tmp_path: Path) -> None:
    message = load_error("brokers:\n  main: {app_key: k}\n", tmp_path)

    assert (
        "brokers.main: 'kind' is missing; choose one of simulated, kis, creon, binance, upbit"
    ) in message


def test_every_problem_is_listed_at_once(tmp_path: Path) -> None:
    message = load_error(
        "environment: production\nbrokers:\n  kis: {kind: kis, app_key: '', account_no: '1234'}\n",
        tmp_path,
    )

    assert "environment: input should be 'backtest', 'paper' or 'live'" in message
    assert "brokers.kis.app_key: must not be empty" in message
    assert "brokers.kis.app_secret: field required" in message
    assert "brokers.kis.account_no: must be the 8-digit account number" in message


def test_live_with_only_simulated_brokers_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTS_ENVIRONMENT", "live")

    message = load_error()

    assert "environment is live but every broker is simulated" in message


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("brokers:\n  Main: {kind: simulated}\n", "broker name 'Main' must be lower-case"),
        ("risk: {max_position_pct: 150}\n", "risk.max_position_pct: input should be less"),
        ("database: {url: jts.db}\n", "database.url: must be a SQLAlchemy URL"),
        ("brokers:\n  sim: {kind: simulated, venue: sim}\n", "brokers.sim.venue: must be"),
        (
            "brokers:\n  sim: {kind: simulated, starting_cash: {KRW: -1}}\n",
            "starting cash in KRW must be a number >= 0",
        ),
        (
            "brokers:\n  c: {kind: creon, bridge_url: '10.0.0.2:8765', token: t}\n",
            "brokers.c.bridge_url: must be an http(s) URL",
        ),
        ("log: {level: verbose}\n", "log.level: input should be 'DEBUG'"),
    ],
)
def test_invalid_values_name_the_key(tmp_path: Path, yaml_text: str, expected: str) -> None:
    assert expected in load_error(yaml_text, tmp_path)


def test_malformed_yaml_gives_line_and_column(tmp_path: Path) -> None:
    message = load_error("environment: paper\nbrokers: [unclosed\n", tmp_path)

    assert f"{tmp_path / 'jts.yaml'}: not valid YAML at line 3, column 1" in message


def test_yaml_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    message = load_error("- environment\n- paper\n", tmp_path)

    assert "the top level must be a mapping of settings" in message


def test_explicit_config_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"config file .*missing\.yaml does not exist"):
        load_settings(tmp_path / "missing.yaml")


def test_config_file_named_by_jts_config_must_exist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JTS_CONFIG", str(tmp_path / "gone.yaml"))

    with pytest.raises(ConfigurationError, match=r"gone\.yaml does not exist"):
        load_settings()


def test_errors_do_not_chain_the_validation_error_that_quotes_inputs(tmp_path: Path) -> None:
    path = tmp_path / "jts.yaml"
    path.write_text("brokers:\n  u: {kind: upbit, access_key: a, secrte_key: hunter2}\n")

    with pytest.raises(ConfigurationError) as caught:
        load_settings(path)

    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__ is True


secret_values = st.text(
    alphabet=st.characters(min_codepoint=ord("a"), max_codepoint=ord("z")), min_size=12
)


@given(secret=secret_values)
def test_error_messages_never_echo_secret_values(secret: str) -> None:
    # A misspelt key, a too-short key and a bad account number all carry the secret as input.
    text = (
        "brokers:\n"
        f"  kis: {{kind: kis, app_key: {secret}, app_secrte: {secret}, account_no: {secret}}}\n"
        f"  upbit: {{kind: upbit, acess_key: {secret}, secret_key: {secret}}}\n"
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JTS_BROKERS__BN__API_KEY", secret)
        patch.setenv("JTS_BROKERS__BN__KIND", "binance")
        message = _load_from_text(text)

    assert secret not in message


def _load_from_text(text: str) -> str:
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "jts.yaml"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigurationError) as caught:
            load_settings(path)
    return str(caught.value)


def test_section_variable_that_is_not_json_is_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JTS_BROKERS", '{"x": {"kind": "upbit", "access_key": "hunter2"')

    message = load_error()

    assert 'error parsing value for field "brokers"' in message
    assert "must hold JSON" in message
    assert "hunter2" not in message


def test_bad_home_is_the_only_problem_reported(tmp_path: Path) -> None:
    message = load_error("home: [1, 2]\n", tmp_path)

    assert "home: input is not a valid path" in message
    assert message.count("\n  - ") == 1
