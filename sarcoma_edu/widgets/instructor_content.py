"""The instructor's content in a widget: her items beside the built-in ones, and what to say about them.

The quiz, the tumour board and a lesson's self-check load her content folder
(:mod:`sarcoma_edu.course.items`: ``content=`` or ``$SARCOMA_EDU_CONTENT``). A folder that cannot be
read, or a file of hers with a problem, must never stop the widget: :func:`instructor_items`
returns what can be used and plain sentences about it, which the widget shows escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sarcoma_edu.course.content import Content
from sarcoma_edu.course.items import ContentFolderError, instructor_content

__all__ = ["InstructorItems", "instructor_items"]

_WORDS = {  # kind -> (one item, the command that checks her files)
    "quiz": ("question", "bank check"),
    "exercises": ("exercise", "bank check"),
    "cases": ("case", "case check"),
}
_SHOWN = 3


@dataclass(frozen=True)
class InstructorItems:
    """Her content as one widget uses it.

    Attributes:
        content: her content (empty when her folder cannot be used).
        word: what one item is called ("question", "exercise", "case").
        problems: the problems of her files of this kind, or why her folder could not be used.
        command: the sentence naming the command that lists every problem of her files of this kind.
    """

    content: Content
    word: str
    problems: tuple[str, ...]
    command: str

    def notes(self, included: int) -> list[str]:
        """Sentences for the widget's status: how many of hers are ``included``, and the first problems."""
        notes = [f"Included: {included} {self.word}{'' if included == 1 else 's'} from your instructor."] * bool(
            included
        )
        if self.problems:
            more = f" (and {len(self.problems) - _SHOWN} more)" if len(self.problems) > _SHOWN else ""
            notes.append(f"Left out: {'; '.join(self.problems[:_SHOWN])}{more}. {self.command}".rstrip())
        return notes


def instructor_items(content: str | Path | None, kind: str) -> InstructorItems:
    """Her content and what a widget says about its ``kind`` (``"quiz"``, ``"exercises"`` or ``"cases"``).

    Args:
        content: her content folder; None reads ``$SARCOMA_EDU_CONTENT``.
        kind: whose files' problems are named.
    """
    word, command = _WORDS[kind]
    try:
        hers = instructor_content(content, option="content")
    except ContentFolderError as error:
        why = f"Your instructor's {word}s could not be loaded: {error}. The built-in {word}s are here."
        return InstructorItems(Content(None), word, (why,), "")
    problems = tuple(p for c in hers.checks if c.kind == kind for p in c.problems)
    listed = f"Your instructor can list every problem with: sarcoma-edu {command} --content {hers.folder}"
    return InstructorItems(hers, word, problems, listed)
