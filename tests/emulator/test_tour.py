"""The generic guard: every operation the emulator implements is called through the SDK, and every
response it returns is checked against the SDK's model (strict mode turns a mismatch into a 500
and records it in `core.strict_violations`).

Adding a handler without adding it to the tour fails `test_tour_calls_every_handler`; returning a
document that does not fit the SDK model fails the tour itself.
"""

from __future__ import annotations

import oci

from ociconsole.emulator.spec import module_specs

from .helpers import IM, NO_RETRY, Clients, M, launch_details, wait_state

WAIT = {"max_wait_seconds": 15, "max_interval_seconds": 1}
TAGS = {"freeform_tags": {"team": "tour"}, "defined_tags": {"Operations": {"Environment": "dev"}}}


def _wr_done(client, wr_id: str):
    return oci.wait_until(client, client.get_work_request(wr_id), "status", "SUCCEEDED", **WAIT).data


def _tour_identity(c: Clients) -> None:
    idc, t = c.identity, c.tenancy
    assert idc.get_tenancy(t).data.id == t
    assert {r.name for r in idc.list_regions().data} >= {"us-ashburn-1", "us-phoenix-1"}
    subs = idc.create_region_subscription(IM.CreateRegionSubscriptionDetails(region_key="FRA"), t).data
    assert subs.region_name == "eu-frankfurt-1"
    assert "eu-frankfurt-1" in {s.region_name for s in idc.list_region_subscriptions(t).data}
    ads = idc.list_availability_domains(t).data
    assert len(idc.list_fault_domains(t, ads[0].name).data) == 3

    # compartments
    comps = idc.list_compartments(t, compartment_id_in_subtree=True, access_level="ACCESSIBLE").data
    for comp in comps:
        assert idc.get_compartment(comp.id).data.name == comp.name
    assert idc.get_compartment(t).data.id == t  # the root compartment
    home = idc.create_compartment(IM.CreateCompartmentDetails(compartment_id=t, name="tour", description="tour",
                                                              **TAGS)).data
    moving = idc.create_compartment(IM.CreateCompartmentDetails(compartment_id=t, name="tour-moving",
                                                                description="d")).data
    idc.update_compartment(moving.id, IM.UpdateCompartmentDetails(description="moved", freeform_tags={"a": "b"}))
    _wr_done(idc, idc.move_compartment(moving.id, IM.MoveCompartmentDetails(
        target_compartment_id=home.id)).headers["opc-work-request-id"])
    _wr_done(idc, idc.delete_compartment(moving.id).headers["opc-work-request-id"])
    assert idc.recover_compartment(moving.id).data.lifecycle_state == "ACTIVE"
    # a work request belongs to the compartment that holds the resource: the move in the tenancy
    # (an operation type the SDK does not enumerate), the delete in the new parent
    assert [w.operation_type for w in idc.list_work_requests(t).data] == ["UNKNOWN_ENUM_VALUE"]
    assert [w.operation_type for w in idc.list_work_requests(home.id).data] == ["DELETE_COMPARTMENT"]

    # users, groups, memberships, API keys
    from ociconsole.emulator import auth as emu_auth
    user = idc.create_user(IM.CreateUserDetails(compartment_id=t, name="tour-user", description="tour",
                                                email="tour@example.com", **TAGS)).data
    assert "tour-user" in {u.name for u in idc.list_users(t).data}
    assert idc.get_user(user.id).data.email == "tour@example.com"
    idc.update_user(user.id, IM.UpdateUserDetails(description="updated"))
    assert idc.update_user_state(user.id, IM.UpdateStateDetails(blocked=True)).data.lifecycle_state == "INACTIVE"
    idc.update_user_state(user.id, IM.UpdateStateDetails(blocked=False))
    pub = emu_auth.public_pem(emu_auth.generate_private_key().public_key())
    key = idc.upload_api_key(user.id, IM.CreateApiKeyDetails(key=pub)).data
    assert [k.fingerprint for k in idc.list_api_keys(user.id).data] == [key.fingerprint]
    idc.delete_api_key(user.id, key.fingerprint)
    group = idc.create_group(IM.CreateGroupDetails(compartment_id=t, name="tour-group", description="g")).data
    assert "tour-group" in {g.name for g in idc.list_groups(t).data}
    idc.get_group(group.id)
    idc.update_group(group.id, IM.UpdateGroupDetails(description="g2"))
    member = idc.add_user_to_group(IM.AddUserToGroupDetails(user_id=user.id, group_id=group.id)).data
    assert [m.id for m in idc.list_user_group_memberships(t, user_id=user.id).data] == [member.id]
    idc.get_user_group_membership(member.id)

    # policies (statements refer to the group and compartment made above)
    policy = idc.create_policy(IM.CreatePolicyDetails(
        compartment_id=t, name="tour-policy", description="p",
        statements=["Allow group tour-group to read instance-family in compartment tour"])).data
    assert "tour-policy" in {p.name for p in idc.list_policies(t).data}
    idc.get_policy(policy.id)
    idc.update_policy(policy.id, IM.UpdatePolicyDetails(
        statements=["Allow group tour-group to manage instance-family in compartment tour"]))
    idc.delete_policy(policy.id)
    idc.remove_user_from_group(member.id)
    idc.delete_group(group.id)
    idc.delete_user(user.id)

    # tag namespaces and tags
    ns = idc.create_tag_namespace(IM.CreateTagNamespaceDetails(compartment_id=t, name="Tour",
                                                               description="ns")).data
    assert "Tour" in {n.name for n in idc.list_tag_namespaces(t, include_subcompartments=True).data}
    idc.get_tag_namespace(ns.id)
    enum = IM.EnumTagDefinitionValidator(validator_type="ENUM", values=["a", "b"])
    tag = idc.create_tag(ns.id, IM.CreateTagDetails(name="Stage", description="s", validator=enum)).data
    assert [x.name for x in idc.list_tags(ns.id).data] == ["Stage"]
    assert idc.get_tag(ns.id, "Stage").data.id == tag.id
    idc.update_tag(ns.id, "Stage", IM.UpdateTagDetails(description="s2", is_cost_tracking=True))
    idc.delete_tag(ns.id, "Stage")
    idc.update_tag_namespace(ns.id, IM.UpdateTagNamespaceDetails(is_retired=True))
    idc.delete_tag_namespace(ns.id)


def _tour_network_and_compute(c: Clients) -> None:
    idc, vn, cc, bs, wrc = c.identity, c.network, c.compute, c.blockstorage, c.work_requests
    t = c.tenancy
    comp = next(x for x in idc.list_compartments(t).data if x.name == "tour").id
    ad = idc.list_availability_domains(t).data[0].name

    vcn = vn.create_vcn(M.CreateVcnDetails(compartment_id=comp, cidr_block="10.200.0.0/16", display_name="tour-vcn",
                                           dns_label="tour", **TAGS)).data
    wait_state(vn, vn.get_vcn, vcn.id, "AVAILABLE")
    vn.update_vcn(vcn.id, M.UpdateVcnDetails(display_name="tour-vcn-2"))
    assert [v.id for v in vn.list_vcns(comp).data] == [vcn.id]
    igw = vn.create_internet_gateway(M.CreateInternetGatewayDetails(compartment_id=comp, vcn_id=vcn.id,
                                                                    is_enabled=True)).data
    nat = vn.create_nat_gateway(M.CreateNatGatewayDetails(compartment_id=comp, vcn_id=vcn.id)).data
    wait_state(vn, vn.get_internet_gateway, igw.id, "AVAILABLE")
    wait_state(vn, vn.get_nat_gateway, nat.id, "AVAILABLE")
    vn.update_internet_gateway(igw.id, M.UpdateInternetGatewayDetails(is_enabled=False))
    vn.update_nat_gateway(nat.id, M.UpdateNatGatewayDetails(block_traffic=True))
    assert [g.id for g in vn.list_internet_gateways(comp, vcn_id=vcn.id).data] == [igw.id]
    assert [g.id for g in vn.list_nat_gateways(comp, vcn_id=vcn.id).data] == [nat.id]
    rt = vn.create_route_table(M.CreateRouteTableDetails(compartment_id=comp, vcn_id=vcn.id, route_rules=[
        M.RouteRule(destination="0.0.0.0/0", destination_type="CIDR_BLOCK", network_entity_id=igw.id)])).data
    wait_state(vn, vn.get_route_table, rt.id, "AVAILABLE")
    vn.update_route_table(rt.id, M.UpdateRouteTableDetails(route_rules=[
        M.RouteRule(destination="0.0.0.0/0", destination_type="CIDR_BLOCK", network_entity_id=nat.id)]))
    assert len(vn.list_route_tables(comp, vcn_id=vcn.id).data) == 2
    sl = vn.create_security_list(M.CreateSecurityListDetails(
        compartment_id=comp, vcn_id=vcn.id, egress_security_rules=[],
        ingress_security_rules=[M.IngressSecurityRule(source="10.0.0.0/8", protocol="17", udp_options=M.UdpOptions(
            destination_port_range=M.PortRange(min=53, max=53)))])).data
    wait_state(vn, vn.get_security_list, sl.id, "AVAILABLE")
    vn.update_security_list(sl.id, M.UpdateSecurityListDetails(egress_security_rules=[
        M.EgressSecurityRule(destination="0.0.0.0/0", protocol="all")]))
    assert len(vn.list_security_lists(comp, vcn_id=vcn.id).data) == 2
    dhcp = vn.list_dhcp_options(comp, vcn_id=vcn.id).data
    assert vn.get_dhcp_options(dhcp[0].id).data.vcn_id == vcn.id
    sub = vn.create_subnet(M.CreateSubnetDetails(compartment_id=comp, vcn_id=vcn.id, cidr_block="10.200.1.0/24",
                                                 dns_label="web", display_name="tour-subnet")).data
    wait_state(vn, vn.get_subnet, sub.id, "AVAILABLE")
    vn.update_subnet(sub.id, M.UpdateSubnetDetails(display_name="tour-subnet-2", security_list_ids=[sl.id]))
    assert [s.id for s in vn.list_subnets(comp, vcn_id=vcn.id).data] == [sub.id]

    # shapes and images
    assert {s.shape for s in cc.list_shapes(comp).data} >= {"VM.Standard.E4.Flex", "VM.Standard.A1.Flex"}
    image = cc.list_images(comp, operating_system="Oracle Linux", shape="VM.Standard.E4.Flex").data[0]
    assert cc.get_image(image.id).data.id == image.id
    assert cc.list_image_shape_compatibility_entries(image.id).data
    cc.get_image_shape_compatibility_entry(image.id, "VM.Standard.E4.Flex")

    # an instance and everything around it
    net = type("N", (), {"compartment_id": comp, "ad": ad, "image_id": image.id, "subnet_id": sub.id})
    launched = cc.launch_instance(launch_details(net, display_name="tour-vm", **TAGS))
    inst = wait_state(cc, cc.get_instance, launched.data.id, "RUNNING")
    wr_id = launched.headers["opc-work-request-id"]
    assert _wr_done(wrc, wr_id).operation_type == "LaunchInstance"
    assert wr_id in {w.id for w in wrc.list_work_requests(comp).data}
    assert wrc.list_work_request_logs(wr_id).data and wrc.list_work_request_errors(wr_id).data == []
    assert [i.id for i in cc.list_instances(comp).data] == [inst.id]
    cc.update_instance(inst.id, M.UpdateInstanceDetails(display_name="tour-vm-2", freeform_tags={"x": "y"}))
    cc.instance_action(inst.id, "SOFTRESET")
    wait_state(cc, cc.get_instance, inst.id, "RUNNING")

    att = cc.list_vnic_attachments(comp, instance_id=inst.id).data[0]
    assert cc.get_vnic_attachment(att.id).data.vnic_id == att.vnic_id
    vnic = vn.get_vnic(att.vnic_id).data
    priv = vn.list_private_ips(vnic_id=vnic.id).data[0]
    assert vn.get_private_ip(priv.id).data.ip_address == vnic.private_ip
    assert [p.id for p in vn.list_private_ips(subnet_id=sub.id).data] == [priv.id]
    pubs = vn.list_public_ips("AVAILABILITY_DOMAIN", comp, availability_domain=ad).data
    assert [p.ip_address for p in pubs] == [vnic.public_ip]
    assert vn.get_public_ip(pubs[0].id).data.private_ip_id == priv.id
    assert vn.get_public_ip_by_ip_address(M.GetPublicIpByIpAddressDetails(ip_address=vnic.public_ip)).data.id == \
        pubs[0].id
    assert vn.get_public_ip_by_private_ip_id(M.GetPublicIpByPrivateIpIdDetails(private_ip_id=priv.id)).data.id == \
        pubs[0].id

    bva = cc.list_boot_volume_attachments(ad, comp, instance_id=inst.id).data[0]
    assert cc.get_boot_volume_attachment(bva.id).data.boot_volume_id == bva.boot_volume_id
    assert [b.id for b in bs.list_boot_volumes(availability_domain=ad, compartment_id=comp).data] == [
        bva.boot_volume_id]
    bs.update_boot_volume(bva.boot_volume_id, M.UpdateBootVolumeDetails(size_in_gbs=100, vpus_per_gb=20))
    assert bs.get_boot_volume(bva.boot_volume_id).data.size_in_gbs == 100

    # tear it all down
    cc.terminate_instance(inst.id, preserve_boot_volume=True)
    wait_state(cc, cc.get_instance, inst.id, "TERMINATED")
    bs.delete_boot_volume(bva.boot_volume_id)
    wait_state(bs, bs.get_boot_volume, bva.boot_volume_id, "TERMINATED")
    vn.delete_subnet(sub.id)
    wait_state(vn, vn.get_subnet, sub.id, "TERMINATED")
    vn.delete_route_table(rt.id)
    vn.delete_security_list(sl.id)
    vn.delete_nat_gateway(nat.id)
    vn.delete_internet_gateway(igw.id)
    wait_state(vn, vn.get_internet_gateway, igw.id, "TERMINATED")
    vn.delete_vcn(vcn.id)
    wait_state(vn, vn.get_vcn, vcn.id, "TERMINATED")


def _tour_seeded_data(emulator, c: Clients) -> None:
    """List (and get) everything the demo seed holds in both regions: its documents must fit the models too."""
    t = c.tenancy
    comps = [t] + [x.id for x in c.identity.list_compartments(t, compartment_id_in_subtree=True).data]
    for region in ("us-ashburn-1", "us-phoenix-1"):
        ep = emulator.endpoint("core", region)
        signer = c.compute.base_client.signer
        cc = oci.core.ComputeClient(c.config, service_endpoint=ep, signer=signer)
        vn = oci.core.VirtualNetworkClient(c.config, service_endpoint=ep, signer=signer)
        bs = oci.core.BlockstorageClient(c.config, service_endpoint=ep, signer=signer)
        ads = [a.name for a in oci.identity.IdentityClient(
            c.config, service_endpoint=emulator.endpoint("identity", region), signer=signer
        ).list_availability_domains(t).data]
        for comp in comps:
            for inst in cc.list_instances(comp).data:
                cc.get_instance(inst.id)
            for att in cc.list_vnic_attachments(comp).data:
                if att.lifecycle_state == "ATTACHED":
                    vn.get_vnic(att.vnic_id)
            for ad in ads:
                cc.list_boot_volume_attachments(ad, comp)
            bs.list_boot_volumes(compartment_id=comp)
            for vcn in vn.list_vcns(comp).data:
                vn.get_vcn(vcn.id)
            for lister in (vn.list_subnets, vn.list_internet_gateways, vn.list_nat_gateways, vn.list_route_tables,
                           vn.list_security_lists, vn.list_dhcp_options):
                lister(comp)
            vn.list_public_ips("AVAILABILITY_DOMAIN", comp, availability_domain=ads[0])
            vn.list_public_ips("REGION", comp)
            c.identity.list_policies(comp)
        cc.list_images(t)
    for ns in c.identity.list_tag_namespaces(t).data:
        for tag in c.identity.list_tags(ns.id).data:
            c.identity.get_tag(ns.id, tag.name)
    for u in c.identity.list_users(t).data:
        c.identity.list_api_keys(u.id)
    c.identity.list_groups(t)
    c.identity.list_user_group_memberships(t)


def _tour_object_storage(emulator, c: Clients) -> None:
    import datetime

    from oci._vendor import requests
    from oci.object_storage import models as OM

    def client(region=None):
        return oci.object_storage.ObjectStorageClient(c.config, service_endpoint=emulator.endpoint(
            "object_storage", region), signer=c.compute.base_client.signer, **NO_RETRY)

    osc, phx, t = client(), client("us-phoenix-1"), c.tenancy
    ns = osc.get_namespace().data
    assert osc.get_namespace_metadata(ns).data.namespace == ns
    osc.update_namespace_metadata(ns, OM.UpdateNamespaceMetadataDetails(default_s3_compartment_id=t))
    osc.create_bucket(ns, OM.CreateBucketDetails(name="tour", compartment_id=t, versioning="Enabled",
                                                 freeform_tags={"a": "b"}))
    osc.head_bucket(ns, "tour")
    osc.update_bucket(ns, "tour", OM.UpdateBucketDetails(public_access_type="ObjectRead"))
    assert osc.get_bucket(ns, "tour", fields=["approximateCount"]).data.approximate_count == 0
    assert "tour" in [b.name for b in osc.list_buckets(ns, t).data]
    osc.put_object(ns, "tour", "dir/a.txt", b"tour", opc_meta={"k": "v"})
    osc.put_object(ns, "tour", "cold.txt", b"cold", storage_tier="Archive")
    osc.restore_objects(ns, "tour", OM.RestoreObjectsDetails(object_name="cold.txt"))
    osc.update_object_storage_tier(ns, "tour", OM.UpdateObjectStorageTierDetails(object_name="cold.txt",
                                                                                 storage_tier="Standard"))
    assert osc.get_object(ns, "tour", "dir/a.txt").data.content == b"tour"
    osc.head_object(ns, "tour", "dir/a.txt")
    assert osc.list_objects(ns, "tour", delimiter="/").data.prefixes == ["dir/"]
    assert osc.list_object_versions(ns, "tour").data.items
    osc.rename_object(ns, "tour", OM.RenameObjectDetails(source_name="dir/a.txt", new_name="dir/b.txt"))
    wr_id = osc.copy_object(ns, "tour", OM.CopyObjectDetails(
        source_object_name="dir/b.txt", destination_region="us-ashburn-1", destination_namespace=ns,
        destination_bucket="tour", destination_object_name="dir/c.txt")).headers["opc-work-request-id"]
    assert oci.wait_until(osc, osc.get_work_request(wr_id), "status", "COMPLETED", **WAIT).data
    assert osc.list_work_requests(t).data and osc.list_work_request_logs(wr_id).data
    assert osc.list_work_request_errors(wr_id).data == []
    emulator.core.transition_delay = 60
    try:
        slow = osc.copy_object(ns, "tour", OM.CopyObjectDetails(
            source_object_name="dir/b.txt", destination_region="us-ashburn-1", destination_namespace=ns,
            destination_bucket="tour", destination_object_name="dir/d.txt")).headers["opc-work-request-id"]
        osc.cancel_work_request(slow)
    finally:
        emulator.core.transition_delay = 0
    up = osc.create_multipart_upload(ns, "tour", OM.CreateMultipartUploadDetails(object="mp")).data
    etag = osc.upload_part(ns, "tour", "mp", up.upload_id, 1, b"part").headers["etag"]
    assert osc.list_multipart_uploads(ns, "tour").data
    assert osc.list_multipart_upload_parts(ns, "tour", "mp", up.upload_id).data[0].etag == etag
    osc.commit_multipart_upload(ns, "tour", "mp", up.upload_id, OM.CommitMultipartUploadDetails(
        parts_to_commit=[OM.CommitMultipartUploadPartDetails(part_num=1, etag=etag)]))
    up = osc.create_multipart_upload(ns, "tour", OM.CreateMultipartUploadDetails(object="mp2")).data
    osc.abort_multipart_upload(ns, "tour", "mp2", up.upload_id)
    par = osc.create_preauthenticated_request(ns, "tour", OM.CreatePreauthenticatedRequestDetails(
        name="tour-par", access_type="ObjectRead", object_name="mp", time_expires=datetime.datetime.now(
            datetime.UTC) + datetime.timedelta(minutes=5))).data
    assert requests.get(emulator.base_url + par.access_uri).content == b"part"
    assert osc.get_preauthenticated_request(ns, "tour", par.id).data.name == "tour-par"
    assert osc.list_preauthenticated_requests(ns, "tour").data
    osc.delete_preauthenticated_request(ns, "tour", par.id)
    osc.put_object_lifecycle_policy(ns, "tour", OM.PutObjectLifecyclePolicyDetails(items=[OM.ObjectLifecycleRule(
        name="r", action="DELETE", time_amount=30, time_unit="DAYS", is_enabled=True)]))
    assert osc.get_object_lifecycle_policy(ns, "tour").data.items[0].name == "r"
    osc.delete_object_lifecycle_policy(ns, "tour")
    # replication to another region (neither bucket versioned)
    osc.create_bucket(ns, OM.CreateBucketDetails(name="tour-src", compartment_id=t))
    phx.create_bucket(ns, OM.CreateBucketDetails(name="tour-dst", compartment_id=t))
    pol = osc.create_replication_policy(ns, "tour-src", OM.CreateReplicationPolicyDetails(
        name="p", destination_region_name="us-phoenix-1", destination_bucket_name="tour-dst")).data
    osc.put_object(ns, "tour-src", "r.txt", b"r")
    assert phx.get_object(ns, "tour-dst", "r.txt").data.content == b"r"
    assert osc.get_replication_policy(ns, "tour-src", pol.id).data.status == "ACTIVE"
    assert osc.list_replication_policies(ns, "tour-src").data
    assert phx.list_replication_sources(ns, "tour-dst").data
    osc.delete_replication_policy(ns, "tour-src", pol.id)
    phx.make_bucket_writable(ns, "tour-dst")
    # tear down: every version, then the buckets
    for region_client, bucket in ((osc, "tour"), (osc, "tour-src"), (phx, "tour-dst")):
        for v in region_client.list_object_versions(ns, bucket).data.items:
            region_client.delete_object(ns, bucket, v.name, version_id=v.version_id)
        region_client.delete_bucket(ns, bucket)
    # the seeded buckets and objects fit the models too
    for region_client in (osc, phx):
        for comp in [t] + [x.id for x in c.identity.list_compartments(t, compartment_id_in_subtree=True).data]:
            for b in region_client.list_buckets(ns, comp, fields=["tags"]).data:
                region_client.get_bucket(ns, b.name)
                region_client.list_objects(ns, b.name, fields="name,size,md5,etag,timeCreated,timeModified")
                region_client.list_object_versions(ns, b.name)


def _tour_block_volume(emulator, c: Clients) -> None:
    bs, cc, t = c.blockstorage, c.compute, c.tenancy
    comps = [t] + [x.id for x in c.identity.list_compartments(t, compartment_id_in_subtree=True).data]
    inst = next(i for comp in comps for i in cc.list_instances(comp).data
                if i.display_name == "jenkins" and i.lifecycle_state == "RUNNING")
    gold = next(p for p in bs.list_volume_backup_policies().data if p.display_name == "gold")
    vol = bs.create_volume(M.CreateVolumeDetails(compartment_id=inst.compartment_id,
                                                 availability_domain=inst.availability_domain, size_in_gbs=100,
                                                 vpus_per_gb=20, display_name="tour-vol", **TAGS)).data
    wait_state(bs, bs.get_volume, vol.id, "AVAILABLE")
    bs.update_volume(vol.id, M.UpdateVolumeDetails(size_in_gbs=150))
    assert vol.id in [v.id for v in bs.list_volumes(compartment_id=inst.compartment_id).data]
    att = cc.attach_volume(M.AttachIScsiVolumeDetails(type="iscsi", instance_id=inst.id, volume_id=vol.id,
                                                      use_chap=True)).data
    wait_state(cc, cc.get_volume_attachment, att.id, "ATTACHED")
    cc.update_volume_attachment(att.id, M.UpdateVolumeAttachmentDetails(iscsi_login_state="LOGIN_SUCCEEDED"))
    assert [a.id for a in cc.list_volume_attachments(inst.compartment_id, volume_id=vol.id).data] == [att.id]
    pol = bs.create_volume_backup_policy(M.CreateVolumeBackupPolicyDetails(
        compartment_id=inst.compartment_id, display_name="tour-policy", destination_region="us-phoenix-1",
        schedules=[M.VolumeBackupSchedule(backup_type="FULL", period="ONE_WEEK", day_of_week="MONDAY",
                                          retention_seconds=30 * 86400)])).data
    bs.update_volume_backup_policy(pol.id, M.UpdateVolumeBackupPolicyDetails(display_name="tour-policy-2"))
    assert bs.get_volume_backup_policy(pol.id).data.destination_region == "us-phoenix-1"
    asg = bs.create_volume_backup_policy_assignment(M.CreateVolumeBackupPolicyAssignmentDetails(
        asset_id=vol.id, policy_id=pol.id)).data
    assert bs.get_volume_backup_policy_assignment(asg.id).data.asset_id == vol.id
    assert bs.get_volume_backup_policy_asset_assignment(vol.id).data[0].id == asg.id
    bs.delete_volume_backup_policy_assignment(asg.id)
    bs.delete_volume_backup_policy(pol.id)
    bk = bs.create_volume_backup(M.CreateVolumeBackupDetails(volume_id=vol.id, type="FULL")).data
    wait_state(bs, bs.get_volume_backup, bk.id, "AVAILABLE")
    bs.update_volume_backup(bk.id, M.UpdateVolumeBackupDetails(display_name="tour-backup"))
    assert bk.id in [b.id for b in bs.list_volume_backups(inst.compartment_id).data]
    bs.copy_volume_backup(bk.id, M.CopyVolumeBackupDetails(destination_region="us-phoenix-1"))
    restored = bs.create_volume(M.CreateVolumeDetails(
        compartment_id=inst.compartment_id, availability_domain=inst.availability_domain,
        source_details=M.VolumeSourceFromVolumeBackupDetails(type="volumeBackup", id=bk.id),
        backup_policy_id=gold.id)).data
    wait_state(bs, bs.get_volume, restored.id, "AVAILABLE")
    cc.detach_volume(att.id)
    wait_state(cc, cc.get_volume_attachment, att.id, "DETACHED")
    bs.delete_volume_backup(bk.id)
    bs.delete_volume(vol.id)
    bva = cc.list_boot_volume_attachments(inst.availability_domain, inst.compartment_id, instance_id=inst.id).data[0]
    bbk = bs.create_boot_volume_backup(M.CreateBootVolumeBackupDetails(boot_volume_id=bva.boot_volume_id)).data
    wait_state(bs, bs.get_boot_volume_backup, bbk.id, "AVAILABLE")
    bs.update_boot_volume_backup(bbk.id, M.UpdateBootVolumeBackupDetails(display_name="tour-boot-backup"))
    assert bbk.id in [b.id for b in bs.list_boot_volume_backups(inst.compartment_id).data]
    bs.delete_boot_volume_backup(bbk.id)
    # the seeded volumes, attachments, backups and policies fit the models too
    for region in ("us-ashburn-1", "us-phoenix-1"):
        ep = emulator.endpoint("core", region)
        rbs = oci.core.BlockstorageClient(c.config, service_endpoint=ep, signer=c.compute.base_client.signer)
        rcc = oci.core.ComputeClient(c.config, service_endpoint=ep, signer=c.compute.base_client.signer)
        for comp in comps:
            for v in rbs.list_volumes(compartment_id=comp).data:
                rbs.get_volume(v.id)
            rcc.list_volume_attachments(comp)
            rbs.list_volume_backups(comp)
            rbs.list_boot_volume_backups(comp)
            rbs.list_volume_backup_policies(compartment_id=comp)


def _tour_file_storage(emulator, c: Clients) -> None:
    from oci.file_storage import models as FM

    fsc = oci.file_storage.FileStorageClient(c.config, service_endpoint=emulator.endpoint("file_storage"),
                                             signer=c.compute.base_client.signer, **NO_RETRY)
    t = c.tenancy
    comps = {x.name: x.id for x in c.identity.list_compartments(t, compartment_id_in_subtree=True).data}
    comp = comps["Development"]
    ad = c.identity.list_availability_domains(t).data[0].name
    subnet = next(s for s in c.network.list_subnets(comp).data if s.display_name == "dev-vcn-private")
    fs = fsc.create_file_system(FM.CreateFileSystemDetails(compartment_id=comp, availability_domain=ad,
                                                           display_name="tour-fs", **TAGS)).data
    wait_state(fsc, fsc.get_file_system, fs.id, "ACTIVE")
    fsc.update_file_system(fs.id, FM.UpdateFileSystemDetails(display_name="tour-fs-2"))
    assert fs.id in [f.id for f in fsc.list_file_systems(comp, ad).data]
    mt = fsc.create_mount_target(FM.CreateMountTargetDetails(compartment_id=comp, availability_domain=ad,
                                                             subnet_id=subnet.id, display_name="tour-mt")).data
    wait_state(fsc, fsc.get_mount_target, mt.id, "ACTIVE")
    fsc.update_mount_target(mt.id, FM.UpdateMountTargetDetails(display_name="tour-mt-2"))
    assert mt.id in [m.id for m in fsc.list_mount_targets(comp, ad).data]
    assert fsc.get_export_set(mt.export_set_id).data.lifecycle_state == "ACTIVE"
    fsc.update_export_set(mt.export_set_id, FM.UpdateExportSetDetails(display_name="tour-es"))
    assert mt.export_set_id in [e.id for e in fsc.list_export_sets(comp, ad).data]
    ex = fsc.create_export(FM.CreateExportDetails(export_set_id=mt.export_set_id, file_system_id=fs.id,
                                                  path="/tour")).data
    wait_state(fsc, fsc.get_export, ex.id, "ACTIVE")
    fsc.update_export(ex.id, FM.UpdateExportDetails(export_options=[FM.ClientOptions(source="10.30.0.0/16")]))
    assert ex.id in [e.id for e in fsc.list_exports(compartment_id=comp).data]
    snap = fsc.create_snapshot(FM.CreateSnapshotDetails(file_system_id=fs.id, name="tour-snap")).data
    wait_state(fsc, fsc.get_snapshot, snap.id, "ACTIVE")
    fsc.update_snapshot(snap.id, FM.UpdateSnapshotDetails(freeform_tags={"k": "v"}))
    assert [s.id for s in fsc.list_snapshots(file_system_id=fs.id).data] == [snap.id]
    fsc.delete_snapshot(snap.id)
    fsc.delete_export(ex.id)
    wait_state(fsc, fsc.get_export, ex.id, "DELETED")
    fsc.delete_mount_target(mt.id)
    fsc.delete_file_system(fs.id)
    wait_state(fsc, fsc.get_file_system, fs.id, "DELETED")
    # the seeded file storage fits the models too
    for cid in [t] + list(comps.values()):
        for f in fsc.list_file_systems(cid, ad).data:
            fsc.get_file_system(f.id)
            for s in fsc.list_snapshots(file_system_id=f.id).data:
                fsc.get_snapshot(s.id)
        for m in fsc.list_mount_targets(cid, ad).data:
            fsc.get_mount_target(m.id)
            for e in fsc.list_exports(export_set_id=m.export_set_id).data:
                fsc.get_export(e.id)


def _tour_monitoring(emulator, c: Clients) -> None:
    import datetime as dt

    from oci.monitoring import models as MM

    mon = oci.monitoring.MonitoringClient(c.config, service_endpoint=emulator.endpoint("monitoring"),
                                          signer=c.compute.base_client.signer, **NO_RETRY)
    t = c.tenancy
    comp = next(x for x in c.identity.list_compartments(t).data if x.name == "tour").id
    now = dt.datetime.now(dt.UTC)
    posted = mon.post_metric_data(MM.PostMetricDataDetails(metric_data=[MM.MetricDataDetails(
        namespace="tour_app", compartment_id=comp, name="Requests", dimensions={"host": "h1"},
        metadata={"unit": "count"}, resource_group="tour-rg",
        datapoints=[MM.Datapoint(timestamp=now - dt.timedelta(seconds=30 * i), value=float(i), count=1)
                    for i in range(5)])])).data
    assert posted.failed_metrics_count == 0
    data = mon.summarize_metrics_data(comp, MM.SummarizeMetricsDataDetails(
        namespace="tour_app", resource_group="tour-rg", query="Requests[1m].sum()",
        start_time=now - dt.timedelta(minutes=10), end_time=now + dt.timedelta(minutes=2))).data
    assert data and data[0].dimensions == {"host": "h1"}
    assert [m.name for m in mon.list_metrics(comp, MM.ListMetricsDetails(namespace="tour_app")).data] == ["Requests"]
    # every service metric of the demo tenancy fits MetricData, and ListMetrics over the whole tenancy
    for m in {m.name for m in mon.list_metrics(t, MM.ListMetricsDetails(namespace="oci_computeagent"),
                                               compartment_id_in_subtree=True).data}:
        mon.summarize_metrics_data(t, MM.SummarizeMetricsDataDetails(
            namespace="oci_computeagent", query=f"{m}[5m].groupBy(resourceId).max()"), compartment_id_in_subtree=True)

    ons = oci.ons.NotificationControlPlaneClient(c.config, service_endpoint=emulator.endpoint("ons"),
                                                 signer=c.compute.base_client.signer, **NO_RETRY)
    topic = ons.list_topics(t, name="ops-alerts").data[0].topic_id  # destinations must be topics that exist
    alarm = mon.create_alarm(MM.CreateAlarmDetails(
        display_name="tour-alarm", compartment_id=comp, metric_compartment_id=comp, namespace="tour_app",
        resource_group="tour-rg", query="Requests[1m].max() > 100", severity="WARNING", destinations=[topic],
        is_enabled=True, body="tour", pending_duration="PT2M", **TAGS)).data
    assert mon.get_alarm(alarm.id).data.query == "Requests[1m].max() > 100"
    assert [a.id for a in mon.list_alarms(comp).data] == [alarm.id]
    until = now + dt.timedelta(hours=1)
    mon.update_alarm(alarm.id, MM.UpdateAlarmDetails(severity="CRITICAL", suppression=MM.Suppression(
        description="tour", time_suppress_from=now - dt.timedelta(minutes=1), time_suppress_until=until)))
    assert [s.status for s in mon.list_alarms_status(comp).data] == ["SUSPENDED"]
    mon.remove_alarm_suppression(alarm.id)
    assert [s.status for s in mon.list_alarms_status(comp).data] == ["OK"]
    assert mon.get_alarm_history(alarm.id, alarm_historytype="STATE_HISTORY").data.entries
    assert mon.retrieve_dimension_states(alarm.id).data.alarm_id == alarm.id
    sup = mon.create_alarm_suppression(MM.CreateAlarmSuppressionDetails(
        alarm_suppression_target=MM.AlarmSuppressionAlarmTarget(alarm_id=alarm.id), level="DIMENSION",
        display_name="tour-sup", dimensions={"host": "h1"}, time_suppress_from=now, time_suppress_until=until,
        suppression_conditions=[MM.Recurrence(suppression_recurrence="FREQ=DAILY;BYHOUR=3",
                                              suppression_duration="PT1H")])).data
    assert mon.get_alarm_suppression(sup.id).data.display_name == "tour-sup"
    assert [s.id for s in mon.list_alarm_suppressions(alarm_id=alarm.id).data.items] == [sup.id]
    assert [i.suppression_id for i in mon.summarize_alarm_suppression_history(alarm.id).data.items] == [sup.id]
    mon.delete_alarm_suppression(sup.id)
    mon.change_alarm_compartment(alarm.id, MM.ChangeAlarmCompartmentDetails(compartment_id=t))
    mon.delete_alarm(alarm.id)
    wait_state(mon, mon.get_alarm, alarm.id, "DELETED")
    # the seeded alarms and suppressions fit the models too
    for a in mon.list_alarms(t, compartment_id_in_subtree=True).data:
        mon.get_alarm(a.id)
        mon.get_alarm_history(a.id)
        mon.retrieve_dimension_states(a.id)
        for s in mon.list_alarm_suppressions(alarm_id=a.id, is_all_suppressions=True).data.items:
            mon.get_alarm_suppression(s.id)
    mon.list_alarms_status(t, compartment_id_in_subtree=True)


def _tour_notifications(emulator, c: Clients) -> None:
    from oci.ons import models as NM

    ons = oci.ons.NotificationControlPlaneClient(c.config, service_endpoint=emulator.endpoint("ons"),
                                                 signer=c.compute.base_client.signer, **NO_RETRY)
    t = c.tenancy
    comp = next(x for x in c.identity.list_compartments(t).data if x.name == "tour").id
    topic = ons.create_topic(NM.CreateTopicDetails(name="tour-topic", compartment_id=t, description="tour",
                                                   **TAGS)).data
    assert oci.wait_until(ons, ons.get_topic(topic.topic_id), "lifecycle_state", "ACTIVE", **WAIT).data.etag
    assert "tour-topic" in {x.name for x in ons.list_topics(t).data}
    assert ons.update_topic(topic.topic_id, NM.TopicAttributesDetails(description="toured")).data.description == \
        "toured"
    ons.change_topic_compartment(topic.topic_id, NM.ChangeCompartmentDetails(compartment_id=comp))
    assert [x.name for x in ons.list_topics(comp).data] == ["tour-topic"]
    ons.delete_topic(topic.topic_id)


def _tour_search(emulator, c: Clients) -> None:
    cfg = emulator.client_config()
    sc = oci.resource_search.ResourceSearchClient(cfg, service_endpoint=emulator.endpoint("resource_search"),
                                                  retry_strategy=oci.retry.NoneRetryStrategy())
    M = oci.resource_search.models
    found = oci.pagination.list_call_get_all_results(
        sc.search_resources, M.StructuredSearchDetails(query="query all resources where lifeCycleState != 'x'"),
        limit=50).data
    assert len(found) > 50
    assert sc.search_resources(M.FreeTextSearchDetails(text="web")).data.items
    for t in sc.list_resource_types().data:
        assert sc.get_resource_type(t.name).data.name == t.name


def test_tour_calls_every_handler(emulator, clients):
    _tour_identity(clients)
    _tour_network_and_compute(clients)
    _tour_seeded_data(emulator, clients)
    _tour_object_storage(emulator, clients)
    _tour_block_volume(emulator, clients)
    _tour_file_storage(emulator, clients)
    _tour_notifications(emulator, clients)
    _tour_monitoring(emulator, clients)
    _tour_search(emulator, clients)

    assert emulator.core.strict_violations == []
    # every operation the emulator serves is called by some test: checked over the whole suite by
    # tests/conftest.py (pytest_sessionfinish), so each service's tests exercise their own operations


def test_every_handler_is_an_sdk_operation(emulator):
    """A handler registered under a name the SDK does not have could never be reached."""
    for module, table in emulator.core.handlers.items():
        specs = module_specs(module)
        unknown = sorted(name for name in table if name not in specs)
        assert not unknown, f"{module}: {unknown} are not operations of oci.{module}"
