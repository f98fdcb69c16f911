"""What supervision announces to the layers above it (`greenlight.kernel.hooks`)."""

from greenlight.kernel.hooks import Hook

# A notice was issued on `subject` (inside the transaction): e.g. tickets put it on the timeline.
notice_issued = Hook("notice_issued", "notice", "subject", "actor", "at")
# The addressed department replied (inside the transaction).
notice_replied = Hook("notice_replied", "notice", "subject", "actor", "at")
