from sessions_app.models.candidate import Candidate, CandidateProfile, Sex, Student
from sessions_app.models.certification import (
    AbortReason,
    Certification,
    CertificationChallenge,
    CertificationState,
    Challenge,
    ChallengeType,
    IssueReport,
    IssueReportSource,
    JuryStatus,
    LiveAlert,
    LiveAlertOutcome,
    LiveAlertStatus,
)
from sessions_app.models.session import CENTER_STATUS_LABELS, LOCKED_STATUSES, Session, SessionStatus

__all__ = [
    "CENTER_STATUS_LABELS",
    "LOCKED_STATUSES",
    "AbortReason",
    "Candidate",
    "CandidateProfile",
    "Certification",
    "CertificationChallenge",
    "CertificationState",
    "Challenge",
    "ChallengeType",
    "IssueReport",
    "IssueReportSource",
    "JuryStatus",
    "LiveAlert",
    "LiveAlertOutcome",
    "LiveAlertStatus",
    "Session",
    "SessionStatus",
    "Sex",
    "Student",
]
