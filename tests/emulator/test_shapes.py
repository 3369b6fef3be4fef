"""Shapes and images: flexible-shape bounds, fixed shapes, image/shape compatibility, image filters."""

from __future__ import annotations

import oci
import pytest

from .helpers import M, launch_details, launch_running


def _launch_error(clients, net, **overrides) -> tuple[int, str, str]:
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.compute.launch_instance(launch_details(net, **overrides))
    return ei.value.status, ei.value.code, ei.value.message


def _flex(ocpus=None, mem=None, **kw):
    return M.LaunchInstanceShapeConfigDetails(ocpus=ocpus, memory_in_gbs=mem, **kw)


def test_list_shapes_reports_real_bounds(clients):
    shapes = {s.shape: s for s in clients.compute.list_shapes(clients.tenancy).data}
    e4 = shapes["VM.Standard.E4.Flex"]
    assert e4.is_flexible and e4.ocpu_options.min == 1 and e4.ocpu_options.max == 64
    assert e4.memory_options.min_per_ocpu_in_gbs == 1 and e4.memory_options.max_per_ocpu_in_gbs == 64
    assert not shapes["VM.Standard2.1"].is_flexible and shapes["VM.Standard2.1"].memory_in_gbs == 15
    assert shapes["VM.Standard.E2.1.Micro"].billing_type == "ALWAYS_FREE"


@pytest.mark.parametrize("ocpus", [0, 65, 1.5])
def test_flex_ocpus_out_of_range(clients, net, ocpus):
    status, code, msg = _launch_error(clients, net, shape_config=_flex(ocpus, 16))
    assert (status, code) == (400, "InvalidParameter")
    assert "shapeConfig.ocpus" in msg


@pytest.mark.parametrize("ocpus, mem, hint", [
    (2, 1, "2 to 128 GB"),  # below 1 GB per OCPU
    (2, 200, "2 to 128 GB"),  # above 64 GB per OCPU
    (64, 2048, "1 to 1024 GB"),  # above the shape's total
    (2, 16.5, "whole number"),
])
def test_flex_memory_per_ocpu_out_of_range(clients, net, ocpus, mem, hint):
    status, code, msg = _launch_error(clients, net, shape_config=_flex(ocpus, mem))
    assert (status, code) == (400, "InvalidParameter")
    assert "shapeConfig.memoryInGBs" in msg and hint in msg


def test_flex_shape_needs_a_shape_config(clients, net):
    status, code, msg = _launch_error(clients, net, shape_config=None)
    assert (status, code) == (400, "MissingParameter")
    assert "shapeConfig.ocpus" in msg and "VM.Standard.E4.Flex" in msg


def test_flex_memory_defaults_per_ocpu(clients, net):
    inst = launch_running(clients, net, shape_config=_flex(3))
    assert inst.shape_config.ocpus == 3 and inst.shape_config.memory_in_gbs == 48  # 16 GB per OCPU
    assert inst.shape_config.vcpus == 6


def test_flex_bounds_on_update(clients, net):
    inst = launch_running(clients, net)
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.compute.update_instance(inst.id, M.UpdateInstanceDetails(
            shape_config=M.UpdateInstanceShapeConfigDetails(ocpus=100)))
    assert ei.value.status == 400 and "out of range" in ei.value.message
    assert clients.compute.get_instance(inst.id).data.shape_config.ocpus == 1


def test_fixed_shape_rejects_another_size(clients, net):
    inst = launch_running(clients, net, shape="VM.Standard2.2", shape_config=None)
    assert inst.shape_config.ocpus == 2 and inst.shape_config.memory_in_gbs == 30
    status, code, msg = _launch_error(clients, net, shape="VM.Standard2.2", shape_config=_flex(4, 60))
    assert (status, code) == (400, "InvalidParameter") and "fixed shape" in msg


def test_unknown_shape(clients, net):
    status, code, msg = _launch_error(clients, net, shape="VM.Imaginary.Flex")
    assert (status, code) == (400, "InvalidParameter") and "VM.Imaginary.Flex" in msg


def test_aarch64_image_on_x86_shape_is_rejected(clients, net):
    status, code, msg = _launch_error(
        clients, net, source_details=M.InstanceSourceViaImageDetails(image_id=net.arm_image_id))
    assert (status, code) == (400, "InvalidParameter")
    assert "not compatible" in msg and "VM.Standard.E4.Flex" in msg
    # and the other way round
    status, _code, msg = _launch_error(clients, net, shape="VM.Standard.A1.Flex", shape_config=_flex(1, 6))
    assert status == 400 and "not compatible" in msg


def test_aarch64_image_on_ampere_shape_launches(clients, net):
    inst = launch_running(clients, net, shape="VM.Standard.A1.Flex", shape_config=_flex(4, 24),
                          source_details=M.InstanceSourceViaImageDetails(image_id=net.arm_image_id))
    assert inst.shape_config.vcpus == 4  # one vCPU per Ampere OCPU


def test_windows_image_needs_a_large_enough_boot_volume(clients, net):
    win = next(i for i in clients.compute.list_images(net.compartment_id, operating_system="Windows").data)
    status, _code, msg = _launch_error(clients, net, source_details=M.InstanceSourceViaImageDetails(
        image_id=win.id, boot_volume_size_in_gbs=100))
    assert status == 400 and "256" in msg


def test_list_images_by_shape_and_operating_system(clients):
    t = clients.tenancy
    everything = clients.compute.list_images(t).data
    assert len(everything) == 10 and all(i.compartment_id is None for i in everything)
    arm = clients.compute.list_images(t, shape="VM.Standard.A1.Flex").data
    assert arm and all("aarch64" in i.display_name for i in arm)
    micro = {i.operating_system for i in clients.compute.list_images(t, shape="VM.Standard.E2.1.Micro").data}
    assert "Windows" not in micro and "Oracle Linux" in micro
    ubuntu = clients.compute.list_images(t, operating_system="Canonical Ubuntu").data
    assert {i.operating_system for i in ubuntu} == {"Canonical Ubuntu"} and len(ubuntu) == 3
    both = clients.compute.list_images(t, operating_system="Canonical Ubuntu", shape="VM.Standard.E4.Flex").data
    assert sorted(i.operating_system_version for i in both) == ["22.04", "24.04"]
    ol8 = clients.compute.list_images(t, operating_system="Oracle Linux", operating_system_version="8").data
    assert {i.operating_system_version for i in ol8} == {"8"} and len(ol8) == 2


def test_shape_compatibility_entries_and_shapes_for_an_image(clients, net):
    entries = clients.compute.list_image_shape_compatibility_entries(net.arm_image_id).data
    assert {e.shape for e in entries} == {"VM.Standard.A1.Flex"}
    assert clients.compute.get_image_shape_compatibility_entry(net.arm_image_id, "VM.Standard.A1.Flex").data
    with pytest.raises(oci.exceptions.ServiceError) as ei:
        clients.compute.get_image_shape_compatibility_entry(net.arm_image_id, "VM.Standard.E4.Flex")
    assert ei.value.status == 404
    shapes = {s.shape for s in clients.compute.list_shapes(clients.tenancy, image_id=net.image_id).data}
    assert "VM.Standard.E4.Flex" in shapes and "VM.Standard.A1.Flex" not in shapes
