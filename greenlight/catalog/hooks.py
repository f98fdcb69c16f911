"""What the catalog announces to the layers above it (`greenlight.kernel.hooks`)."""

from greenlight.kernel.hooks import Hook

# A matter is about to change (inside the transaction, before the new values are applied, so
# the stored matter is still the "before"). `cause` is what the caller says the change
# implements (a reform register item, or None); `at` when it takes effect (None: now).
matter_changing = Hook("matter_changing", "matter", "data", "prerequisites", "actor", "cause", "at")
