from simpul.roadmap.models.reports import NOT_CURRENT, ProgressEvidence, ProgressReport
from simpul.roadmap.models.roadmaps import Initiative, Output, OutputBudget, OutputLink, Roadmap

__all__ = [
    "NOT_CURRENT",
    "Initiative",
    "Output",
    "OutputBudget",
    "OutputLink",
    "ProgressEvidence",
    "ProgressReport",
    "Roadmap",
]
