"""What every app shares, at the bottom of the house: the domain error and the audit trail.

Nothing here imports `sessions_app`, `invigilation` or `finalisation`; they all import it.
"""
