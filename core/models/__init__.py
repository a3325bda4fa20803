from core.models.exports import ExportJob
from core.models.notices import Notice

__all__ = ["ExportJob", "Notice"]
