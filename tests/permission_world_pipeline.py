"""Pipeline objects of the permission matrix world (tests/permission_world.py): a pipeline
project with a document and a county 集中开工 batch in each county."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from pipeline.models import PipelineDocument, PipelineProject, StartBatch


def build_pipeline(w):
    projects, documents, batches = [], [], []
    for side, county, unit, listed in (
        ("A", w.county_a, w.unit_a, w.pa),
        ("B", w.county_b, w.unit_b, w.pb),
    ):
        pp = PipelineProject.objects.create(
            name=f"{county.name}谋划{side}号园区", region=county, unit=unit, category="industry",
            total_investment=Decimal("12000"), stage="preparation",
            idea_on=datetime.date(2025, 10, 1), reserve_on=datetime.date(2026, 1, 5),
            preparation_on=datetime.date(2026, 3, 1),
        )  # fmt: skip
        projects.append(pp)
        doc = PipelineDocument(pipeline_project=pp, kind="approval", title=f"{pp.name}可研",
                               original_name="可研.pdf")  # fmt: skip
        doc.file.save("doc.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
        doc.save()
        documents.append(doc)
        batch = StartBatch.objects.create(
            name=f"{county.name}一季度集中开工", held_on=datetime.date(2026, 3, 1), region=county
        )
        batch.projects.set([listed])
        batches.append(batch)
    w.objects["pipeline"] = tuple(projects)
    w.objects["pipeline_document"] = tuple(documents)
    w.objects["start_batch"] = tuple(batches)
