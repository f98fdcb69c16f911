"""What the accounts app tells the layers above it (the audit trail records every one)."""

from greenlight.kernel.hooks import Hook

# A security event: a login, a failure, a lockout, a token, an MFA step, a user or role change.
# `obj` is the model instance concerned (a user, a token), `outcome` "success" or "failure".
security_event = Hook("security_event", "action", "obj", "actor", "outcome", "changes")
