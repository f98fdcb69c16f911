"""What projects announce to the layers above them (`greenlight.kernel.hooks`), inside the
transaction of the act: plans plans the project at once."""

from greenlight.kernel.hooks import Hook

# A project was registered (by the form, the API, an Excel import or 谋划生成), its approvals
# opened: plans computes its plan.
project_registered = Hook("project_registered", "project", "actor")

# A project changed: `fields` names what (model fields, or "matters" when a matter was added
# or removed): plans recomputes its plan.
project_changed = Hook("project_changed", "project", "fields", "actor")
