"""The dashboard's card of the latest 集中开工 batch: a page that shows it loads this library
and writes `{% latest_start_batch %}`, so the dashboard's view needs nothing from pipeline."""

from django import template

from pipeline.batches import latest_batch

register = template.Library()


@register.inclusion_tag("pipeline/_latest_batch.html", takes_context=True)
def latest_start_batch(context):
    request = context.get("request")
    return {"latest": latest_batch(request.user) if request is not None else None}
