"""Pictures drawn on the server as SVG: counts over time, the timeline, maps with country outlines, and where an
article's cited passages sit. No script, no CDN; every mark links to the passage it came from."""

from .charts import busy_window, count_chart, covered, passage_bar, timeline_chart
from .maps import country_at, place_map

__all__ = ["busy_window", "count_chart", "covered", "timeline_chart", "passage_bar", "place_map", "country_at"]
