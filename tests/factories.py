"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from greenlight.accounts.choices import DepartmentKind, RegionLevel
from greenlight.accounts.models import Department, Organization, Region, Subdistrict, User
from greenlight.approvals.models import Approval
from greenlight.catalog.choices import Category, Stage, Unit
from greenlight.catalog.models import Matter
from greenlight.kernel.roles import Role
from greenlight.projects.codes import make_project_code
from greenlight.projects.models import Project
from greenlight.supervision.models import SupervisionNotice


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "440306"
    name = "宝安区"
    level = RegionLevel.DISTRICT


class SubdistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subdistrict

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"街道{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("region", "kind")

    region = factory.SubFactory(RegionFactory)
    kind = DepartmentKind.ECOLOGY
    name = factory.LazyAttribute(lambda o: f"{o.region.name}{o.kind}局")
    short_name = factory.LazyAttribute(lambda o: o.kind)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"深圳市测试科技有限公司{n}")
    credit_code = factory.Sequence(lambda n: f"91440300MA5{n:07d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.COORDINATOR
    region = factory.SubFactory(RegionFactory)
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Matter

    code = factory.Sequence(lambda n: f"T-{n:03d}")
    name = factory.Sequence(lambda n: f"测试事项{n}")
    department_kind = DepartmentKind.ECOLOGY
    stage = Stage.LAND_PLANNING
    statutory_limit = 20
    statutory_unit = Unit.WORKDAY
    committed_limit = 10
    committed_unit = Unit.WORKDAY


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    code = factory.Sequence(
        lambda n: make_project_code(
            year=2025, month=3, region_code="440306", sector=4, kind=3, serial=n
        )
    )
    name = factory.Sequence(lambda n: f"测试项目{n}")
    owner = factory.SubFactory(OrganizationFactory)
    region = factory.LazyAttribute(lambda o: o.owner.region)
    category = Category.SOCIAL_INDUSTRY
    industry = "manufacturing"
    total_investment = Decimal("12000.00")
    # The national record's fields, which every channel of registration requires.
    location = "深圳市宝安区"
    construction_nature = "new"
    scale_content = "新建厂房及配套设施"
    funding_source = "fiscal"


class ApprovalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Approval

    project = factory.SubFactory(ProjectFactory)
    matter = factory.SubFactory(MatterFactory)
    department = factory.LazyAttribute(
        lambda o: DepartmentFactory(region=o.project.region, kind=o.matter.department_kind)
    )


class SupervisionNoticeFactory(factory.django.DjangoModelFactory):
    """A notice on `subject` (default: a new approval) to the subject's first department."""

    class Meta:
        model = SupervisionNotice
        exclude = ("subject",)

    subject = factory.SubFactory(ApprovalFactory)
    subject_type = factory.LazyAttribute(lambda o: ContentType.objects.get_for_model(o.subject))
    subject_id = factory.LazyAttribute(lambda o: o.subject.pk)
    subject_label = factory.LazyAttribute(lambda o: o.subject.supervision_label)
    region = factory.LazyAttribute(lambda o: o.subject.supervision_region)
    department = factory.LazyAttribute(lambda o: o.subject.supervision_departments()[0])
    text = "请于两个工作日内办结并书面回复"
    issued_by = factory.SubFactory(UserFactory, role=Role.COORDINATOR)
    issued_at = factory.LazyFunction(timezone.now)
    reply_due = factory.LazyAttribute(lambda o: o.issued_at + timedelta(days=2))


def reported_ticket(*, reporter, project, days_ago: int = 2):
    """A problem ticket reported through the service by `reporter` on `project`, days ago."""
    from greenlight.tickets import services

    return services.report(
        actor=reporter,
        project=project,
        reported_at=timezone.now() - timedelta(days=days_ago),
        title="施工临时用电报装进度缓慢",
        category="site",
    )
