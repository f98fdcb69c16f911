from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "greenlight.reviews"
    label = "reviews"
    verbose_name = _("reviews")

    def ready(self):
        from greenlight.kernel import jobs
        from greenlight.supervision import subjects

        from .jobs import remind_opinions

        jobs.register(remind_opinions)
        subjects.register("batch", "reviews.Batch")
