"""xiaozhen: the registry of Jilin Province's characteristic industry towns (特色产业小镇)."""

__version__ = "0.1.0"
