"""Data Science (`/data_science`): projects, notebook sessions, models and their artifacts, model deployments
with a predict endpoint, jobs and job runs.
"""

from __future__ import annotations

from ..registry import Service

svc = Service("data_science", name="data_science")
