import oci


def test_sdk_lists_compartment_tree_and_launches(emulator, oci_config):
    idc = oci.identity.IdentityClient(oci_config, service_endpoint=emulator.endpoint("identity"))
    comps = oci.pagination.list_call_get_all_results(
        idc.list_compartments, oci_config["tenancy"], compartment_id_in_subtree=True, limit=3).data
    names = {c.name for c in comps}
    assert {"Production", "Development", "Frontend", "alice"} <= names
    assert len(comps) == 17
