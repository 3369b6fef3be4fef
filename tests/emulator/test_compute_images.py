"""Custom images through the real SDK: created from an instance (the instance is CREATING_IMAGE until
the image is AVAILABLE), updated, moved, shape compatibility, exported to and imported from Object
Storage (a real object), deleted; platform images cannot be changed."""

from __future__ import annotations

import oci
import pytest

from .helpers import WAIT, M, launch_running, wait_state


def wr_done(c, resp):
    wr_id = resp.headers["opc-work-request-id"]
    return oci.wait_until(c.work_requests, c.work_requests.get_work_request(wr_id), "status", "SUCCEEDED",
                          **WAIT).data


@pytest.fixture
def os_client(emulator, oci_config):
    from .helpers import NO_RETRY
    return oci.object_storage.ObjectStorageClient(oci_config, service_endpoint=emulator.endpoint("object_storage"),
                                                  **NO_RETRY)


def test_image_from_an_instance_then_update_move_compat_delete(clients, net):
    c = clients
    inst = launch_running(c, net)
    resp = c.compute.create_image(M.CreateImageDetails(compartment_id=net.compartment_id, instance_id=inst.id,
                                                       display_name="golden", freeform_tags={"v": "1"}))
    img = resp.data
    assert img.lifecycle_state == "PROVISIONING" and img.base_image_id == net.image_id
    assert c.compute.get_instance(inst.id).data.lifecycle_state in ("CREATING_IMAGE", "RUNNING")
    assert wr_done(c, resp).status == "SUCCEEDED"
    img = wait_state(c.compute, c.compute.get_image, img.id, "AVAILABLE")
    assert (img.operating_system, img.operating_system_version) == ("Oracle Linux", "9")
    assert img.size_in_mbs == 50 * 1024 and img.freeform_tags == {"v": "1"}
    assert c.compute.get_instance(inst.id).data.lifecycle_state == "RUNNING"
    assert img.id in [i.id for i in c.compute.list_images(net.compartment_id).data]
    # launch from it
    launch_running(c, net, source_details=M.InstanceSourceViaImageDetails(image_id=img.id))
    # update
    up = c.compute.update_image(img.id, M.UpdateImageDetails(display_name="golden-2",
                                                             operating_system_version="9.4")).data
    assert up.display_name == "golden-2" and up.operating_system_version == "9.4"
    # shape compatibility
    shapes = [e.shape for e in c.compute.list_image_shape_compatibility_entries(img.id).data]
    assert "VM.Standard.E4.Flex" in shapes and "VM.Standard.A1.Flex" not in shapes
    c.compute.remove_image_shape_compatibility_entry(img.id, "VM.Standard2.1")
    assert "VM.Standard2.1" not in [e.shape for e in c.compute.list_image_shape_compatibility_entries(img.id).data]
    e = c.compute.add_image_shape_compatibility_entry(
        img.id, "VM.Standard3.Flex",
        add_image_shape_compatibility_entry_details=M.AddImageShapeCompatibilityEntryDetails(
            ocpu_constraints=M.ImageOcpuConstraints(min=2, max=8))).data
    assert e.shape == "VM.Standard3.Flex" and e.ocpu_constraints.max == 8
    c.compute.add_image_shape_compatibility_entry(img.id, "VM.Standard2.1")
    with pytest.raises(oci.exceptions.ServiceError) as ex:
        c.compute.add_image_shape_compatibility_entry(img.id, "VM.Standard.A1.Flex")
    assert ex.value.status == 400
    # move
    dest = c.identity.create_compartment(oci.identity.models.CreateCompartmentDetails(
        compartment_id=c.tenancy, name="images-dest", description="d")).data
    c.compute.change_image_compartment(img.id, M.ChangeImageCompartmentDetails(compartment_id=dest.id))
    assert c.compute.get_image(img.id).data.compartment_id == dest.id
    # platform images: not changed, moved or deleted
    for call in (lambda: c.compute.delete_image(net.image_id),
                 lambda: c.compute.update_image(net.image_id, M.UpdateImageDetails(display_name="x")),
                 lambda: c.compute.change_image_compartment(net.image_id, M.ChangeImageCompartmentDetails(
                     compartment_id=dest.id)),
                 lambda: c.compute.remove_image_shape_compatibility_entry(net.image_id, "VM.Standard2.1")):
        with pytest.raises(oci.exceptions.ServiceError) as ex:
            call()
        assert ex.value.status == 404 and "platform image" in ex.value.message
    c.compute.delete_image(img.id)
    assert c.compute.get_image(img.id).data.lifecycle_state == "DELETED"


def test_export_to_a_bucket_and_import_back(clients, net, os_client):
    c = clients
    ns = os_client.get_namespace().data
    os_client.create_bucket(ns, oci.object_storage.models.CreateBucketDetails(name="images",
                                                                              compartment_id=net.compartment_id))
    inst = launch_running(c, net)
    img = c.compute.create_image(M.CreateImageDetails(compartment_id=net.compartment_id, instance_id=inst.id)).data
    img = wait_state(c.compute, c.compute.get_image, img.id, "AVAILABLE")
    assert img.display_name.startswith("image")
    with pytest.raises(oci.exceptions.ServiceError) as ex:
        c.compute.export_image(img.id, M.ExportImageViaObjectStorageTupleDetails(
            bucket_name="nope", namespace_name=ns, object_name="x.qcow2"))
    assert ex.value.status == 404
    resp = c.compute.export_image(img.id, M.ExportImageViaObjectStorageTupleDetails(
        bucket_name="images", namespace_name=ns, object_name="golden.qcow2", export_format="QCOW2"))
    assert resp.data.lifecycle_state == "EXPORTING" and wr_done(c, resp).operation_type == "ExportImage"
    assert wait_state(c.compute, c.compute.get_image, img.id, "AVAILABLE")
    data = os_client.get_object(ns, "images", "golden.qcow2").data.content
    assert data[:4] == b"QFI\xfb" and img.id.encode() in data
    uri = f"https://objectstorage.us-ashburn-1.oraclecloud.com/n/{ns}/b/images/o/golden.qcow2"
    resp = c.compute.create_image(M.CreateImageDetails(
        compartment_id=net.compartment_id, display_name="imported",
        image_source_details=M.ImageSourceViaObjectStorageUriDetails(
            source_uri=uri, source_image_type="QCOW2", operating_system="Oracle Linux",
            operating_system_version="9")))
    assert resp.data.lifecycle_state == "IMPORTING"
    assert wr_done(c, resp).status == "SUCCEEDED"
    imp = wait_state(c.compute, c.compute.get_image, resp.data.id, "AVAILABLE")
    assert imp.launch_mode == "PARAVIRTUALIZED" and imp.operating_system == "Oracle Linux"
    with pytest.raises(oci.exceptions.ServiceError) as ex:
        c.compute.create_image(M.CreateImageDetails(
            compartment_id=net.compartment_id, image_source_details=M.ImageSourceViaObjectStorageUriDetails(
                source_uri=uri.replace("golden", "missing"))))
    assert ex.value.status == 404 and ex.value.code == "ObjectNotFound"
