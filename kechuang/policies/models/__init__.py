from kechuang.policies.models.awards import VERDICTS, Award, AwardBatch, AwardObjection, Confirmation, Match
from kechuang.policies.models.policies import Condition, Policy, PolicyDocument, PolicyItem, Simulation

__all__ = [
    "VERDICTS",
    "Award",
    "AwardBatch",
    "AwardObjection",
    "Condition",
    "Confirmation",
    "Match",
    "Policy",
    "PolicyDocument",
    "PolicyItem",
    "Simulation",
]
