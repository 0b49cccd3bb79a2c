"""An instructor's content folder for the tests: one question, one exercise and one case of her own.

The question and the exercise ask for an AJCC 8 T category and a stage group the library computes
(a 7 cm trunk tumour is T2; a 7 cm high-grade retroperitoneal tumour with nodal spread only is stage
IIIB; source AJCC8). The case is the built-in head and neck case under a new id and title, so its
facts and computed steps are the library's own.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTION_ID = "my-trunk-t2"
QUESTION_TEXT = "A sarcoma of the chest wall measures 7 cm. What is its AJCC 8 T category?"
EXERCISE_ID = "ex-03-my-nodes"
CASE_ID = "my-neck-lump"
CASE_TITLE = "My own case: a lump in the neck"

QUESTION = {
    "id": QUESTION_ID,
    "topic": "staging",
    "type": "multiple_choice",
    "difficulty": "easy",
    "question": QUESTION_TEXT,
    "answers": [
        {"answer": "T2", "correct": True, "feedback": "More than 5 cm and not more than 10 cm is T2."},
        {"answer": "T1", "correct": False, "feedback": "T1 is 5 cm or less."},
        {"answer": "T3", "correct": False, "feedback": "T3 is more than 10 cm and not more than 15 cm."},
    ],
    "explanation": "On the trunk and limbs AJCC 8 sets T by size: more than 5 cm and not more than 10 cm is T2.",
    "source": "AJCC8",
    "objectives": ["staging-tnmg"],
}
EXERCISE = {
    "id": EXERCISE_ID,
    "lesson": "03_staging",
    "role": "self-check",
    "topic": "staging",
    "type": "multiple_choice",
    "difficulty": "easy",
    "question": "A 7 cm high-grade retroperitoneal sarcoma has spread to nearby lymph nodes only. Which stage?",
    "answers": [{"answer": "IIIB", "correct": True}, {"answer": "IV", "correct": False}],
    "explanation": "In the retroperitoneum, spread to nearby lymph nodes without distant spread is stage IIIB.",
    "source": "AJCC8",
    "objectives": ["staging-nodal-rule"],
    "derived_from": {
        "function": "stage",
        "field": "stage",
        "args": {"site": "retroperitoneum", "size_cm": 7, "grade": "high", "nodes": True},
    },
}


def case() -> dict:
    """Her case: the built-in head and neck case under her own id and title."""
    raw = json.loads((ROOT / "datasets" / "cases" / "06-head-neck.json").read_text(encoding="utf-8"))
    return {**raw, "id": CASE_ID, "title": CASE_TITLE}


def write(path: Path, content: object) -> Path:
    """Write JSON (or text as it is) to ``path``, making its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content, indent=1), encoding="utf-8")
    return path


def make_content(folder: Path) -> Path:
    """A content folder with quiz/mine.json (one question), exercises/mine.json (one) and cases/mine.json."""
    write(folder / "quiz" / "mine.json", [QUESTION])
    write(folder / "exercises" / "mine.json", [EXERCISE])
    write(folder / "cases" / "mine.json", case())
    return folder
