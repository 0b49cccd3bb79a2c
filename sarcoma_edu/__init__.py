"""sarcoma-edu: a teaching toolkit on adult soft tissue sarcoma.

Educational use only; not medical advice. Real decisions belong to a multidisciplinary sarcoma
team.

The public API: :func:`stage` and :func:`stage_frame` (AJCC 8th edition staging),
:func:`fnclcc` (FNCLCC grading), and the tables they read (:func:`load_table`).
Importing the package does not import plotly or ipywidgets.
"""

from sarcoma_edu.data import DatasetError, list_datasets, load_table
from sarcoma_edu.grading import FnclccResult, fnclcc, normalize_grade
from sarcoma_edu.staging import SITES, STAGES, StageResult, normalize_site, stage, stage_frame, t_category

__version__ = "0.1.0"

DISCLAIMER = (
    "Educational use only: this is not medical advice. Real decisions belong to a multidisciplinary sarcoma team."
)

__all__ = [
    "DISCLAIMER",
    "SITES",
    "STAGES",
    "DatasetError",
    "FnclccResult",
    "StageResult",
    "__version__",
    "fnclcc",
    "list_datasets",
    "load_table",
    "normalize_grade",
    "normalize_site",
    "stage",
    "stage_frame",
    "t_category",
]
