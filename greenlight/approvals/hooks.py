"""What approvals announce to the layers above them (`greenlight.kernel.hooks`)."""

from greenlight.kernel.hooks import Hook

# An approval changed state (inside the transaction of the act): plans replan its project.
approval_moved = Hook("approval_moved", "approval", "action", "at", "actor")
