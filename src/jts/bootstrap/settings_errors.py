"""Turn settings validation failures into messages that name the key and say what to do.

Each problem becomes one line ``dotted.key: what is wrong (where to fix it)``, e.g.
``brokers.upbit.secret_key: field required (set JTS_BROKERS__UPBIT__SECRET_KEY or
brokers.upbit.secret_key in jts.yaml)``. Input values are never echoed: they may be secrets.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterable, Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from jts.bootstrap.settings_sources import CONFIG_PATH_ENV, env_var_name

# JTS_* variables that are not settings: the config file path and the test-server addresses.
RESERVED_ENV_NAMES = frozenset({CONFIG_PATH_ENV})
RESERVED_ENV_PREFIXES = ("JTS_TEST_", "JTS_BENCH_")


def describe_validation_error(
    error: ValidationError, root: type[BaseModel], yaml_name: str
) -> list[str]:
    """One readable line per problem in ``error``."""
    lines = []
    for problem in error.errors(include_url=False, include_input=False):
        parts, holder, target = _resolve_location(root, problem["loc"])
        lines.append(_describe(problem, parts, holder, target, yaml_name))
    return lines


def unknown_env_names(environ: Mapping[str, str], root: type[BaseModel]) -> list[str]:
    """One line per ``JTS_*`` variable that names no top-level setting (a likely typo)."""
    known = list(root.model_fields)
    lines = []
    for name in sorted(environ):
        upper = name.upper()
        if not upper.startswith("JTS_") or upper in RESERVED_ENV_NAMES:
            continue
        if upper.startswith(RESERVED_ENV_PREFIXES):
            continue
        first = upper[4:].split("__", 1)[0].lower()
        if first in known:
            continue
        guess = _did_you_mean(first, known, lambda key: f"JTS_{key.upper()}")
        lines.append(
            f"{name}: unknown setting {first!r}{guess} (settings variables are "
            f"JTS_<KEY>[__<SUBKEY>...]; {CONFIG_PATH_ENV} names the YAML file)"
        )
    return lines


def _describe(
    problem: Any, parts: list[str], holder: type[BaseModel] | None, target: Any, yaml_name: str
) -> str:
    dotted = ".".join(parts)
    where = f"{env_var_name(dotted)} or {dotted} in {yaml_name}"
    kind = problem["type"]
    if kind == "missing":
        text = f"field required (set {where})"
    elif kind == "extra_forbidden":
        candidates = list(holder.model_fields) if holder is not None else []
        guess = _did_you_mean(parts[-1], candidates, str)
        text = f"unknown key{guess} (rename or remove {where})"
    elif kind in ("union_tag_invalid", "union_tag_not_found"):
        tag_where = f"{dotted}.kind in {yaml_name} or {env_var_name(dotted)}__KIND"
        text = f"{_describe_tag(problem, _kinds(target))} (set {tag_where})"
    else:
        text = f"{_message(problem)} (fix {where})"
    return f"{dotted}: {text}" if dotted else _message(problem)


def _describe_tag(problem: Any, expected: list[str]) -> str:
    choices = ", ".join(expected)
    if problem["type"] == "union_tag_not_found":
        return f"'kind' is missing; choose one of {choices}"
    tag = str(problem["ctx"]["tag"])
    return f"kind {tag!r} is not one of {choices}{_did_you_mean(tag, expected, str)}"


def _message(problem: Any) -> str:
    message = str(problem["msg"]).removeprefix("Value error, ")
    ctx = problem.get("ctx") or {}
    if problem["type"] == "too_short" and ctx.get("min_length") == 1:
        return "must not be empty"
    return message[:1].lower() + message[1:]


def _did_you_mean(word: str, candidates: Iterable[str], render: Any) -> str:
    matches = difflib.get_close_matches(word.lower(), list(candidates), n=1, cutoff=0.6)
    return f"; did you mean {render(matches[0])}?" if matches else ""


def _resolve_location(
    root: type[BaseModel], loc: tuple[int | str, ...]
) -> tuple[list[str], type[BaseModel] | None, Any]:
    """The dotted path without discriminator tags, the model holding the last key, and the
    type expected at the location (``None`` where the path leaves the schema)."""
    parts: list[str] = []
    current: Any = root
    holder: type[BaseModel] | None = None
    for item in loc:
        current = _strip_annotated(current)
        member = _tagged_member(current, item)
        if member is not None:
            current = member
            continue
        parts.append(str(item))
        holder = current if _is_model(current) else None
        current = _child_type(current, item)
    return parts, holder, _strip_annotated(current)


def _child_type(container: Any, item: int | str) -> Any:
    if _is_model(container):
        field = container.model_fields.get(str(item))
        return field.annotation if field is not None else None
    if get_origin(container) is dict:
        return get_args(container)[1]
    return None


def _tagged_member(union: Any, tag: int | str) -> type[BaseModel] | None:
    for member in _kinded_members(union):
        if member.model_fields["kind"].default == tag:
            return member
    return None


def _kinds(union: Any) -> list[str]:
    return [str(member.model_fields["kind"].default) for member in _kinded_members(union)]


def _kinded_members(union: Any) -> list[type[BaseModel]]:
    if get_origin(union) not in (Union, types.UnionType):
        return []
    return [m for m in get_args(union) if _is_model(m) and "kind" in m.model_fields]


def _strip_annotated(annotation: Any) -> Any:
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    return annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)
