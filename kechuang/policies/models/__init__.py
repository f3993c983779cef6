from kechuang.policies.models.awards import (
    VERDICTS,
    Award,
    AwardBatch,
    AwardObjection,
    Confirmation,
    Match,
    MatchRun,
    MatchTally,
)
from kechuang.policies.models.policies import Condition, Policy, PolicyDocument, PolicyItem, Simulation

__all__ = [
    "VERDICTS",
    "Award",
    "AwardBatch",
    "AwardObjection",
    "Condition",
    "Confirmation",
    "Match",
    "MatchRun",
    "MatchTally",
    "Policy",
    "PolicyDocument",
    "PolicyItem",
    "Simulation",
]
