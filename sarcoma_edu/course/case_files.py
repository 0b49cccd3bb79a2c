"""Case files: reading and checking the virtual patients in ``datasets/cases/`` or an instructor's own.

A case file is JSON validated with ``datasets/cases/case.schema.json``: a fictional patient's
facts and ordered steps. A *choice* step is written by the author (choices, the right ones,
feedback for each, a source key). A *computed* step (grade, T category, stage, PDQ treatment
list, plan order, spread) is answered by the library from the facts
(:mod:`sarcoma_edu.course.case_steps`): an answer the author wrote that disagrees is refused on
load, naming the file, the step and the field, so a case can never teach a wrong stage.
:func:`check_cases` lists every problem of the files given; :func:`load_cases` returns their
cases (:class:`~sarcoma_edu.course.case_model.Case`) or raises :class:`CaseError`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sarcoma_edu.clinical.grading import fnclcc, normalize_grade
from sarcoma_edu.clinical.tables import _datasets_root, load_table
from sarcoma_edu.common import checks as _checks
from sarcoma_edu.common import jsonfiles as _jsonfiles
from sarcoma_edu.common.jsonfiles import Problem
from sarcoma_edu.course import case_steps
from sarcoma_edu.course.case_model import TOPIC, Case, CaseFacts, CaseStep, computed_step, offered_wrong
from sarcoma_edu.course.histology_grade import histology_grade_problems
from sarcoma_edu.course.item_ids import id_taken
from sarcoma_edu.course.objectives import unknown_objectives
from sarcoma_edu.course.quiz import Answer, Question

__all__ = ["CaseCheck", "CaseError", "case_facts", "case_paths", "check_cases", "load_cases", "step_settings"]

_MAX_BYTES = 1_000_000
_PLAN_CHOICES = ("radiation", "chemotherapy", "drug")  # what a plan step (or a case's "plan") may choose
_SCHEMA = "case.schema.json"


class CaseError(ValueError):
    """A case file that cannot be used; ``problems`` lists every problem (file, step, field), one a line."""

    def __init__(self, problems: str | Sequence[str]) -> None:
        self.problems: tuple[str, ...] = (problems,) if isinstance(problems, str) else tuple(problems)
        shown = "; ".join(self.problems[:3])
        if len(self.problems) > 3:
            shown += f" (and {len(self.problems) - 3} more: 'sarcoma-edu case check FILE' lists them all)"
        super().__init__(shown)


class _Where:
    """Problem lines naming the file, the step (index and id) when there is one, and the field."""

    def __init__(self, path: Path, raw: object) -> None:
        self.path, self.steps = path, raw.get("steps") if isinstance(raw, dict) else None

    def __call__(self, field: str, problem: str, step: int | None = None) -> Problem:
        if step is None and field.startswith("steps["):
            step = int(field[6 : field.index("]")])
        if step is None:
            return Problem(field, problem, line=f"{self.path}, field {field!r}: {problem}", path=self.path)
        item = self.steps[step] if isinstance(self.steps, list) and step < len(self.steps) else None
        shown = f" (id {_checks.show(item['id'])})" if isinstance(item, dict) and "id" in item else ""
        line = f"{self.path}, step {step}{shown}, field {field!r}: {problem}"
        return Problem(field, problem, line=line, path=self.path)


def _schema_problems(where: _Where, error: Any) -> list[str]:
    parts = list(error.absolute_path)
    name = _jsonfiles.field_name(parts, "case")
    if error.validator == "contains":
        return [where(name, "no choice is marked correct")]
    if error.validator == "additionalProperties" and "kind" in error.instance:
        kind = error.instance.get("kind")
        unknown = [n for n in error.instance if n not in error.schema.get("properties", {})]
        return [where(_jsonfiles.field_name([*parts, n], ""), f"is not a field of a {kind!s} step") for n in unknown]
    return _jsonfiles.schema_problems(error, parts, lambda f, p: where(f, p), "case")


def _source(value: str | list[str]) -> str:
    return value if isinstance(value, str) else "; ".join(value)


def _facts(raw: dict, where: _Where) -> tuple[CaseFacts | None, list[str]]:
    problems = []
    histology = raw.get("histology")
    if histology is not None and histology not in set(load_table("histologies.csv").histology):
        problems.append(where("facts.histology", f"{histology!r} is not a histology id of datasets/histologies.csv"))
    scores = raw.get("fnclcc")
    grade = raw.get("grade", "GX")
    if scores is not None:
        computed = fnclcc(scores["differentiation"], scores["mitoses"], scores["necrosis_pct"]).g
        if "grade" in raw and raw["grade"] != computed:
            problems.append(where("facts.grade", f"the case says {raw['grade']} but its FNCLCC scores give {computed}"))
        grade = computed
    problems += [where(field, problem) for field, problem in histology_grade_problems(histology, grade, scores)]
    if problems:
        return None, problems
    facts = CaseFacts(
        site=raw["site"],
        size_cm=None if raw["size_cm"] is None else float(raw["size_cm"]),
        grade=grade,
        nodes=raw["nodes"],
        metastasis=raw["metastasis"],
        histology=histology,
        differentiation=scores["differentiation"] if scores else None,
        mitoses=scores["mitoses"] if scores else None,
        necrosis_pct=float(scores["necrosis_pct"]) if scores else None,
        resectable=raw.get("resectable"),
        recurrent=raw.get("recurrent", False),
    )
    return facts, []


def case_facts(raw: dict, path: Path) -> CaseFacts:
    """The facts of a case (the JSON object of a case file) as loading reads them, without checking its steps.

    Raises:
        CaseError: a histology ``datasets/histologies.csv`` does not have, or a grade its FNCLCC scores
            contradict (naming the file and the field).
    """
    facts, problems = _facts(raw["facts"], _Where(path, raw))
    if facts is None:
        raise CaseError(problems)
    return facts


def step_settings(step: dict) -> dict[str, Any]:
    """What a computed step chose for the plan (radiation, chemotherapy, drug), as its builder takes them."""
    return {k: step[k] for k in _PLAN_CHOICES if k in step}


def _written_agrees(kind: str, written: str, made: case_steps.Computed) -> tuple[bool, str]:
    """Does the author's answer equal the library's? Returns (agrees, the library's answer in words)."""
    text = written.strip()
    if kind == "grade":
        try:
            return normalize_grade(int(text) if text.isdigit() else text) == made.value, str(made.value)
        except (TypeError, ValueError):
            return False, str(made.value)
    if kind == "t_category":
        return text.upper() == made.value, str(made.value)
    if kind == "stage":
        word = text.upper().removeprefix("STAGE ").strip()
        given = None if word in ("NONE", "NO STAGE GROUP") else word
        return given == made.value, "no stage group" if made.value is None else str(made.value)
    return text in made.value, " or ".join(made.value)  # treatment_list: a PDQ situation id


def _feedback_problem(text: str, made: case_steps.Computed) -> str:
    """Why the author's feedback for ``text`` cannot be used: it is the right answer, or no choice of the step."""
    if text in made.right:
        return f"{text!r} is the right answer, computed by the library; feedback is written for the wrong choices only"
    offered = ", ".join(repr(t) for t in offered_wrong(made))
    return f"{text!r} is not a wrong choice of this step; its wrong choices are {offered}"


def _steps(case_id: str, raw: list, facts: CaseFacts, where: _Where) -> tuple[list[CaseStep], list[str]]:
    steps, problems, seen = [], [], set()
    for index, item in enumerate(raw):
        if item["id"] in seen:
            problems.append(where(f"steps[{index}].id", f"{item['id']!r} is used by an earlier step", index))
            continue
        seen.add(item["id"])
        qid, cited = f"case:{case_id}:{item['id']}", _source(item["source"])
        unknown = unknown_objectives(item["objectives"])
        if unknown:
            problems.append(
                where(f"steps[{index}].objectives", f"{unknown[0]!r} is not a learning objective of "
                      "datasets/objectives.csv; a case may use only the ids listed there", index)
            )  # fmt: skip
            continue
        ids = tuple(item["objectives"])
        if item["kind"] == "choice":
            texts = [c["text"] for c in item["choices"]]
            repeated = next((t for t in texts if texts.count(t) > 1), None)
            if repeated is not None:
                problems.append(where(f"steps[{index}].choices", f"two choices have the text {repeated!r}", index))
                continue
            answers = tuple(Answer(c["correct"], answer=c["text"], feedback=c["feedback"]) for c in item["choices"])
            q = Question(qid, TOPIC, "multiple_choice", item["question"], answers, item["explanation"], cited,
                         objectives=ids)  # fmt: skip
            steps.append(CaseStep(item["id"], "choice", item["reveal"], q))
            continue
        kind = item["kind"]
        if kind == "grade" and not facts.has_scores:
            problems.append(where(f"steps[{index}].kind", "a grade step needs facts.fnclcc (the three scores)", index))
            continue
        if "answer" in item and kind in ("plan_order", "spread"):
            problems.append(where(f"steps[{index}].answer", f"a {kind} step takes no written answer", index))
            continue
        settings = step_settings(item)
        try:
            step, made = computed_step(case_id, item["id"], kind, facts, item["reveal"], settings,
                                       item.get("question"), cited, ids, item.get("feedback"))  # fmt: skip
        except (TypeError, ValueError) as error:
            problems.append(where(f"steps[{index}].kind", f"the library cannot answer it: {error}", index))
            continue
        unknown = [t for t in item.get("feedback", {}) if t not in offered_wrong(made)]
        if unknown:
            problems.append(where(f"steps[{index}].feedback", _feedback_problem(unknown[0], made), index))
            continue
        if "answer" in item:
            agrees, library = _written_agrees(kind, item["answer"], made)
            if not agrees:
                problems.append(
                    where(
                        f"steps[{index}].answer",
                        f"the case says {item['answer']!r} but its facts give {library} ({made.explanation})",
                        index,
                    )
                )
                continue
        steps.append(step)
    return steps, problems


@dataclass(frozen=True)
class CaseCheck:
    """What checking one case file found: the case, or every problem in it (file, step, field)."""

    path: Path
    case: Case | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """True when the file has no problem."""
        return not self.problems


def _check_file(path: Path, document: object = _jsonfiles.UNREAD) -> CaseCheck:
    """Check one case file on its own (or ``document`` as if the file held it)."""
    if document is _jsonfiles.UNREAD:
        raw, problem = _jsonfiles.read_json(path, what="case file", max_bytes=_MAX_BYTES)
    else:
        raw, problem = document, None
    if problem is None and not isinstance(raw, dict):
        problem = f"{path}: a case is a JSON object, not {_jsonfiles.JSON_WORDS[_jsonfiles.json_kind(raw)]}"
    if problem is not None:
        return CaseCheck(path, None, (problem,))
    where = _Where(path, raw)
    validator = _jsonfiles.schema_validator(Path(str(_datasets_root() / "cases" / _SCHEMA)))
    problems = [line for error in validator.iter_errors(raw) for line in _schema_problems(where, error)]
    if problems:
        return CaseCheck(path, None, tuple(dict.fromkeys(problems)))
    facts, problems = _facts(raw["facts"], where)
    if facts is None:
        return CaseCheck(path, None, tuple(problems))
    try:
        facts.stage_result()
    except (TypeError, ValueError) as error:
        return CaseCheck(path, None, (where("facts", str(error)),))
    steps, problems = _steps(raw["id"], raw["steps"], facts, where)
    if problems:
        return CaseCheck(path, None, tuple(problems))
    case = Case(raw["id"], raw["title"], raw["level"], tuple(raw["objectives"]), raw["vignette"], facts,
                tuple(steps), path, dict(raw.get("plan", {})))  # fmt: skip
    try:
        case.plan()
    except (TypeError, ValueError) as error:
        return CaseCheck(path, None, (where("plan", f"the library cannot plan it: {error}"),))
    return CaseCheck(path, case, ())


def case_paths() -> list[Path]:
    """The built-in case files in ``datasets/cases/``, sorted by name."""
    folder = Path(str(_datasets_root() / "cases"))
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".schema.json"))


@functools.lru_cache(maxsize=4)
def _checked(files: tuple[tuple[str, int, int], ...]) -> tuple[CaseCheck, ...]:
    """Checks of files that have not changed (same path, modification time and size) are reused."""
    return tuple(_check_file(Path(name)) for name, _, _ in files)


def _check_files(paths: Sequence[Path]) -> tuple[CaseCheck, ...]:
    stamps = []
    for p in paths:
        try:
            info = p.stat()
        except OSError:
            return tuple(_check_file(p) for p in paths)
        stamps.append((str(p), info.st_mtime_ns, info.st_size))
    return _checked(tuple(stamps))


def check_cases(path: str | Path | Sequence[str | Path], drafts: Mapping[Path, dict] | None = None) -> list[CaseCheck]:
    """Check case files, listing every problem; a case id used twice (or by a built-in case) is one.

    ``drafts`` holds cases not yet saved, by the file each will be saved to: that file is checked
    as if it held it (the studio's case form checks a draft this way).

    Returns:
        One :class:`CaseCheck` per file, in the order given.

    Raises:
        TypeError: ``path`` is not a path or a list of paths.
    """
    given = [path] if isinstance(path, str | Path) else path
    if not isinstance(given, Sequence) or not all(isinstance(p, str | Path) for p in given):
        raise TypeError(f"path={_checks.show(path)} is not a case file path, a list of them, or None")
    builtin = {_jsonfiles.real_path(c.path): c for c in _check_files(case_paths())}
    taken: dict[str, tuple[str, Path]] = {}
    if not all(_jsonfiles.real_path(p) in builtin for p in given if str(p).strip()):
        taken = {c.case.id: ("a built-in case", c.path) for c in builtin.values() if c.case is not None}
    checks = []
    for p in given:
        if not str(p).strip():
            checks.append(
                CaseCheck(Path(p), None, (f"path={str(p)!r} is empty; give the path of a case file (.json)",))
            )
            continue
        p = Path(p)
        if drafts and p in drafts:
            found = _check_file(p, drafts[p])
        else:
            found = builtin.get(_jsonfiles.real_path(p)) or _check_file(p)
        if (
            found.case is not None
            and found.case.id in taken
            and _jsonfiles.real_path(taken[found.case.id][1]) != _jsonfiles.real_path(p)
        ):
            what, first = taken[found.case.id]
            message = id_taken(found.case.id, what, first)
            found = CaseCheck(p, None, (Problem("id", message, line=f"{p}, field 'id': {message}", path=p),))
        elif found.case is not None:
            taken[found.case.id] = ("the case", p)
        checks.append(found)
    return checks


def load_cases(path: str | Path | Sequence[str | Path] | None = None) -> list[Case]:
    """Load case files (the built-in cases when ``path`` is None).

    Raises:
        CaseError: a file that is missing, not valid JSON, refused by the schema, or whose written
            grade, T or stage disagrees with its facts; its ``problems`` name the file, step and field.
        TypeError: ``path`` is not a path, a list of paths or None.
    """
    checks = check_cases(case_paths() if path is None else path)
    problems = [line for c in checks for line in c.problems]
    if problems:
        raise CaseError(problems)
    return [c.case for c in checks if c.case is not None]
