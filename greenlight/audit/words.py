"""The trail in words: each recorded action, role and object type as the reader says it.

The stored codes stay as they are (they are what the chain covers and what a search matches);
pages show these words, with the code beside them for an assessor's search.
"""

from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from greenlight.kernel.roles import Role

ACTIONS = {
    # identity and sessions
    "login": _("signed in"),
    "login_failed": _("sign-in failed"),
    "logout": _("signed out"),
    "lockout": _("account locked after failed sign-ins"),
    "lock_lifted": _("lock lifted"),
    "session_expired": _("session ended after idling"),
    "password_changed": _("password changed"),
    "mfa_enrolled": _("authenticator enrolled"),
    "mfa_enrol_failed": _("authenticator enrolment failed"),
    "mfa_verified": _("second factor verified"),
    "mfa_failed": _("second factor refused"),
    "mfa_reset": _("authenticator removed"),
    "mfa_policy_changed": _("second-factor policy changed"),
    "token_created": _("API token created"),
    "token_revoked": _("API token revoked"),
    "regions_loaded": _("administrative divisions loaded"),
    "user_created": _("user created"),
    "user_changed": _("user changed"),
    "admin_added": _("added in system administration"),
    "admin_changed": _("changed in system administration"),
    "admin_deleted": _("deleted in system administration"),
    "admin_write": _("written in system administration"),
    "audit_archived": _("audit trail archived"),
    # approvals
    "approval_consulting_started": _("approval: early consultation started"),
    "approval_submitted": _("approval: submitted"),
    "approval_accepted": _("approval: accepted"),
    "approval_not_accepted": _("approval: not accepted"),
    "approval_paused": _("approval: clock paused"),
    "approval_resumed": _("approval: clock resumed"),
    "approval_approved": _("approval: granted"),
    "approval_rejected": _("approval: refused"),
    "approval_withdrawn": _("approval: withdrawn"),
    "approval_accepted_with_gaps": _("approval: accepted with materials missing"),
    "approval_material_supplied": _("approval: missing material supplied"),
    "approval_commitment_signed": _("approval: commitment signed"),
    "approval_decision_issued": _("approval: decision issued"),
    "approval_decision_corrected": _("approval: decision corrected"),
    "approval_grant_revoked": _("approval: grant revoked"),
    "approval_post_check_recorded": _("approval: post-check recorded"),
    "approval_due_recalendared": _("approval: due date moved by the calendar"),
    "joint_case_opened": _("joint case opened"),
    "joint_member_prepared": _("joint case: member's act prepared"),
    "joint_case_decided": _("joint case decided"),
    # projects and plans
    "project_created": _("project registered"),
    "project_updated": _("project changed"),
    "project_matter_added": _("project: matter added"),
    "project_matter_removed": _("project: matter removed"),
    "project_stage_overridden": _("project: stage set by override"),
    "plan_version_saved": _("plan version saved"),
    # catalog and calendar
    "matter_created": _("matter created"),
    "bundle_updated": _("bundle changed"),
    "catalog_loaded": _("catalog loaded"),
    "catalog_change_linked": _("catalog change linked to a reform item"),
    "calendar_notice": _("holiday notice entered"),
    "calendar_import": _("calendar imported"),
    "calendar_imported": _("calendar imported"),
    "calendar_edit": _("calendar day edited"),
    "calendar_seed": _("calendar seeded"),
    "calendar_seeded": _("calendar seeded"),
    # supervision and tickets
    "notice_issued": _("supervision notice issued"),
    "notice_replied": _("supervision notice answered"),
    "notice_due_recalendared": _("supervision notice: reply date moved by the calendar"),
    "ticket_reported": _("problem reported"),
    "ticket_assigned": _("problem assigned"),
    "ticket_attached": _("problem: file attached"),
    "ticket_commented": _("problem: comment"),
    "ticket_feedback_recorded": _("problem: feedback given"),
    "ticket_path_recorded": _("problem: solution path given"),
    "ticket_progress_recorded": _("problem: progress reported"),
    "ticket_missed": _("problem: deadline missed"),
    "ticket_resolved": _("problem resolved"),
    "ticket_closed": _("problem closed"),
    "ticket_reopened": _("problem reopened"),
    "ticket_meeting_decided": _("problem decided at a meeting"),
    "ticket_dues_recalendared": _("problem: deadlines moved by the calendar"),
    # joint review, pipeline, reforms, reports
    "batch_issued": _("joint-review batch issued"),
    "opinion_recorded": _("opinion recorded"),
    "document_reviewed": _("document reviewed"),
    "meeting_scheduled": _("meeting scheduled"),
    "meeting_changed": _("meeting changed"),
    "minutes_recorded": _("minutes recorded"),
    "decisions_recorded": _("decisions recorded"),
    "action_item_fed_back": _("action item answered"),
    "target_issued": _("target issued"),
    "target_acknowledged": _("target acknowledged"),
    "candidate_proposed": _("candidate proposed"),
    "candidate_pinned": _("candidate pinned"),
    "pool_set": _("factor pool set"),
    "matching_run": _("factor matching run"),
    "reform_item_created": _("reform item created"),
    "reform_item_updated": _("reform item changed"),
    "investment_report_submitted": _("investment report submitted"),
    "demo_loaded": _("demo district built"),
    "demo_batch_loaded": _("demo batch built"),
}


def action(code: str) -> str:
    """The action in words; the code itself where no words are known yet."""
    words = ACTIONS.get(code)
    return str(words) if words is not None else code


def actor(event) -> str:
    """Who acted, as people are shown everywhere (姓名 · 部门); the platform itself as such."""
    if event.actor_id is not None and event.actor is not None:
        return event.actor.display_name
    if event.actor_name in ("", "system"):
        return str(_("the platform"))
    return event.actor_name


def role(code: str) -> str:
    try:
        return str(Role(code).label)
    except ValueError:
        return code


def object_type(label: str) -> str:
    """`app_label.model` as the model's name (e.g. accounts.user -> 用户)."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label
