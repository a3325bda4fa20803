"""What pipeline hands to lower layers at start-up (they never import it): the year cycle's
offer of 成熟 projects, and the figure cache's generation on every pipeline write."""


def register():
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from core import cache
    from pipeline.models import PipelineProject, StartBatch
    from registry import year_offers

    year_offers.register_offer_provider(mature_offers)
    for model in (PipelineProject, StartBatch):
        post_save.connect(cache.bump, sender=model, dispatch_uid=f"pipeline-bump-{model.__name__}")
        post_delete.connect(cache.bump, sender=model, dispatch_uid=f"pipeline-del-{model.__name__}")
    m2m_changed.connect(
        cache.bump, sender=StartBatch.projects.through, dispatch_uid="pipeline-bump-batch"
    )


def mature_offers(to_year: int, user) -> list:
    """成熟 projects not yet on a list, offered when year `to_year`'s list is started."""
    from django.urls import reverse

    from pipeline.choices import PipelineStage
    from pipeline.selectors import visible_pipeline
    from registry.year_offers import Offer

    rows = visible_pipeline(user).filter(stage=PipelineStage.MATURE, project__isnull=True)
    return [
        Offer(
            name=p.name,
            region=p.region.name,
            amount=p.total_investment,
            note=f"成熟（{p.mature_on:%Y-%m-%d}）" if p.mature_on else "成熟",
            url=reverse("pipeline:detail", args=[p.pk]),
        )
        for p in rows.order_by("region__code", "-total_investment")[:200]
    ]
