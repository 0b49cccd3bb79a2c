"""The instructor's studio without widgets: an item from a form's fields, its problems, and saving it.

Three kinds of item are written in the studio (:mod:`sarcoma_edu.widgets.studio`): a quiz
``question`` (multiple_choice, many_choice or numeric, in the bank format), a predict-then-check
``exercise`` and a tumour-board ``case`` (written from facts: :mod:`sarcoma_edu.course.case_authoring`).
:func:`question_item` and :func:`exercise_item` assemble an item as its file holds it;
:func:`draft_problems` checks it with exactly the checks ``sarcoma-edu bank check`` / ``case check``
and exercise loading use, on the file it would be saved to (beside the built-in content and her
other files, so an id already used is found): the same :class:`~sarcoma_edu.common.jsonfiles.Problem`
lines the commands print, each with its field, so a form shows it next to that field.
:func:`save` writes it into her content folder (``quiz/``, ``exercises/``, ``cases/``) atomically,
and refuses while a problem remains; an item already saved with that id is replaced only when asked.

For a question about a fact the rules compute, :func:`computed_key` gives the right answer from the
library and the ``derived_from`` the check will hold it to.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sarcoma_edu.clinical.sites import normalize_site
from sarcoma_edu.common import atomic as _atomic
from sarcoma_edu.common import jsonfiles as _jsonfiles
from sarcoma_edu.common.jsonfiles import Problem
from sarcoma_edu.course import case_steps, keys
from sarcoma_edu.course.banks import check_banks
from sarcoma_edu.course.case_authoring import number_or_text
from sarcoma_edu.course.case_files import check_cases
from sarcoma_edu.course.exercise_keys import derived_answer
from sarcoma_edu.course.exercises import builtin_exercise_ids, check_exercises
from sarcoma_edu.course.items import ContentFolderError, content_files

__all__ = [
    "COMPUTABLE",
    "FOLDERS",
    "KINDS",
    "DraftError",
    "built",
    "computed_key",
    "draft_problems",
    "exercise_item",
    "question_item",
    "save",
    "target_path",
]

KINDS: tuple[str, ...] = ("question", "exercise", "case")
FOLDERS = {"question": "quiz", "exercise": "exercises", "case": "cases"}  # her folder is laid out like datasets/
QUESTION_FILE = "my_questions.json"
_MAX_BYTES = 10_000_000
# facts a question can ask that the library computes: the call, the field read and what the patient needs
_STAGING = ("site", "size_cm", "grade", "nodes", "metastasis")
_SCORES = ("differentiation", "mitoses", "necrosis_pct")
_OPTIONAL = ("extent", "sites")  # left out of the call when not given
COMPUTABLE: dict[str, dict[str, Any]] = {
    "AJCC 8 stage group": {"function": "stage", "field": "stage", "type": "multiple_choice", "needs": _STAGING},
    "AJCC 8 T category": {
        "function": "stage",
        "field": "t",
        "type": "multiple_choice",
        "needs": (*_STAGING[:3], "extent", "sites"),  # extent: visceral T, head and neck T4a/T4b
    },
    "FNCLCC grade": {"function": "fnclcc", "field": "g", "type": "multiple_choice", "needs": _SCORES},
    "FNCLCC total score": {"function": "fnclcc", "field": "total", "type": "numeric", "needs": _SCORES},
}


class DraftError(ValueError):
    """A draft that cannot be saved; ``problems`` lists every problem, each naming its field."""

    def __init__(self, problems: Sequence[Problem | str]) -> None:
        self.problems = tuple(problems)
        shown = "; ".join(str(p) for p in self.problems[:3])
        more = f" (and {len(self.problems) - 3} more)" if len(self.problems) > 3 else ""
        super().__init__(f"not saved: {shown}{more}")


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _answers(kind: str, answers: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The answers as a bank holds them; blank rows are left out, numbers typed as text are read."""
    out = []
    for row in answers:
        entry: dict[str, Any] = {}
        if kind == "numeric":
            low, high = number_or_text(row.get("low", "")), number_or_text(row.get("high", ""))
            if low is not None or high is not None:
                entry["range"] = [low, high]
            else:
                value = number_or_text(row.get("value", ""))
                if value is None:
                    continue
                entry["value"] = value
        else:
            text = _text(row.get("answer"))
            if not text:
                continue
            entry["answer"] = text
        entry["correct"] = bool(row.get("correct"))
        if _text(row.get("feedback")):
            entry["feedback"] = _text(row.get("feedback"))
        out.append(entry)
    return out


def question_item(
    *,
    question_id: str,
    topic: str,
    kind: str,
    difficulty: str,
    question: str,
    answers: Sequence[Mapping[str, Any]],
    explanation: str,
    source: str,
    objectives: Sequence[str],
    precision: object = None,
    accept_any_correct: bool = False,
    derived_from: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A quiz question as a bank file holds it, from the question form's fields.

    ``answers`` are rows of ``answer`` (the text), ``correct`` and ``feedback``; for a numeric
    question ``value``, or ``low`` and ``high`` for a range, typed as text. Empty optional fields are
    left out, so the check says "is missing" where a required one is empty.
    """
    item: dict[str, Any] = {"id": _text(question_id), "topic": topic, "type": kind, "difficulty": difficulty}
    for name, value in (("question", question), ("explanation", explanation), ("source", source)):
        if _text(value):
            item[name] = _text(value)
    item["objectives"] = [o for o in objectives if o]
    item["answers"] = _answers(kind, answers)
    if not item["id"]:
        del item["id"]
    if kind == "numeric" and number_or_text(precision) is not None:
        item["precision"] = number_or_text(precision)
    if accept_any_correct:
        item["accept_any_correct"] = True
    if derived_from:
        item["derived_from"] = dict(derived_from)
    return item


def exercise_item(*, lesson: str, role: str, reveals: str = "", **question: Any) -> dict[str, Any]:
    """A predict-then-check exercise as an exercise file holds it: a question (see :func:`question_item`)
    with its lesson (``"03_staging"``), its role (``"predict"`` or ``"self-check"``) and what answering reveals."""
    item = question_item(**question)
    out: dict[str, Any] = {"id": item.pop("id")} if "id" in item else {}
    out.update({"lesson": lesson, "role": role})
    if _text(reveals):
        out["reveals"] = _text(reveals)
    out.update(item)
    return out


def computed_key(fact: str, patient: Mapping[str, Any], *, format: str = "{}") -> tuple[dict[str, Any], object]:
    """The ``derived_from`` of a question about a computed fact, and the right answer the library gives.

    Args:
        fact: one of :data:`COMPUTABLE` (``"AJCC 8 stage group"``).
        patient: the values the call needs (site, size_cm, grade, nodes, metastasis; or the three FNCLCC scores).
        format: how the value is written as the answer's text (``"Stage {}"``).

    Raises:
        ValueError, TypeError: an unknown fact, or values the rules refuse (the message names them).
    """
    if fact not in COMPUTABLE:
        raise ValueError(f"fact={fact!r} is not one of {', '.join(COMPUTABLE)}")
    rule = COMPUTABLE[fact]
    args = {name: number_or_text(patient[name]) for name in rule["needs"] if name in patient}
    args = {k: v for k, v in args.items() if v is not None or k not in _OPTIONAL}
    site = args.get("site")
    if rule["field"] == "t" and "extent" not in args and isinstance(site, str):
        name = normalize_site(site)
        if not case_steps.by_size(name):
            raise ValueError(f"extent: {case_steps.T_BY_EXTENT}; choose its extent")
    spec = {"function": rule["function"], "field": rule["field"], "args": args}
    if format != "{}":
        spec["format"] = format
    return spec, derived_answer({"type": rule["type"], "derived_from": spec})


def target_path(kind: str, item: Mapping[str, Any], folder: str | Path) -> Path:
    """The file of her content folder the item is saved to: ``quiz/my_questions.json``, the lesson's
    exercise file, or ``cases/<case id>.json`` (``draft.json`` while the id or lesson cannot name a file)."""
    if kind not in KINDS:
        raise ValueError(f"kind={kind!r} is not one of {', '.join(KINDS)}")
    where = Path(folder) / FOLDERS[kind]
    if kind == "question":
        return where / QUESTION_FILE
    name = str(item.get("lesson" if kind == "exercise" else "id", ""))
    safe = name and all(c.isascii() and (c.isalnum() or c in "-_") for c in name) and name[0].isalnum()
    return where / (f"{name}.json" if safe else "draft.json")


def _saved_list(path: Path) -> tuple[list, Problem | None]:
    """The records the file holds now ([] when there is none), or a problem saying why nothing can be added."""
    if not path.exists():
        return [], None
    raw, problem = _jsonfiles.read_json(path, what="content file", max_bytes=_MAX_BYTES)
    if problem is None and not isinstance(raw, list):
        problem = f"{path}: is not a JSON list, so nothing can be added to it"
    if problem is not None:
        return [], Problem("", f"{problem}; fix or move that file first", line=problem)
    return raw, None


def _placed(records: list, item: Mapping[str, Any], replace: bool) -> tuple[list, int]:
    """The file's records with the draft in them, and the draft's index: it replaces the record with its id
    only when ``replace`` is set (otherwise it goes at the end, where a reused id is a problem)."""
    same = [k for k, r in enumerate(records) if isinstance(r, dict) and r.get("id") == item.get("id")]
    if replace and same:
        return [*records[: same[0]], dict(item), *records[same[0] + 1 :]], same[0]
    return [*records, dict(item)], len(records)


def _theirs(kind: str, folder: Path | None, target: Path | None) -> list[Path]:
    """Her files of this kind but the draft's own (checked last, so the draft is the one told its id is taken)."""
    if folder is None or not (folder.exists() or folder.is_symlink()):
        return []  # a folder not made yet holds nothing (Save makes it)
    mine = content_files(FOLDERS[kind], folder)
    return [p for p in mine if target is None or _jsonfiles.real_path(p) != _jsonfiles.real_path(target)]


def _check(kind: str, item: Mapping[str, Any], folder: str | Path | None, replace: bool) -> tuple[list, object]:
    """(the draft's problems, what the checks built of it: a Question, an Exercise or a Case, or None)."""
    mine = Path(folder).expanduser() if folder is not None else None
    target = target_path(kind, item, mine or Path("my-content"))
    if kind == "case":
        problems: list[Problem] = []
        if mine is not None and target.exists() and not replace:
            message = (
                f"a case is already saved as {target}; tick 'Replace the saved one' to save over it, "
                "or give this case another id"
            )
            problems.append(Problem("id", message, line=f"{target}, field 'id': {message}", path=target))
        checks = check_cases([*_theirs(kind, mine, target), target], drafts={target: dict(item)})
        problems += [p for p in checks[-1].problems if isinstance(p, Problem)]
        return problems, None if problems else checks[-1].case
    records, trouble = _saved_list(target)
    if trouble is not None:
        return [trouble], None
    records, index = _placed(records, item, replace)
    if kind == "question":  # as her folder is loaded (course.content): no id of a built-in exercise either
        paths = [*_theirs(kind, mine, target), target]
        bank = check_banks(paths, drafts={target: records}, taken=builtin_exercise_ids())[-1]
        found, made = bank.problems, [q for q in bank.questions if q.id == item.get("id")]
    else:  # no id of a built-in question or exercise, nor of one of her questions
        banks = check_banks(_theirs("question", mine, None), taken=builtin_exercise_ids()) if mine else []
        hers = {q.id: (f"a question of {c.path.name}", c.path) for c in banks for q in c.questions}
        check = check_exercises([*_theirs(kind, mine, target), target], drafts={target: records}, taken=hers)[-1]
        found, made = check.problems, [e for e in check.exercises if e.id == item.get("id")]
    problems = [p for p in found if isinstance(p, Problem) and p.path == target and p.record == index]
    return problems, None if problems or not made else made[-1]


def draft_problems(
    kind: str, item: Mapping[str, Any], folder: str | Path | None = None, *, replace: bool = False
) -> list[Problem]:
    """Every problem of a draft, as the check of the file it would be saved to reports it.

    Args:
        kind: ``"question"``, ``"exercise"`` or ``"case"``.
        item: the draft (see :func:`question_item`, :func:`exercise_item`,
            :func:`sarcoma_edu.course.case_authoring.case_item`).
        folder: her content folder (None: checked against the built-in content only).
        replace: the draft replaces the item she saved before with the same id.

    Returns:
        The problems of the draft itself (none of her other items'), each with its ``field``.
    """
    try:
        return _check(kind, item, folder, replace)[0]
    except ContentFolderError as error:  # her folder cannot be read: that is the problem to fix first
        return [Problem("", str(error))]


def built(kind: str, item: Mapping[str, Any], folder: str | Path | None = None, *, replace: bool = False) -> object:
    """The draft as a student's widget takes it, built by the checks: a
    :class:`~sarcoma_edu.course.quiz.Question`, an :class:`~sarcoma_edu.course.exercises.Exercise` or a
    :class:`~sarcoma_edu.course.case_model.Case`; None while a problem remains."""
    try:
        return _check(kind, item, folder, replace)[1]
    except ContentFolderError:
        return None


def save(kind: str, item: Mapping[str, Any], folder: str | Path, *, replace: bool = False) -> Path:
    """Save a draft into her content folder; return the file written.

    The file is written atomically (a reader sees the old file or the new one); a question or an
    exercise joins the other items of its file, and replaces the one with its id only with ``replace``.

    The lock file of the folder (``content.lock.json``) gets the item's computed keys with the table rows
    they rest on, so ``sarcoma-edu content check`` can say later which answers a rule change moved.

    Raises:
        DraftError: a problem remains (nothing is written); its ``problems`` name each field.
        LockFileError: her lock file is damaged (nothing is written; the message says what to do).
        OutputError: the file could not be written (the message names it and says why).
    """
    if folder is None or not str(folder).strip():
        raise DraftError([Problem("", "no content folder is set: give one (or set SARCOMA_EDU_CONTENT)")])
    where = Path(folder).expanduser()
    problems = draft_problems(kind, item, where, replace=replace)
    if problems:
        raise DraftError(problems)
    target = target_path(kind, item, where)
    if kind == "case":
        document: object = dict(item)
    else:
        document = _placed(_saved_list(target)[0], item, replace)[0]
    entries = _lock_changes(kind, item, where, target)  # before writing: a damaged lock file stops the Save
    target.parent.mkdir(parents=True, exist_ok=True)
    _atomic.write_file(target, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    if entries:
        keys.write_lock_entries(where, entries)
    return target


def _lock_changes(kind: str, item: Mapping[str, Any], folder: Path, target: Path) -> dict[str, dict | None]:
    """The lock-file entries the saved item sets: its computed keys with the rows they rest on (see
    :mod:`sarcoma_edu.course.keys`), and None for an entry of the same item it no longer has.

    Raises:
        LockFileError: her lock file cannot be read (nothing is saved; the message says what to do).
    """
    entries: dict[str, dict | None] = dict(keys.lock_entries(item, target))
    if kind == "case":
        stale = [i for i in keys.read_lock(keys.lock_path(folder)) if i.startswith(f"case:{item['id']}:")]
        entries.update({i: None for i in stale if i not in entries})
    else:
        keys.read_lock(keys.lock_path(folder))
        entries.setdefault(item["id"], None)
    return entries
