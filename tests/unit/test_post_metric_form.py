"""Monitoring > Post custom metric…: the next post starts from the last one's fields, in the same tenancy only
(a compartment of another tenancy, remembered from an earlier connection, would send the post there)."""

from __future__ import annotations

from types import SimpleNamespace

from ociconsole.catalog import monitoring
from ociconsole.catalog.forms import FormContext


def _ctx(tenancy: str) -> FormContext:
    return FormContext(SimpleNamespace(tenancy_id=f"ocid1.tenancy.oc1..{tenancy}"),
                       f"ocid1.compartment.oc1..{tenancy}1")


def test_the_last_post_is_remembered_per_tenancy(monkeypatch):
    monkeypatch.setattr(monitoring, "LAST_POST", {})
    a, b = _ctx("a"), _ctx("b")
    form = monitoring.POST_METRIC_FORM
    form.build({"compartment_id": a.compartment_id, "namespace": "lab_app", "name": "QueueDepth",
                "dimensions": "queue=orders", "value": "1", "timestamp": ""}, a)
    default = {f.name: f.default_from for f in form.fields if f.default_from is not None}
    assert default["compartment_id"]({}, a) == a.compartment_id
    assert default["namespace"]({}, a) == "lab_app"
    assert default["compartment_id"]({}, b) is None  # the dialog starts at b's current compartment
    assert default["namespace"]({}, b) is None
