"""The drug widgets of lesson 05: the drug catalog to explore, what to watch for drug by drug, and the
"What would you watch for?" exercise that opens that table once its questions are answered.

The exercise asks questions of the drugs bank (:data:`WATCH_FOR_QUESTIONS`) through the quiz widget, so an
answer here is saved and reviewed like the same question in the quiz.
"""

from __future__ import annotations

import ipywidgets as w

from sarcoma_edu.clinical.catalog import drug_safety, load_drugs
from sarcoma_edu.course.banks import bank_paths, load_bank
from sarcoma_edu.course.exercises import LESSON_BANK_QUESTIONS
from sarcoma_edu.progress.store import ProgressStore
from sarcoma_edu.widgets.explorers import TableExplorer
from sarcoma_edu.widgets.quiz import QuizWidget, quiz_widget
from sarcoma_edu.widgets.reveal import AfterAnswering, mark_answered

__all__ = ["WATCH_FOR_QUESTIONS", "drug_explorer", "drug_safety_table", "watch_for_exercise"]


def drug_explorer() -> TableExplorer:
    """The drug catalog, filterable by modality, class and status: each drug's class, US status and source
    in columns, so the table fits the lesson; every other column of ``drugs.csv`` (what it is used for, how
    it is given, its side effects, what to watch for, its approval, and any column the table gains) for the
    drug chosen in "Details of the drug"."""
    drugs = load_drugs()
    columns = ("name", "drug_class", "status", "source")
    details = [c for c in drugs.columns if c not in columns]
    filters = ("modality", "drug_class", "status")
    return TableExplorer(drugs, filters, columns, "Drugs used in soft tissue sarcoma", details, item="drug")


def drug_safety_table() -> TableExplorer:
    """What to watch for with each drug that has its own serious harms, searchable, in full and with its source."""
    columns = ("name", "watch_for", "monitoring", "us_status", "source")
    return TableExplorer(drug_safety(), (), columns, "What to watch for, drug by drug")


# lesson 05's nursing exercise: why mesna, doxorubicin's dose limit, after afami-cel, checkpoint reactions
WATCH_FOR_QUESTIONS = LESSON_BANK_QUESTIONS["05_treatment"]


def watch_for_exercise(progress: ProgressStore | None = None) -> QuizWidget:
    """Lesson 05's "What would you watch for?": answer first, then see why, with the source.

    The questions are those of :data:`WATCH_FOR_QUESTIONS` from the drugs bank, so an answer here
    is recorded (and comes back in "Practise my mistakes") exactly like the same question in the quiz.
    Under them, the table of what to watch for drug by drug (:func:`drug_safety_table`), which gives
    every answer, opens once all of them are answered (here or in an earlier session).

    Args:
        progress: where answers are saved; None opens the default store, as :func:`quiz_widget` does.
    """
    bank = {q.id: q for q in load_bank([p for p in bank_paths() if p.name == "drugs.json"])}
    missing = [i for i in WATCH_FOR_QUESTIONS if i not in bank]
    if missing:
        raise ValueError(f"the drugs bank (datasets/quiz/drugs.json) lacks the question(s) {missing}")
    quiz = quiz_widget([bank[i] for i in WATCH_FOR_QUESTIONS], progress, lesson="05_treatment")
    quiz.on_answer.append(mark_answered)
    # only these questions: no made-up patients here
    quiz.children = tuple(c for c in quiz.children if quiz.case_button not in getattr(c, "children", ()))
    title = quiz.children[0]
    title.value = title.value.replace("Self-study quiz", "What would you watch for?")
    table = AfterAnswering(
        WATCH_FOR_QUESTIONS,
        _checked_against_the_table,
        what="the table of what to watch for, drug by drug",
        progress=quiz.progress,
    )
    quiz.children = (*quiz.children, table)
    return quiz


# What a nurse checks for ifosfamide and why a fever matters: shown with the table, once the questions are answered
# (it answers some of them). Each claim is the reference's (FDA label for ifosfamide; ACS for infection risk and
# afami-cel); where the course reads a check from a harm, or the sources give no threshold, it says so.
_NURSE_NOTES = (
    "<p style='margin:0.4em 0'>The <b>US status</b> column says what each approval covers: pembrolizumab, for "
    "example, is approved for tumours of any site with the gene changes MSI-H or TMB-H, not for soft tissue "
    "sarcoma as such.</p>"
    "<p style='margin:0.4em 0'>Ifosfamide's harms are bladder bleeding (haemorrhagic cystitis), prevented with "
    "mesna and fluids, kidney damage, brain toxicity (encephalopathy) and severe low blood counts (FDA label). "
    "What the nurse checks follows from them, in this course's reading: the urine for blood, kidney function, "
    "whether the patient is confused or sleepy, and the blood counts. Low blood counts bring a risk of infection "
    "with chemotherapy (ACS), and afami-cel can cause serious infections, with low blood counts that can last "
    "several weeks (ACS). In this course's reading (the sources name the infection risk, not fever), that is why a "
    "fever during chemotherapy or after afami-cel matters. No source of this course says at what temperature or "
    "how soon it needs urgent care, so the course gives no threshold: ask the treating team. Infertility is among "
    "the side effects of chemotherapy (ACS); the sources do not say when fertility should be discussed, so the "
    "course leaves that to the treating team. For afami-cel the reference names cytokine release syndrome as a "
    "risk but does not list its warning signs, so the course does not either.</p>"
)


def _checked_against_the_table() -> w.VBox:
    intro = w.HTML(
        "<p style='margin:0.6em 0 0.2em'><b>Now check your answers against the whole picture:</b> each drug with "
        "its own harms, what is given, checked or limited because of them, and the source of every line. Type a "
        "word such as <code>heart</code> or <code>lungs</code> to narrow the table.</p>" + _NURSE_NOTES
    )
    return w.VBox([intro, drug_safety_table()])
