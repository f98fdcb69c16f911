"""Choices of the pipeline: factor kinds, funding sources, pins, decisions, maturity checks."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from greenlight.accounts.choices import DepartmentKind
from greenlight.projects.choices import Industry


class FactorKind(models.TextChoices):
    """The factors a candidate draws on; each has a yearly pool (land: one per subdistrict)."""

    LAND = "land", _("Land quota (m²)")
    ENERGY = "energy", _("Energy quota (tce)")
    FISCAL = "fiscal", _("Fiscal funds (10,000 yuan)")
    BOND = "bond", _("Special bonds (10,000 yuan)")
    ENVIRONMENT = "environment", _("Environmental capacity (t/a)")


NEED_FIELDS = {
    FactorKind.LAND: "land_need",
    FactorKind.ENERGY: "energy_need",
    FactorKind.FISCAL: "fiscal_need",
    FactorKind.BOND: "bond_need",
    FactorKind.ENVIRONMENT: "environment_need",
}


class Funding(models.TextChoices):
    FISCAL = "fiscal", _("Fiscal funds")
    BOND = "bond", _("Special bonds")
    COMPANY = "company", _("Company funds")


class Pin(models.TextChoices):
    NONE = "", _("Not pinned")
    IN = "in", _("Pinned in")
    OUT = "out", _("Pinned out")


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    RESERVED = "reserved", _("Reserved")
    STARTING = "starting", _("To start this year")
    REJECTED = "rejected", _("Not adopted")


class Outcome(models.TextChoices):
    """What the leading-group meeting decides for one candidate."""

    RESERVE = "reserve", _("Reserve")
    START = "start", _("Start this year")
    REJECT = "reject", _("Do not adopt")


OUTCOME_STATUS = {
    Outcome.RESERVE: CandidateStatus.RESERVED,
    Outcome.START: CandidateStatus.STARTING,
    Outcome.REJECT: CandidateStatus.REJECTED,
}


class Maturity(models.TextChoices):
    """The maturity checklist of a candidate (项目成熟度)."""

    SITE = "site", _("Site identified")
    PLANNING = "planning", _("Planning conditions clear")
    LAND_TITLE = "land_title", _("Land title clear")
    STUDY = "study", _("Feasibility study drafted")
    FUNDING = "funding", _("Funding confirmed")
    DESIGN = "design", _("Scheme design ready")


# Whose a project is, for a department's annual target: the department in charge of the
# project's industry (行业主管部门). Transport, water and housing have their own bureaus on the
# platform (municipal utilities go with housing and construction); the industries whose bureau is
# not on it (工信, 教育, 卫健, 商务) are steered by development and reform. A department in charge
# of no industry (planning, renewal, ecology, land inspection) approves projects but owns none:
# its investment target counts nothing.
COMPETENT_DEPARTMENT = {
    Industry.TRANSPORT: DepartmentKind.TRANSPORT,
    Industry.WATER: DepartmentKind.WATER,
    Industry.HOUSING: DepartmentKind.HOUSING,
    Industry.MUNICIPAL: DepartmentKind.HOUSING,
    Industry.MANUFACTURING: DepartmentKind.DEVELOPMENT,
    Industry.ELECTRONICS: DepartmentKind.DEVELOPMENT,
    Industry.NEW_ENERGY: DepartmentKind.DEVELOPMENT,
    Industry.BIOMEDICINE: DepartmentKind.DEVELOPMENT,
    Industry.LOGISTICS: DepartmentKind.DEVELOPMENT,
    Industry.EDUCATION: DepartmentKind.DEVELOPMENT,
    Industry.HEALTH: DepartmentKind.DEVELOPMENT,
    Industry.COMMERCE: DepartmentKind.DEVELOPMENT,
}
