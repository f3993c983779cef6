from .applications import Application, ApplicationVersion, StatusChange
from .config import Call, Programme, ProgrammeType
from .publicity import Decision, Objection, PublicityPeriod
from .review import DrawReplacement, Expert, ReviewAssignment, ReviewDraw, Score
from .trainings import Training, TrainingParticipant

__all__ = [
    "Application",
    "ApplicationVersion",
    "Call",
    "Decision",
    "DrawReplacement",
    "Expert",
    "Objection",
    "Programme",
    "ProgrammeType",
    "PublicityPeriod",
    "ReviewAssignment",
    "ReviewDraw",
    "Score",
    "StatusChange",
    "Training",
    "TrainingParticipant",
]
