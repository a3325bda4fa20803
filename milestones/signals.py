"""Signals the milestones services send so that apps above them can react.

milestones cannot import assessments (dependencies point one way), yet approving a report
must recompute the project's status for that month. The approve service therefore sends
`report_approved` once the transaction has committed; assessments connects a receiver in
its AppConfig.ready(). Sent explicitly by the service (not a model post_save), so bulk
inserts such as the demo seed do not fire it and the sender decides when data is final.
"""

from django.dispatch import Signal

# kwargs: report_id, project_id, year, month
report_approved = Signal()
