"""Every program in ``broken/`` fails with located, compiler-style errors and no traceback.

Each file names what it expects in its first lines: ``# expect: LINE:COL: text`` means an
error at that line and column whose message contains ``text``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jts.contexts.strategy.domain.language import LanguageError, compile_strategy
from jts.entrypoints.cli.main import app

BROKEN = Path(__file__).parent / "broken"
EXPECT = re.compile(r"^# expect: (\d+):(\d+): (.+)$", re.MULTILINE)
PROGRAMS = sorted(BROKEN.glob("*.jts"))


def test_corpus_holds_at_least_fifty_broken_programs() -> None:
    assert len(PROGRAMS) >= 50
    assert all(EXPECT.search(path.read_text(encoding="utf-8")) for path in PROGRAMS)


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda path: path.stem)
def test_broken_program_reports_each_expected_error_where_it_is(path: Path) -> None:
    source = path.read_text(encoding="utf-8")

    with pytest.raises(LanguageError) as caught:
        compile_strategy(source, path.name)

    errors = caught.value.errors
    rendered = caught.value.render()
    for line, col, text in EXPECT.findall(source):
        assert any(
            d.line == int(line) and d.col == int(col) and text in d.message for d in errors
        ), f"expected {line}:{col} '{text}', got:\n{rendered}"
    for error in errors:
        assert f"{path.name}:{error.line}:{error.col}: error: " in rendered
    assert "^" in rendered
    assert "Traceback" not in rendered
    assert "Unexpected token" not in rendered  # lark's own wording never leaks


def test_cli_validate_reports_the_whole_corpus_with_exit_code_one() -> None:
    result = CliRunner().invoke(app, ["strategy", "validate", *map(str, PROGRAMS)])

    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    for path in PROGRAMS:
        line, col, _ = EXPECT.findall(path.read_text(encoding="utf-8"))[0]
        assert f"{path}:{line}:{col}: error: " in result.stderr
        assert f"{path}: " in result.stdout
