from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "greenlight.approvals"
    label = "approvals"
    verbose_name = _("approvals")

    def ready(self):
        from greenlight.catalog import hooks as catalog_hooks
        from greenlight.kernel import jobs
        from greenlight.supervision import subjects

        from . import acts, commitments, gaps, recalendar
        from .jobs import notify_deadlines

        jobs.register(notify_deadlines)
        acts.before_deciding(gaps.refuse_grant_while_missing)  # no grant while 容缺 is open
        acts.before_deciding(commitments.require_commitment)  # 告知承诺: on the signed one
        acts.after_deciding(commitments.open_post_check)  # and its 事后核查
        subjects.register("approval", "approvals.Approval")
        catalog_hooks.calendar_changed.connect(recalendar.on_calendar_changed)
