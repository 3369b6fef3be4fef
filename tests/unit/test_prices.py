"""The one price list (ociconsole/lang/prices.json): every rule names a part that exists and a source, and the
rules bill what they say (a flexible instance by OCPU and GB, an Autonomous Database by ECPU and storage in GB or
TB, a flexible load balancer by its base and Mbps)."""

from __future__ import annotations

import pytest

from ociconsole.catalog import pricing
from ociconsole.lang import prices


def test_every_rule_names_a_known_part_and_every_part_a_source():
    parts = prices.parts()
    assert all(p.source.startswith("https://") for p in parts.values())
    for kind, rules in prices.all_rules().items():
        for r in rules:
            assert r.part in parts, (kind, r.part)
            assert r.per in ("hour", "month")
    # the console's create dialogs read the same parts
    assert pricing.price("B93113").usd == parts["B93113"].usd == 0.025


def billed(kind: str, doc: dict, state: str) -> dict[str, float]:
    """part -> USD per hour of `doc` in `state`."""
    out: dict[str, float] = {}
    for r in prices.rules(kind):
        if (r.states is None or state in r.states) and prices.matches(r, doc):
            q = prices.quantity(r, doc)
            if q > 0:
                out[r.part] = out.get(r.part, 0.0) + prices.hourly(r, q)
    return out


def test_instances_volumes_databases_and_load_balancers():
    inst = {"shape": "VM.Standard.E4.Flex", "shapeConfig": {"ocpus": 2, "memoryInGBs": 32}}
    assert billed("instance", inst, "RUNNING") == {"B93113": 0.05, "B93114": pytest.approx(0.048)}
    assert billed("instance", inst, "STOPPED") == {}
    boot = {"sizeInGBs": 100, "vpusPerGB": 20}
    assert sum(billed("bootvolume", boot, "AVAILABLE").values()) == pytest.approx(
        (100 * 0.0255 + 100 * 20 * 0.0017) / 744)
    adb = {"computeModel": "ECPU", "dbWorkload": "OLTP", "computeCount": 2, "dataStorageSizeInTBs": 1}
    assert billed("autonomous_database", adb, "AVAILABLE") == {
        "B95702": pytest.approx(0.672), "B95706": pytest.approx(1024 * 0.1156 / 744)}
    assert list(billed("autonomous_database", adb, "STOPPED")) == ["B95706"]  # storage only while stopped
    gb = dict(adb, dataStorageSizeInGBs=20, dbWorkload="DW")
    assert billed("autonomous_database", gb, "AVAILABLE") == {
        "B95701": pytest.approx(0.672), "B95706": pytest.approx(20 * 0.1156 / 744)}
    lb = {"shapeName": "flexible", "shapeDetails": {"minimumBandwidthInMbps": 100}}
    assert billed("load_balancer", lb, "ACTIVE") == {"B93030": 0.0113, "B93031": pytest.approx(0.01)}
