from sessions_app.models.candidate import BillingMode, Candidate, CandidateProfile, Sex, Student
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
from sessions_app.models.mass_import import SessionImport
from sessions_app.models.session import CENTER_STATUS_LABELS, Session, SessionStatus

__all__ = [
    "CENTER_STATUS_LABELS",
    "AbortReason",
    "BillingMode",
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
    "SessionImport",
    "SessionStatus",
    "Sex",
    "Student",
]
