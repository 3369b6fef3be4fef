"""Lazy list models read exactly what the SDK's deserializer would produce."""

from __future__ import annotations

import asyncio

import oci
import pytest

from ociconsole.core.connection import connection_for_emulator
from ociconsole.core.lazy import LazyModel
from ociconsole.services.runtime import Session

from ..conftest import make_emulator


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    emu = make_emulator(tmp_path_factory.mktemp("lazy"))
    s = Session(connection_for_emulator(emu.client_config(), emu.base_url))
    yield s
    s.close()
    emu.stop()


CALLS = [
    ("identity", "list_compartments", lambda t: ((t,), {"compartment_id_in_subtree": True})),
    ("compute", "list_shapes", lambda t: ((t,), {})),
    ("compute", "list_images", lambda t: ((t,), {})),
    ("identity", "list_policies", lambda t: ((t,), {})),
    ("identity", "list_users", lambda t: ((t,), {})),
]


@pytest.mark.parametrize("service, method, args", CALLS)
def test_lazy_lists_equal_sdk_deserialization(session, service, method, args):
    a, kw = args(session.tenancy_id)

    async def both():
        sdk = await session.call(service, method, *a, **kw)
        lazy = await session.call(service, method, *a, lazy=True, **kw)
        return sdk.data, lazy.data
    sdk, lazy = asyncio.run(both())
    assert len(sdk) == len(lazy) > 0
    assert all(isinstance(x, LazyModel) for x in lazy)
    assert [oci.util.to_dict(x) for x in sdk] == [oci.util.to_dict(x) for x in lazy]


def test_instances_in_every_compartment_and_nested_attributes(session):
    async def go():
        comps = await session.list_all("identity", "list_compartments", session.tenancy_id,
                                       compartment_id_in_subtree=True)
        pairs = []
        for c in comps:
            sdk = (await session.call("compute", "list_instances", c.id)).data
            lazy = await session.list_all("compute", "list_instances", c.id)
            pairs += list(zip(sdk, lazy, strict=False))
        return pairs
    pairs = asyncio.run(go())
    assert len(pairs) >= 10
    for sdk, lazy in pairs:
        assert oci.util.to_dict(sdk) == oci.util.to_dict(lazy)
        assert lazy.shape_config.ocpus == sdk.shape_config.ocpus
        assert lazy.source_details.source_type == sdk.source_details.source_type
        assert lazy.time_created == sdk.time_created and lazy.time_created.tzinfo is not None
        assert oci.util.to_dict(lazy.to_sdk()) == oci.util.to_dict(sdk)
    with pytest.raises(AttributeError):
        _ = pairs[0][1].no_such_field
    with pytest.raises(AttributeError):
        pairs[0][1].display_name = "x"


def test_a_large_json_array_is_decoded_element_by_element_the_same():
    """core.lazy.loads decodes a large array one element at a time (the GUI thread gets the GIL between two):
    the same values as json.loads, whitespace anywhere, errors for broken text."""
    import json

    import pytest

    from ociconsole.core.lazy import CHUNKED_BYTES, loads
    pts = [{"timestamp": f"2026-12-07T06:{i % 60:02d}:00.000Z", "value": i * 0.5} for i in range(1440)]
    data = [{"name": "CpuUtilization", "dimensions": {"resourceId": f"r{j}"}, "aggregatedDatapoints": pts}
            for j in range(15)]
    text = json.dumps(data)
    assert len(text) > CHUNKED_BYTES
    for t in (text, json.dumps(data, indent=2), " \n" + text + "\n ", text.encode(), json.dumps({"items": data})):
        assert loads(t) == json.loads(t)
    assert loads("[]") == [] and loads(" [ ] ") == []
    for broken in (text[:-1], text + "x", text[:-1] + ",]"):
        with pytest.raises(ValueError):
            loads(broken)


def test_raw_clients_decode_a_large_answer_as_the_sdk_does():
    """A skip_deserialization client's large answer: the same parsed JSON as the SDK's own decoding."""
    import json

    import oci

    from ociconsole.core.lazy import raw_deserializer
    class Raw:  # what BaseClient.deserialize_response_data reads of its client
        skip_deserialization = True
        _allow_control_chars = None
        should_allow_control_chars = oci.base_client.BaseClient.should_allow_control_chars
        deserialize_response_data = oci.base_client.BaseClient.deserialize_response_data
    base = Raw()
    ours = raw_deserializer(base)
    big = json.dumps([{"id": f"ocid1.instance.oc1..{i}", "displayName": "x" * 40} for i in range(2000)]).encode()
    for body, kind in ((big, "list[Instance]"), (b'{"a": 1}', "Thing"), (b"not json", "str"), (b'"text"', "str")):
        assert ours(body, kind) == base.deserialize_response_data(body, kind)
