"""An exercise's key recomputed by the library: where a rule gives the right answer, the file must agree.

An exercise whose right answer the library computes names the call in ``derived_from``: a
``function`` (``stage``, ``fnclcc``, ``plan_treatment``, ``treatment_options`` or a catalog such as
``drugs``), its ``args`` and the ``field`` of the result (for a table: the column, with ``where``
picking the rows and an optional ``reduce``), with a ``format`` for the answer text; ``per_answer``
gives each answer its own call and the ``target`` it must reach to be right. :func:`derived_key`
makes the call and says how the exercise's key disagrees, so loading can refuse it
(:mod:`sarcoma_edu.course.exercises`) and a lesson never teaches a stage the rules do not give. A bank
question may name ``derived_from`` too (:mod:`sarcoma_edu.course.banks`): :func:`derived_key_problems`
is the one check both use.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd

from sarcoma_edu.clinical import catalog, cohort, grading, planner, provenance, spread, staging, tables, treatment
from sarcoma_edu.common.jsonfiles import Problem, Where
from sarcoma_edu.course.question_rules import build_question
from sarcoma_edu.course.quiz import check

__all__ = ["DERIVERS", "NO_STAGE_GROUP", "derived_answer", "derived_key", "derived_key_problems"]

NO_STAGE_GROUP = "no stage group"


def _stage_args(args: dict[str, Any]) -> Any:
    return staging.stage(**args)


def _plan(args: dict[str, Any]) -> Any:
    rest = {k: v for k, v in args.items() if k != "stage"}
    return planner.plan_treatment(_stage_args(args["stage"]), **rest)


def _options(args: dict[str, Any]) -> Any:
    rest = {k: v for k, v in args.items() if k != "stage"}
    return treatment.treatment_options(_stage_args(args["stage"]), **rest)


def _fnclcc(args: dict[str, Any]) -> Any:
    return grading.fnclcc(**args)


def _site_distribution() -> pd.DataFrame:
    provenance.read_whole("site_distribution.csv")
    return tables.load_table("site_distribution.csv")


def _catalog(name: str) -> Callable[[dict[str, Any]], Any]:
    def load(args: dict[str, Any]) -> Any:
        loaders = {
            "risk_factors": catalog.load_risk_factors,
            "tests": catalog.load_tests,
            "histologies": catalog.load_histologies,
            "drugs": catalog.load_drugs,
            "survival": catalog.load_survival,
            "routes": spread.routes,
            "spread_patterns": spread.spread_patterns,
            "site_distribution": _site_distribution,
            "cohort": cohort.load_cohort,
        }
        return loaders[name](**args)

    return load


DERIVERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "stage": _stage_args,
    "fnclcc": _fnclcc,
    "plan_treatment": _plan,
    "treatment_options": _options,
    **{
        name: _catalog(name)
        for name in (
            "risk_factors",
            "tests",
            "histologies",
            "drugs",
            "survival",
            "routes",
            "spread_patterns",
            "site_distribution",
            "cohort",
        )
    },
}
# fields of a result object that are lists, read by name
_LIST_FIELDS = {
    "phase_names": lambda r: [p.phase for p in r.phases],
    "option_descriptions": lambda r: [o.description for o in r.items],
    "reading_headings": lambda r: [r.heading, *r.other_headings],
}


def _cell_matches(cell: object, wanted: object) -> bool:
    """A table cell equals the wanted value, or lists it among values separated by '|'.

    A list of wanted values matches a cell that matches any of them (``"scope": ["histology:x",
    "histology:x&site:!retroperitoneum"]``).
    """
    if isinstance(wanted, list):
        return any(_cell_matches(cell, one) for one in wanted)
    if isinstance(cell, str) and isinstance(wanted, str):
        return cell == wanted or wanted in cell.split("|")
    return cell == wanted


def _value(spec: dict[str, Any], args: dict[str, Any], where: dict[str, Any] | None = None) -> Any:
    """What the library gives for one call of ``spec``: a single value, or a list of values from a table."""
    result = DERIVERS[spec["function"]](args)
    field = spec["field"]
    if isinstance(result, pd.DataFrame):
        rows = result
        for column, wanted in (spec.get("where", {}) if where is None else where).items():
            rows = rows[[_cell_matches(c, wanted) for c in rows[column]]]
        values = list(rows[field])
        reduce = spec.get("reduce")
        if reduce == "most_common":
            return pd.Series(values).value_counts().index[0] if values else None
        return values
    if field in _LIST_FIELDS:
        return _LIST_FIELDS[field](result)
    value = getattr(result, field)
    if field == "stage" and value is None:
        return NO_STAGE_GROUP
    return value


def _text(spec: dict[str, Any], value: object) -> str:
    return str(spec.get("format", "{}")).format(value)


class _NotOneValueError(ValueError):
    """A multiple_choice key whose library call gives no value, or several."""


def _per_answer_value(spec: dict[str, Any], call_for: dict[str, Any]) -> Any:
    """What the library gives for one answer of a ``per_answer`` key (a single value when the call gives one)."""
    value = _value(spec, call_for.get("args", {}), call_for.get("where"))
    return value[0] if isinstance(value, list) and len(value) == 1 else value


def derived_answer(item: dict[str, Any]) -> Any:
    """The right answer the library gives for an item with ``derived_from``, whatever its file says.

    Args:
        item: an exercise (or question) as written in its file, with ``derived_from``.

    Returns:
        For a ``per_answer`` key, each answer's text -> whether the library makes it right; for an
        ordering, the items in the right order; for a numeric question, the value (a list when the
        call gives several); for a many_choice question, the right answers' texts, sorted; for a
        multiple_choice question, the right answer's text.

    Raises:
        ValueError: a multiple_choice key whose call gives other than one value; and whatever the
            library call raises for arguments it refuses (TypeError, ValueError, KeyError, ...).
    """
    spec = item["derived_from"]
    if "per_answer" in spec:
        return {
            text: _per_answer_value(spec, call_for) == spec["target"] for text, call_for in spec["per_answer"].items()
        }
    value = _value(spec, spec.get("args", {}))
    kind = item.get("type")
    if kind == "ordering":
        return [_text(spec, v) for v in value]
    if kind == "numeric":
        return value
    if kind == "many_choice":
        return sorted({_text(spec, v) for v in value})
    if isinstance(value, list):
        if len(value) != 1:
            call = f"{spec['function']}({json.dumps(spec.get('args', {}))})"
            raise _NotOneValueError(
                f"{call} gives {len(value)} values {value!r}; a multiple_choice key needs exactly one"
            )
        value = value[0]
    return _text(spec, value)


def derived_key(item: dict[str, Any]) -> list[str]:
    """Recompute an exercise's right answer from the library; return how its key disagrees (empty: it agrees).

    Args:
        item: an exercise as written in its file (a dict with ``derived_from``).

    Returns:
        One line per disagreement, e.g. ``the right answer is 'IV' but stage(...) gives 'IIIB'``.
    """
    spec = item.get("derived_from")
    if not spec:
        return []
    call = f"{spec['function']}({json.dumps(spec.get('args', {}))})"
    if "per_answer" in spec:
        problems = []
        answers = {a.get("answer"): a.get("correct") for a in item.get("answers", [])}
        for text, call_for in spec["per_answer"].items():
            if text not in answers:
                problems.append(f"per_answer names {text!r}, which is not one of the answers")
                continue
            value = _per_answer_value(spec, call_for)
            expected = value == spec["target"]
            if answers[text] is not expected:
                problems.append(
                    f"the answer {text!r} is marked {'right' if answers[text] else 'wrong'}, but "
                    f"{spec['function']}({json.dumps(call_for)}).{spec['field']} is {value!r} "
                    f"(target {spec['target']!r})"
                )
        missing = [t for t in answers if t not in spec["per_answer"]]
        problems += [f"per_answer does not say how to compute the answer {t!r}" for t in missing]
        return problems
    kind = item.get("type")
    try:
        expected = derived_answer(item)
    except _NotOneValueError as error:
        return [str(error)]
    if kind == "ordering":
        if list(item.get("items", [])) != expected:
            return [f"the items in the right order are {item.get('items')!r}, but {call} gives {expected!r}"]
        return []
    right = [a for a in item.get("answers", []) if a.get("correct")]
    if kind == "numeric":
        values = expected if isinstance(expected, list) else [expected]
        question = build_question({**item, "objectives": item.get("objectives", [])})
        wrong = [v for v in values if not check(question, float(v)).correct]
        return [f"{call}.{spec['field']} gives {v!r}, which the right answer does not accept" for v in wrong]
    texts = {a.get("answer") for a in right}
    if kind == "many_choice":
        if texts != set(expected):
            return [f"the right answers are {sorted(texts)!r}, but {call} gives {expected!r}"]
        return []
    if texts != {expected}:
        return [f"the right answer is {sorted(texts)[0]!r}, but {call}.{spec['field']} gives {expected!r}"]
    return []


def derived_key_problems(where: Where, item: dict[str, Any]) -> list[Problem]:
    """How a question's or an exercise's key disagrees with its ``derived_from`` call, as problems of that field.

    A call the library cannot make (an unknown argument, a missing column) is a problem too, not an error.
    """
    try:
        return [where("derived_from", p) for p in derived_key(item)]
    except (TypeError, ValueError, KeyError, AttributeError, IndexError) as error:
        return [where("derived_from", f"the library call failed: {error}")]
