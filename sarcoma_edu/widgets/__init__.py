"""The lessons' interactive parts, built on ipywidgets: calculators, explorers, the planner, drug tables, the
quiz and its review controls, exercises, the tumour board, the cohort widgets and the class poll on the projector.

Every name a lesson imports from ``sarcoma_edu.widgets`` is importable from here; the modules of this package
hold them by concern."""

from sarcoma_edu.widgets.base import NumberBox
from sarcoma_edu.widgets.calculators import FnclccCalculator, StagingCalculator
from sarcoma_edu.widgets.drugs import drug_explorer, drug_safety_table, watch_for_exercise
from sarcoma_edu.widgets.explorers import PathwayExplorer, TableExplorer, risk_factor_explorer
from sarcoma_edu.widgets.planner import TreatmentPlanner
from sarcoma_edu.widgets.poll import poll_widget
from sarcoma_edu.widgets.quiz import QuizWidget, quiz_widget

__all__ = [
    "FnclccCalculator",
    "NumberBox",
    "PathwayExplorer",
    "QuizWidget",
    "StagingCalculator",
    "TableExplorer",
    "TreatmentPlanner",
    "drug_explorer",
    "drug_safety_table",
    "poll_widget",
    "quiz_widget",
    "risk_factor_explorer",
    "watch_for_exercise",
]
