"""sarcoma-edu: a teaching toolkit on adult soft tissue sarcoma.

Educational use only; not medical advice. Real decisions belong to a multidisciplinary sarcoma
team.

The public API: :func:`stage` and :func:`stage_frame` (AJCC 8th edition staging),
:func:`fnclcc` (FNCLCC grading), :func:`pathway` and :func:`spread_patterns` (how sarcoma
spreads), :func:`treatment_options` and :func:`plan_treatment` (treatment by stage and its
sequence in time), the ``load_*`` catalogs, and the tables they read (:func:`load_table`);
self-study quizzes (:func:`load_bank`, :func:`check`, :func:`generate_case_question`) with
saved progress (:class:`ProgressStore`, which refuses rather than loses: :class:`ProgressBusyError`,
:class:`ProgressReadOnlyError`); the bibliography every ``source`` cites (:func:`load_sources`);
virtual patient cases for the tumour board
(:func:`load_cases`, :func:`generate_case`, :func:`what_if`).
Importing the package does not import plotly or ipywidgets.
"""

from sarcoma_edu.clinical.catalog import (
    drug_safety,
    load_drugs,
    load_histologies,
    load_modalities,
    load_risk_factors,
    load_survival,
    load_tests,
)
from sarcoma_edu.clinical.grading import FnclccResult, fnclcc, normalize_grade
from sarcoma_edu.clinical.planner import plan_treatment
from sarcoma_edu.clinical.sites import normalize_site
from sarcoma_edu.clinical.sources import bibliography, load_sources
from sarcoma_edu.clinical.spread import (
    METASTATIC_TUMOUR,
    Pathway,
    normalize_histology,
    pathway,
    routes,
    spread_patterns,
)
from sarcoma_edu.clinical.staging import StageResult, stage
from sarcoma_edu.clinical.staging_frame import stage_frame
from sarcoma_edu.clinical.t_categories import t_category
from sarcoma_edu.clinical.tables import DatasetError, list_datasets, load_table
from sarcoma_edu.clinical.treatment import TreatmentOption, TreatmentOptions, treatment_options
from sarcoma_edu.clinical.treatment_plan import Phase, TreatmentPlan
from sarcoma_edu.clinical.vocabulary import EXTENTS, SITES, STAGE_GROUPS, STAGES
from sarcoma_edu.common.about import DISCLAIMER, __version__
from sarcoma_edu.course.banks import BankCheck, QuizBankError, check_banks, load_bank
from sarcoma_edu.course.case_files import CaseError, check_cases, load_cases
from sarcoma_edu.course.case_model import Case
from sarcoma_edu.course.cases import generate_case, what_if
from sarcoma_edu.course.generated import generate_case_question
from sarcoma_edu.course.objectives import Objective, load_objectives
from sarcoma_edu.course.quiz import Feedback, Question, check
from sarcoma_edu.display import errors as _notebook
from sarcoma_edu.display import presentation as _presentation
from sarcoma_edu.progress.files import ProgressBusyError, ProgressReadOnlyError, ProgressStorageError
from sarcoma_edu.progress.store import ProgressStore

# in a lesson's kernel every table shows whole, with plain column names (nothing happens outside IPython)
_presentation.install_table_display()
# and the toolkit's own errors show as their one helpful line (sarcoma_edu.display.errors)
_notebook.install_error_display()


__all__ = [
    "DISCLAIMER",
    "EXTENTS",
    "METASTATIC_TUMOUR",
    "SITES",
    "STAGES",
    "STAGE_GROUPS",
    "BankCheck",
    "Case",
    "CaseError",
    "DatasetError",
    "Feedback",
    "FnclccResult",
    "Objective",
    "Pathway",
    "Phase",
    "ProgressBusyError",
    "ProgressReadOnlyError",
    "ProgressStorageError",
    "ProgressStore",
    "Question",
    "QuizBankError",
    "StageResult",
    "TreatmentOption",
    "TreatmentOptions",
    "TreatmentPlan",
    "__version__",
    "bibliography",
    "check",
    "check_banks",
    "check_cases",
    "drug_safety",
    "fnclcc",
    "generate_case",
    "generate_case_question",
    "list_datasets",
    "load_bank",
    "load_cases",
    "load_drugs",
    "load_histologies",
    "load_modalities",
    "load_objectives",
    "load_risk_factors",
    "load_sources",
    "load_survival",
    "load_table",
    "load_tests",
    "normalize_grade",
    "normalize_histology",
    "normalize_site",
    "pathway",
    "plan_treatment",
    "routes",
    "spread_patterns",
    "stage",
    "stage_frame",
    "t_category",
    "treatment_options",
    "what_if",
]
