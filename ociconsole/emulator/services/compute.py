"""Compute (`/core`, ComputeClient + the boot-volume part of BlockstorageClient): shapes,
platform images, instances and their actions, VNIC attachments, boot volumes and their
attachments."""

from __future__ import annotations

import re

from ..protocol import REGION_KEYS, ApiError, conflict, incorrect_state, invalid, not_found, ts
from ..registry import Context, Service
from . import network, workrequests
from .identity import ad_names, fault_domains

svc = Service("core", name="compute")
svc.search("Instance", "instance")
svc.search("BootVolume", "bootvolume")

# ---------------------------------------------------------------- shapes (real bounds)

def _fixed(name, proc, ocpus, mem, bw, vnics, arch="x86_64", billing="PAID", ports=1, **extra):
    d = {"shape": name, "processorDescription": proc, "ocpus": float(ocpus), "memoryInGBs": float(mem),
         "networkingBandwidthInGbps": float(bw), "maxVnicAttachments": vnics, "gpus": 0, "localDisks": 0,
         "networkPorts": ports, "isFlexible": False, "billingType": billing, "isLiveMigrationSupported": True,
         "isBilledForStoppedInstance": name.startswith("BM."), "_arch": arch}
    d.update(extra)
    return d


def _flex(name, proc, max_ocpus, min_mem, max_mem, per_min, per_max, per_default, bw_max, vnic_max=24,
          arch="x86_64", baselines=True):
    d = {"shape": name, "processorDescription": proc, "ocpus": 1.0, "memoryInGBs": float(per_default),
         "networkingBandwidthInGbps": 1.0, "maxVnicAttachments": 2, "gpus": 0, "localDisks": 0, "networkPorts": 1,
         "isFlexible": True, "billingType": "PAID", "isLiveMigrationSupported": True,
         "isBilledForStoppedInstance": False,
         "ocpuOptions": {"min": 1.0, "max": float(max_ocpus)},
         "memoryOptions": {"minInGBs": float(min_mem), "maxInGBs": float(max_mem),
                           "defaultPerOcpuInGBs": float(per_default), "minPerOcpuInGBs": float(per_min),
                           "maxPerOcpuInGBs": float(per_max)},
         "networkingBandwidthOptions": {"minInGbps": 1.0, "maxInGbps": float(bw_max), "defaultPerOcpuInGbps": 1.0},
         "maxVnicAttachmentOptions": {"min": 2, "max": float(vnic_max), "defaultPerOcpu": 1.0},
         "_arch": arch}
    if baselines:
        d["baselineOcpuUtilizations"] = ["BASELINE_1_8", "BASELINE_1_2", "BASELINE_1_1"]
    return d


SHAPES: dict[str, dict] = {s["shape"]: s for s in [
    _fixed("VM.Standard.E2.1.Micro", "2.0 GHz AMD EPYC 7551 (Naples)", 1, 1, 0.48, 1, billing="ALWAYS_FREE",
           isSubcore=True, isLiveMigrationSupported=False),
    _fixed("VM.Standard2.1", "2.0 GHz Intel Xeon Platinum 8167M (Skylake)", 1, 15, 1.0, 2),
    _fixed("VM.Standard2.2", "2.0 GHz Intel Xeon Platinum 8167M (Skylake)", 2, 30, 2.0, 2),
    _fixed("VM.Standard2.4", "2.0 GHz Intel Xeon Platinum 8167M (Skylake)", 4, 60, 4.1, 4),
    _fixed("VM.Standard2.8", "2.0 GHz Intel Xeon Platinum 8167M (Skylake)", 8, 120, 8.2, 8),
    _fixed("VM.Standard2.16", "2.0 GHz Intel Xeon Platinum 8167M (Skylake)", 16, 240, 16.4, 16),
    _fixed("VM.Standard2.24", "2.0 GHz Intel Xeon Platinum 8167M (Skylake)", 24, 320, 24.6, 24),
    _flex("VM.Standard3.Flex", "2.6 GHz Intel Xeon Platinum 8358 (Ice Lake)", 32, 1, 512, 1, 64, 16, 32),
    _flex("VM.Standard.E4.Flex", "2.55 GHz AMD EPYC 7J13 (Milan)", 64, 1, 1024, 1, 64, 16, 40),
    _flex("VM.Standard.E5.Flex", "2.4 GHz AMD EPYC 9J14 (Genoa)", 94, 1, 1049, 1, 64, 16, 40),
    _flex("VM.Standard.A1.Flex", "3.0 GHz Ampere Altra", 80, 1, 512, 1, 64, 6, 40, arch="aarch64",
          baselines=False),
    _fixed("BM.Standard2.52", "2.0 GHz Intel Xeon Platinum 8167M (Skylake)", 52, 768, 50.0, 52, ports=2,
           isLiveMigrationSupported=False),
    _fixed("BM.Standard3.64", "2.6 GHz Intel Xeon Platinum 8358 (Ice Lake)", 64, 1024, 100.0, 256, ports=2,
           isLiveMigrationSupported=False),
    _fixed("BM.Standard.E4.128", "2.55 GHz AMD EPYC 7J13 (Milan)", 128, 2048, 100.0, 256, ports=2,
           isLiveMigrationSupported=False),
]}

# ---------------------------------------------------------------- platform images

IMAGES = [
    # (displayName, operatingSystem, version, arch, family, sizeMB, days old)
    ("Oracle-Linux-9.4-2025.10.31-0", "Oracle Linux", "9", "x86_64", "linux", 47694, 25),
    ("Oracle-Linux-8.10-2025.10.31-0", "Oracle Linux", "8", "x86_64", "linux", 47694, 25),
    ("Oracle-Linux-9.4-aarch64-2025.10.31-0", "Oracle Linux", "9", "aarch64", "linux", 47694, 25),
    ("Oracle-Linux-8.10-aarch64-2025.10.31-0", "Oracle Linux", "8", "aarch64", "linux", 47694, 25),
    ("Canonical-Ubuntu-24.04-2025.10.28-0", "Canonical Ubuntu", "24.04", "x86_64", "linux", 47694, 28),
    ("Canonical-Ubuntu-22.04-2025.10.28-0", "Canonical Ubuntu", "22.04", "x86_64", "linux", 47694, 28),
    ("Canonical-Ubuntu-24.04-aarch64-2025.10.28-0", "Canonical Ubuntu", "24.04", "aarch64", "linux", 47694, 28),
    ("CentOS-Stream-9-2025.09.30-0", "CentOS", "Stream 9", "x86_64", "linux", 47694, 56),
    ("Windows-Server-2022-Standard-Edition-VM-2025.10.14-0", "Windows", "Server 2022 Standard", "x86_64",
     "windows-vm", 256000, 42),
    ("Windows-Server-2019-Standard-Edition-VM-2025.10.14-0", "Windows", "Server 2019 Standard", "x86_64",
     "windows-vm", 256000, 42),
]


def image_compatible(image: dict, shape: dict) -> bool:
    if image.get("_arch", "x86_64") != shape.get("_arch", "x86_64"):
        return False
    fam = image.get("_family", "linux")
    if fam == "windows-vm":
        return shape["shape"].startswith("VM.") and shape["shape"] != "VM.Standard.E2.1.Micro"
    return True


def _image(ctx: Context, image_id: str, field: str = "imageId") -> dict:
    img = ctx.find("image", image_id)
    if img is None or img.get("lifecycleState") not in ("AVAILABLE",):
        raise invalid(f"{field}: image {image_id} does not exist or is not available in {ctx.region}")
    return img


# ---------------------------------------------------------------- shape config

def resolve_shape_config(shape: dict, cfg: dict | None) -> dict:
    """The instance's shapeConfig for `shape` and the requested config, checked against the bounds."""
    name = shape["shape"]
    arch_vcpu = 1 if shape.get("_arch") == "aarch64" else 2
    base = {"processorDescription": shape["processorDescription"], "gpus": shape.get("gpus", 0),
            "localDisks": shape.get("localDisks", 0)}
    if not shape["isFlexible"]:
        if cfg and any(cfg.get(k) is not None for k in ("ocpus", "memoryInGBs", "vcpus")):
            if (cfg.get("ocpus") not in (None, shape["ocpus"])) or (
                    cfg.get("memoryInGBs") not in (None, shape["memoryInGBs"])):
                raise invalid(f"shapeConfig: {name} is a fixed shape ({shape['ocpus']:g} OCPUs, "
                              f"{shape['memoryInGBs']:g} GB); its OCPUs and memory cannot be changed")
        base.update(ocpus=shape["ocpus"], memoryInGBs=shape["memoryInGBs"],
                    networkingBandwidthInGbps=shape["networkingBandwidthInGbps"],
                    maxVnicAttachments=shape["maxVnicAttachments"], vcpus=int(shape["ocpus"] * arch_vcpu))
        return base
    cfg = cfg or {}
    ocpus = cfg.get("ocpus")
    if ocpus is None and cfg.get("vcpus") is not None:
        ocpus = cfg["vcpus"] / arch_vcpu
    if ocpus is None:
        raise ApiError(400, "MissingParameter", f"shapeConfig.ocpus is required for the flexible shape {name}")
    oo, mo = shape["ocpuOptions"], shape["memoryOptions"]
    if ocpus != int(ocpus):
        raise invalid(f"shapeConfig.ocpus must be a whole number for {name}, got {ocpus:g}")
    if not oo["min"] <= ocpus <= oo["max"]:
        raise invalid(f"shapeConfig.ocpus {ocpus:g} is out of range for {name}: {oo['min']:g} to {oo['max']:g}")
    mem = cfg.get("memoryInGBs")
    if mem is None:
        mem = min(mo["maxInGBs"], max(mo["minInGBs"], ocpus * mo["defaultPerOcpuInGBs"]))
    if mem != int(mem):
        raise invalid(f"shapeConfig.memoryInGBs must be a whole number of GB, got {mem:g}")
    if not mo["minInGBs"] <= mem <= mo["maxInGBs"]:
        raise invalid(f"shapeConfig.memoryInGBs {mem:g} is out of range for {name}: "
                      f"{mo['minInGBs']:g} to {mo['maxInGBs']:g} GB")
    lo, hi = ocpus * mo["minPerOcpuInGBs"], ocpus * mo["maxPerOcpuInGBs"]
    if not lo <= mem <= hi:
        raise invalid(f"shapeConfig.memoryInGBs {mem:g} is out of range for {ocpus:g} OCPUs on {name}: "
                      f"{mo['minPerOcpuInGBs']:g}-{mo['maxPerOcpuInGBs']:g} GB per OCPU, so {lo:g} to {hi:g} GB")
    baseline = cfg.get("baselineOcpuUtilization")
    if baseline is not None and baseline not in shape.get("baselineOcpuUtilizations", []):
        raise invalid(f"shapeConfig.baselineOcpuUtilization {baseline} is not supported by {name}")
    bwo, vo = shape["networkingBandwidthOptions"], shape["maxVnicAttachmentOptions"]
    base.update(
        ocpus=float(ocpus), memoryInGBs=float(mem), vcpus=int(ocpus * arch_vcpu),
        networkingBandwidthInGbps=float(min(bwo["maxInGbps"], max(bwo["minInGbps"], ocpus * bwo["defaultPerOcpuInGbps"]))),
        maxVnicAttachments=int(min(vo["max"], max(vo["min"], ocpus * vo["defaultPerOcpu"]))))
    if baseline:
        base["baselineOcpuUtilization"] = baseline
    return base


# ---------------------------------------------------------------- helpers

SSH_KEY_RE = re.compile(r"^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com)\s+"
                        r"[A-Za-z0-9+/]+={0,3}(\s+.*)?$")
_HOST_RE = re.compile(r"^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$")


def check_ssh_keys(text: str) -> None:
    for i, line in enumerate(text.splitlines()):
        line = line.strip()
        if line and not SSH_KEY_RE.match(line):
            raise invalid(f"metadata.ssh_authorized_keys line {i + 1} is not an OpenSSH public key")


def _region_key(region: str) -> str:
    k = REGION_KEYS.get(region, region)
    return k if len(k) == 3 else region


def _default_name(ctx: Context, prefix: str) -> str:
    return prefix + ctx.ts()[:19].replace("-", "").replace(":", "").replace("T", "")


def _mac(rng) -> str:
    return "02:00:17:" + ":".join(f"{x:02X}" for x in rng.randbytes(3))


def _subnet_for_launch(ctx: Context, vnic: dict, ad: str) -> dict:
    sid = vnic.get("subnetId")
    if not sid:
        raise ApiError(400, "MissingParameter", "createVnicDetails.subnetId is required")
    subnet = ctx.find("subnet", sid)
    if subnet is None or subnet.get("lifecycleState") != "AVAILABLE":
        raise invalid(f"createVnicDetails.subnetId: subnet {sid} does not exist or is not available")
    if subnet.get("availabilityDomain") and subnet["availabilityDomain"] != ad:
        raise invalid(f"Subnet {subnet['displayName']} is in {subnet['availabilityDomain']}, not {ad}")
    return subnet


def create_instance_docs(target, *, region: str, comp: str, name: str, ad: str, fd: str, shape: dict,
                         shape_config: dict, image: dict | None, boot_volume: dict | None, subnet: dict,
                         assign_public: bool, private_ip: str | None, hostname: str | None, metadata: dict,
                         tags: dict, state: str, now: float, rng, ocid, boot_size_gb: int | None = None,
                         vpus: int = 10) -> dict:
    """Create an instance and everything OCI creates with it (boot volume, VNIC, IPs, attachments).

    `target` is a Context (requests) or a SeedContext; `ocid(type)` makes regional OCIDs.
    Attached resources start in the state matching `state` (RUNNING/STOPPED seeds are settled).
    """
    store = target.store
    settled = state not in ("PROVISIONING",)
    t = ts(now)
    inst_id = ocid("instance")
    common = {"compartmentId": comp, "availabilityDomain": ad, "_region": region}
    from_boot_volume = boot_volume is not None  # launched from an existing boot volume
    if boot_volume is None:
        size = boot_size_gb or max(50, (image or {}).get("_min_boot_gb", 50))
        boot_volume = store.put("bootvolume", dict(
            common, id=ocid("bootvolume"), displayName=f"{name} (Boot Volume)", imageId=image["id"] if image else None,
            sizeInGBs=size, sizeInMBs=size * 1024, vpusPerGB=vpus, isHydrated=True, timeCreated=t,
            lifecycleState="AVAILABLE" if settled else "PROVISIONING", freeformTags={}, definedTags={}))
    store.put("bootvolumeattachment", dict(
        common, id=ocid("instance"), bootVolumeId=boot_volume["id"], instanceId=inst_id,
        displayName=f"Remote boot attachment for instance", timeCreated=t, isEncryptionInTransitEnabled=False,
        lifecycleState="ATTACHED" if settled else "ATTACHING"))
    vnic_id = ocid("vnic")
    hostname = hostname or re.sub(r"[^a-z0-9-]", "", name.lower())[:63].strip("-") or "instance"
    ip = network.allocate_private_ip(target, subnet, private_ip)
    public_ip = None
    priv_id = ocid("privateip")
    if assign_public:
        public_ip = network.allocate_public_address(target)
        store.put("publicip", dict(
            id=ocid("publicip"), compartmentId=comp, _region=region, displayName=f"publicip-{public_ip}",
            ipAddress=public_ip, lifetime="EPHEMERAL", scope="AVAILABILITY_DOMAIN", availabilityDomain=ad,
            assignedEntityId=priv_id, assignedEntityType="PRIVATE_IP", privateIpId=priv_id,
            lifecycleState="ASSIGNED" if settled else "ASSIGNING", timeCreated=t, freeformTags={}, definedTags={}))
    vnic = dict(common, id=vnic_id, displayName=name, hostnameLabel=hostname, isPrimary=True,
                macAddress=_mac(rng), privateIp=ip, subnetId=subnet["id"], skipSourceDestCheck=False, nsgIds=[],
                timeCreated=t, lifecycleState="AVAILABLE" if settled else "PROVISIONING", freeformTags={},
                definedTags={})
    if public_ip:
        vnic["publicIp"] = public_ip
    store.put("vnic", vnic)
    store.put("privateip", dict(
        common, id=priv_id, displayName=ip, hostnameLabel=hostname, ipAddress=ip,
        cidrPrefixLength=int(subnet["cidrBlock"].split("/")[1]), isPrimary=True, subnetId=subnet["id"],
        vnicId=vnic_id, ipState="ASSIGNED", lifetime="EPHEMERAL", timeCreated=t, freeformTags={}, definedTags={}))
    store.put("vnicattachment", dict(
        common, id=ocid("vnicattachment"), displayName=f"vnicattachment-{name}", instanceId=inst_id, nicIndex=0,
        subnetId=subnet["id"], vnicId=vnic_id, timeCreated=t,
        lifecycleState="ATTACHED" if settled else "ATTACHING"))
    source = ({"sourceType": "image", "imageId": image["id"], "bootVolumeSizeInGBs": boot_volume["sizeInGBs"],
               "bootVolumeVpusPerGB": boot_volume.get("vpusPerGB", 10)} if image and not from_boot_volume
              else {"sourceType": "bootVolume", "bootVolumeId": boot_volume["id"]})
    inst = dict(common, id=inst_id, displayName=name, faultDomain=fd, shape=shape["shape"], shapeConfig=shape_config,
                region=_region_key(region), sourceDetails=source, launchMode="PARAVIRTUALIZED",
                launchOptions={"bootVolumeType": "PARAVIRTUALIZED", "firmware": "UEFI_64",
                               "networkType": "PARAVIRTUALIZED", "remoteDataVolumeType": "PARAVIRTUALIZED",
                               "isPvEncryptionInTransitEnabled": False, "isConsistentVolumeNamingEnabled": True},
                availabilityConfig={"isLiveMigrationPreferred": False, "recoveryAction": "RESTORE_INSTANCE"},
                agentConfig={"isMonitoringDisabled": False, "isManagementDisabled": False,
                             "areAllPluginsDisabled": False},
                metadata=metadata, timeCreated=t, lifecycleState=state, freeformTags={}, definedTags={})
    if image:
        inst["imageId"] = image["id"]
    inst.update(tags)
    return store.put("instance", inst)


def _attached(store, kind: str, instance_id: str) -> list[dict]:
    return store.by_field(kind, "instanceId", instance_id)


# ---------------------------------------------------------------- instances

@svc.op("launch_instance")
def launch_instance(ctx: Context):
    b = ctx.body
    comp = ctx.compartment(b["compartmentId"])
    ad = b["availabilityDomain"]
    if ad not in ad_names(ctx.region):
        raise invalid(f"availabilityDomain '{ad}' does not exist in {ctx.region} "
                      f"(known: {', '.join(ad_names(ctx.region))})")
    shape_name = ctx.require(b.get("shape"), "shape")
    shape = SHAPES.get(shape_name)
    if shape is None:
        raise invalid(f"Shape {shape_name} is not available in {ad}")
    fd = b.get("faultDomain")
    if fd is not None and fd not in fault_domains():
        raise invalid(f"faultDomain '{fd}' is not valid (FAULT-DOMAIN-1, -2 or -3)")
    fd = fd or fault_domains()[ctx.core.rng.randrange(3)]

    src = b.get("sourceDetails")
    image = boot_volume = None
    boot_size = None
    vpus = 10
    if src is None and b.get("imageId"):
        src = {"sourceType": "image", "imageId": b["imageId"]}
    if src is None:
        raise ApiError(400, "MissingParameter", "sourceDetails (or imageId) is required")
    if src["sourceType"] == "image":
        image = _image(ctx, ctx.require(src.get("imageId"), "sourceDetails.imageId"), "sourceDetails.imageId")
        if not image_compatible(image, shape):
            raise invalid(f"Image {image['displayName']} is not compatible with shape {shape_name}")
        boot_size = src.get("bootVolumeSizeInGBs")
        if boot_size is not None and not 50 <= boot_size <= 32768:
            raise invalid("sourceDetails.bootVolumeSizeInGBs must be between 50 and 32768")
        if image.get("_family") == "windows-vm" and boot_size is not None and boot_size < 256:
            raise invalid("Windows images need a boot volume of at least 256 GB")
        boot_size = boot_size or (256 if image.get("_family") == "windows-vm" else 50)
        vpus = src.get("bootVolumeVpusPerGB") or 10
        if not (10 <= vpus <= 120 and vpus % 10 == 0):
            raise invalid("sourceDetails.bootVolumeVpusPerGB must be 10 to 120 in steps of 10")
    else:
        bv = ctx.find("bootvolume", src.get("bootVolumeId", ""))
        if bv is None or bv["lifecycleState"] != "AVAILABLE":
            raise invalid(f"sourceDetails.bootVolumeId {src.get('bootVolumeId')} is not an available boot volume")
        if bv["availabilityDomain"] != ad:
            raise invalid("The boot volume is in another availability domain")
        if any(a["lifecycleState"] in ("ATTACHING", "ATTACHED")
               for a in ctx.store.by_field("bootvolumeattachment", "bootVolumeId", bv["id"])):
            raise conflict("The boot volume is attached to another instance")
        boot_volume = bv
        if bv.get("imageId"):
            image = ctx.find("image", bv["imageId"])
            if image is not None and not image_compatible(image, shape):
                raise invalid(f"The boot volume's image is not compatible with shape {shape_name}")
    shape_config = resolve_shape_config(shape, b.get("shapeConfig"))

    vnic = dict(b.get("createVnicDetails") or {})
    if not vnic.get("subnetId") and b.get("subnetId"):
        vnic["subnetId"] = b["subnetId"]
    subnet = _subnet_for_launch(ctx, vnic, ad)
    assign_public = vnic.get("assignPublicIp")
    if assign_public is None:
        assign_public = not subnet.get("prohibitPublicIpOnVnic", False)
    if assign_public and subnet.get("prohibitPublicIpOnVnic"):
        raise invalid(f"Subnet {subnet['displayName']} is private (prohibitPublicIpOnVnic): "
                      "a public IP cannot be assigned")
    hostname = vnic.get("hostnameLabel") or b.get("hostnameLabel")
    if hostname is not None and not _HOST_RE.match(hostname):
        raise invalid("hostnameLabel must be 1-63 letters, digits or hyphens, not starting or ending with a hyphen")
    if hostname and any(v.get("hostnameLabel") == hostname.lower()
                        for v in ctx.store.by_field("vnic", "subnetId", subnet["id"])
                        if v["lifecycleState"] != "TERMINATED"):
        raise conflict(f"hostnameLabel '{hostname}' is already used in subnet {subnet['displayName']}")

    metadata = dict(b.get("metadata") or {})
    if sum(len(k) + len(v) for k, v in metadata.items()) > 32000:
        raise invalid("metadata must be at most 32,000 bytes in total")
    if "ssh_authorized_keys" in metadata:
        check_ssh_keys(metadata["ssh_authorized_keys"])
    name = b.get("displayName") or _default_name(ctx, "instance")
    if len(name) > 255:
        raise invalid("displayName must be at most 255 characters")

    inst = create_instance_docs(
        ctx, region=ctx.region, comp=comp["id"], name=name, ad=ad, fd=fd, shape=shape, shape_config=shape_config,
        image=image, boot_volume=boot_volume, subnet=subnet, assign_public=assign_public,
        private_ip=vnic.get("privateIp"), hostname=hostname.lower() if hostname else None, metadata=metadata,
        tags=ctx.tags(b), state="PROVISIONING", now=ctx.now, rng=ctx.core.rng, ocid=ctx.new_id,
        boot_size_gb=boot_size, vpus=vpus)
    wr = workrequests.start(ctx, "iaas", "LaunchInstance", comp["id"], [
        {"entityType": "instance", "actionType": "IN_PROGRESS", "identifier": inst["id"],
         "entityUri": f"/20160918/instances/{inst['id']}"}])
    ctx.schedule("instance", inst["id"], {"lifecycleState": "RUNNING"}, steps=1.5, when_state="PROVISIONING",
                 hook="compute.running", args={"wr": wr["id"]})
    return inst


@svc.hook("compute.running")
def _running(core, inst: dict, args: dict) -> None:
    """Settle everything that was launched with the instance; complete its work request."""
    store = core.store
    for att in _attached(store, "vnicattachment", inst["id"]):
        if att["lifecycleState"] == "ATTACHING":
            store.update("vnicattachment", att["id"], {"lifecycleState": "ATTACHED"})
        v = store.get("vnic", att["vnicId"])
        if v is not None and v["lifecycleState"] == "PROVISIONING":
            store.update("vnic", v["id"], {"lifecycleState": "AVAILABLE"})
            for p in store.list("publicip", v["compartmentId"]):
                if p.get("lifecycleState") == "ASSIGNING":
                    store.update("publicip", p["id"], {"lifecycleState": "ASSIGNED"})
    for att in _attached(store, "bootvolumeattachment", inst["id"]):
        if att["lifecycleState"] == "ATTACHING":
            store.update("bootvolumeattachment", att["id"], {"lifecycleState": "ATTACHED"})
        bv = store.get("bootvolume", att["bootVolumeId"])
        if bv is not None and bv["lifecycleState"] == "PROVISIONING":
            store.update("bootvolume", bv["id"], {"lifecycleState": "AVAILABLE"})
    if args.get("wr"):
        wr = store.get("workrequest", args["wr"])
        if wr is not None:
            store.update("workrequest", wr["id"], {"resources": [dict(r, actionType="CREATED") for r in wr["resources"]]})
        workrequests.finish(core, args["wr"], True, "Instance is running")


@svc.op("list_instances")
def list_instances(ctx: Context):
    comp = ctx.compartment(ctx.query["compartmentId"])
    return ctx.list("instance", comp["id"])


@svc.op("get_instance")
def get_instance(ctx: Context):
    return ctx.get("instance", ctx.path["instanceId"], "instance")


ACTIONS = {
    # action: (allowed from, immediate state, [(steps, state)...], idempotent-if-in)
    "START": ({"STOPPED"}, "STARTING", [(1, "RUNNING")], {"RUNNING", "STARTING"}),
    "STOP": ({"RUNNING"}, "STOPPING", [(1, "STOPPED")], {"STOPPED", "STOPPING"}),
    "SOFTSTOP": ({"RUNNING"}, "STOPPING", [(1.5, "STOPPED")], {"STOPPED", "STOPPING"}),
    "RESET": ({"RUNNING"}, "STOPPING", [(0.5, "STARTING"), (1, "RUNNING")], set()),
    "SOFTRESET": ({"RUNNING"}, "STOPPING", [(1, "STARTING"), (1.5, "RUNNING")], set()),
    "DIAGNOSTICREBOOT": ({"RUNNING"}, "STOPPING", [(1, "STARTING"), (1.5, "RUNNING")], set()),
    "SENDDIAGNOSTICINTERRUPT": ({"RUNNING"}, None, [], set()),
}


def _run_action(ctx: Context, inst: dict, action: str) -> dict:
    allowed, first, steps, idem = ACTIONS[action]
    state = inst["lifecycleState"]
    if state in idem:
        return inst
    if state not in allowed:
        raise incorrect_state(f"Instance {inst['displayName']} is {state}; {action} needs it to be "
                              f"{' or '.join(sorted(allowed))}")
    if first is None:
        return inst
    inst = ctx.update("instance", inst["id"], {"lifecycleState": first})
    guard = first
    for delay, st in steps:
        ctx.schedule("instance", inst["id"], {"lifecycleState": st}, steps=delay, when_state=guard)
        guard = st
    return inst


@svc.op("instance_action")
def instance_action(ctx: Context):
    inst = ctx.get_for_write("instance", ctx.path["instanceId"], "instance")
    action = ctx.query["action"]
    if action not in ACTIONS:
        raise invalid(f"Unknown action '{action}' (expected one of {', '.join(ACTIONS)})")
    return _run_action(ctx, inst, action)


@svc.op("terminate_instance")
def terminate_instance(ctx: Context):
    inst = ctx.get_for_write("instance", ctx.path["instanceId"], "instance")
    if inst["lifecycleState"] in ("TERMINATING", "TERMINATED"):
        if inst["lifecycleState"] == "TERMINATED":
            raise not_found("instance", inst["id"])
        return None
    preserve = bool(ctx.query.get("preserveBootVolume", False))
    ctx.update("instance", inst["id"], {"lifecycleState": "TERMINATING"})
    ctx.schedule("instance", inst["id"], {"lifecycleState": "TERMINATED"}, steps=1.5, when_state="TERMINATING",
                 hook="compute.terminated", args={"preserve": preserve})
    return None


@svc.hook("compute.terminated")
def _terminated(core, inst: dict, args: dict) -> None:
    store = core.store
    for att in _attached(store, "vnicattachment", inst["id"]):
        store.update("vnicattachment", att["id"], {"lifecycleState": "DETACHED"})
        v = store.get("vnic", att["vnicId"])
        if v is not None:
            store.update("vnic", v["id"], {"lifecycleState": "TERMINATED"})
            for p in store.by_field("privateip", "vnicId", v["id"]):
                for pub in store.by_field("publicip", "privateIpId", p["id"]):
                    store.delete("publicip", pub["id"])
                store.delete("privateip", p["id"])
    for att in _attached(store, "bootvolumeattachment", inst["id"]):
        store.update("bootvolumeattachment", att["id"], {"lifecycleState": "DETACHED"})
        bv = store.get("bootvolume", att["bootVolumeId"])
        if bv is not None and not args.get("preserve"):
            store.update("bootvolume", bv["id"], {"lifecycleState": "TERMINATED"})


@svc.op("update_instance")
def update_instance(ctx: Context):
    inst = ctx.get_for_write("instance", ctx.path["instanceId"], "instance")
    if inst["lifecycleState"] in ("TERMINATING", "TERMINATED", "PROVISIONING"):
        raise incorrect_state(f"Instance is {inst['lifecycleState']}")
    b = ctx.body or {}
    changes: dict = {}
    if b.get("displayName") is not None:
        if not b["displayName"].strip() or len(b["displayName"]) > 255:
            raise invalid("displayName must be 1-255 characters")
        changes["displayName"] = b["displayName"]
    reshape = False
    if b.get("shape") is not None or b.get("shapeConfig") is not None:
        new_shape = SHAPES.get(b.get("shape") or inst["shape"])
        if new_shape is None:
            raise invalid(f"Shape {b.get('shape')} is not available")
        old_shape = SHAPES[inst["shape"]]
        if new_shape["shape"].split(".")[0] != old_shape["shape"].split(".")[0]:
            raise invalid("An instance cannot change between virtual machine and bare metal shapes")
        if new_shape.get("_arch") != old_shape.get("_arch"):
            raise invalid(f"Shape {new_shape['shape']} has another processor architecture than {old_shape['shape']}")
        cfg = b.get("shapeConfig")
        if cfg is None and new_shape["isFlexible"] and new_shape["shape"] == inst["shape"]:
            cfg = inst["shapeConfig"]
        elif cfg is None and new_shape["isFlexible"]:
            cfg = {"ocpus": inst["shapeConfig"]["ocpus"]}
        sc = resolve_shape_config(new_shape, cfg)
        if new_shape["shape"] != inst["shape"] or sc != inst["shapeConfig"]:
            changes.update(shape=new_shape["shape"], shapeConfig=sc)
            reshape = True
    if b.get("faultDomain") is not None:
        if b["faultDomain"] not in fault_domains():
            raise invalid(f"faultDomain '{b['faultDomain']}' is not valid")
        changes["faultDomain"] = b["faultDomain"]
    if b.get("metadata") is not None:
        md = dict(inst.get("metadata") or {})
        for k, v in b["metadata"].items():
            if k == "ssh_authorized_keys" and md.get(k) not in (None, v):
                raise invalid("metadata.ssh_authorized_keys cannot be changed after launch")
            md[k] = v
        changes["metadata"] = md
    changes.update(ctx.tags(b))
    inst = ctx.update("instance", inst["id"], changes)
    if reshape and inst["lifecycleState"] == "RUNNING":
        # a running instance is rebooted onto its new shape
        inst = _run_action(ctx, inst, "SOFTRESET")
    return inst


# ---------------------------------------------------------------- attachments

@svc.op("list_vnic_attachments")
def list_vnic_attachments(ctx: Context):
    comp = ctx.compartment(ctx.query["compartmentId"])
    docs = ctx.list("vnicattachment", comp["id"])
    for key in ("instanceId", "vnicId"):
        if ctx.query.get(key):
            docs = [d for d in docs if d.get(key) == ctx.query[key]]
    return docs


@svc.op("get_vnic_attachment")
def get_vnic_attachment(ctx: Context):
    return ctx.get("vnicattachment", ctx.path["vnicAttachmentId"], "VNIC attachment")


@svc.op("list_boot_volume_attachments")
def list_boot_volume_attachments(ctx: Context):
    comp = ctx.compartment(ctx.query["compartmentId"])
    docs = ctx.list("bootvolumeattachment", comp["id"])
    for key in ("instanceId", "bootVolumeId"):
        if ctx.query.get(key):
            docs = [d for d in docs if d.get(key) == ctx.query[key]]
    return docs


@svc.op("get_boot_volume_attachment")
def get_boot_volume_attachment(ctx: Context):
    return ctx.get("bootvolumeattachment", ctx.path["bootVolumeAttachmentId"], "boot volume attachment")


# ---------------------------------------------------------------- boot volumes (BlockstorageClient)

@svc.op("list_boot_volumes")
def list_boot_volumes(ctx: Context):
    comp_id = ctx.query.get("compartmentId")
    if not comp_id:
        raise ApiError(400, "MissingParameter", "compartmentId is required")
    comp = ctx.compartment(comp_id)
    return ctx.list("bootvolume", comp["id"])


@svc.op("get_boot_volume")
def get_boot_volume(ctx: Context):
    return ctx.get("bootvolume", ctx.path["bootVolumeId"], "boot volume")


@svc.op("update_boot_volume")
def update_boot_volume(ctx: Context):
    bv = ctx.get_for_write("bootvolume", ctx.path["bootVolumeId"], "boot volume")
    if bv["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"Boot volume is {bv['lifecycleState']}")
    b = ctx.body or {}
    changes = {}
    if b.get("displayName") is not None:
        changes["displayName"] = b["displayName"]
    if b.get("sizeInGBs") is not None:
        size = b["sizeInGBs"]
        if size < bv["sizeInGBs"]:
            raise invalid("A boot volume can only be resized up")
        if size > 32768:
            raise invalid("sizeInGBs must be at most 32768")
        changes.update(sizeInGBs=size, sizeInMBs=size * 1024)
    if b.get("vpusPerGB") is not None:
        v = b["vpusPerGB"]
        if not (10 <= v <= 120 and v % 10 == 0):
            raise invalid("vpusPerGB must be 10 to 120 in steps of 10")
        changes["vpusPerGB"] = v
    changes.update(ctx.tags(b))
    return ctx.update("bootvolume", bv["id"], changes)


@svc.op("delete_boot_volume")
def delete_boot_volume(ctx: Context):
    bv = ctx.get_for_write("bootvolume", ctx.path["bootVolumeId"], "boot volume")
    if bv["lifecycleState"] in ("TERMINATING", "TERMINATED"):
        raise incorrect_state(f"Boot volume is {bv['lifecycleState']}")
    if any(a["lifecycleState"] in ("ATTACHING", "ATTACHED", "DETACHING")
           for a in ctx.store.by_field("bootvolumeattachment", "bootVolumeId", bv["id"])):
        raise conflict("The boot volume is attached to an instance; terminate or detach it first")
    ctx.update("bootvolume", bv["id"], {"lifecycleState": "TERMINATING"})
    ctx.schedule("bootvolume", bv["id"], {"lifecycleState": "TERMINATED"}, steps=1, when_state="TERMINATING")
    return None


# ---------------------------------------------------------------- shapes and images

@svc.op("list_shapes")
def list_shapes(ctx: Context):
    ctx.compartment(ctx.query["compartmentId"])
    ad = ctx.query.get("availabilityDomain")
    if ad is not None and ad not in ad_names(ctx.region):
        raise invalid(f"availabilityDomain '{ad}' does not exist in {ctx.region}")
    shapes = list(SHAPES.values())
    if ctx.query.get("imageId"):
        img = _image(ctx, ctx.query["imageId"])
        shapes = [s for s in shapes if image_compatible(img, s)]
    if ctx.query.get("shape"):
        shapes = [s for s in shapes if s["shape"] == ctx.query["shape"]]
    return shapes


@svc.op("list_images")
def list_images(ctx: Context):
    comp = ctx.compartment(ctx.query["compartmentId"])
    q = ctx.query
    docs = [d for d in ctx.list("image") if d.get("_platform") or d.get("compartmentId") == comp["id"]]
    for key in ("operatingSystem", "operatingSystemVersion"):
        if q.get(key):
            docs = [d for d in docs if d.get(key) == q[key]]
    if q.get("shape"):
        shape = SHAPES.get(q["shape"])
        docs = [d for d in docs if shape is not None and image_compatible(d, shape)]
    if "sortBy" not in q:
        docs.sort(key=lambda d: d["timeCreated"], reverse=True)
    return docs


@svc.op("get_image")
def get_image(ctx: Context):
    return ctx.get("image", ctx.path["imageId"], "image")


@svc.op("list_image_shape_compatibility_entries")
def list_image_shape_compatibility_entries(ctx: Context):
    img = ctx.get("image", ctx.path["imageId"], "image")
    return [{"imageId": img["id"], "shape": s["shape"]} for s in SHAPES.values() if image_compatible(img, s)]


@svc.op("get_image_shape_compatibility_entry")
def get_image_shape_compatibility_entry(ctx: Context):
    img = ctx.get("image", ctx.path["imageId"], "image")
    shape = SHAPES.get(ctx.path["shapeName"])
    if shape is None or not image_compatible(img, shape):
        raise not_found("image shape compatibility entry", ctx.path["shapeName"])
    return {"imageId": img["id"], "shape": shape["shape"]}


# ---------------------------------------------------------------- seed

@svc.seeder
def seed_compute(seed) -> None:
    images_by_region = {}
    for region in seed.regions:
        imgs = []
        for name, os_, ver, arch, fam, size, age in IMAGES:
            doc = {"id": seed.ocid("image", region), "compartmentId": None, "displayName": name,
                   "operatingSystem": os_, "operatingSystemVersion": ver, "launchMode": "PARAVIRTUALIZED",
                   "sizeInMBs": size, "billableSizeInGBs": 0, "createImageAllowed": True,
                   "lifecycleState": "AVAILABLE", "listingType": "NONE",
                   "agentFeatures": {"isMonitoringSupported": True, "isManagementSupported": True},
                   "launchOptions": {"bootVolumeType": "PARAVIRTUALIZED", "firmware": "UEFI_64",
                                     "networkType": "PARAVIRTUALIZED", "remoteDataVolumeType": "PARAVIRTUALIZED",
                                     "isPvEncryptionInTransitEnabled": False,
                                     "isConsistentVolumeNamingEnabled": True},
                   "timeCreated": ts(seed.now - age * 86400), "freeformTags": {}, "definedTags": {},
                   "_platform": True, "_arch": arch, "_family": fam, "_region": region}
            imgs.append(seed.store.put("image", doc))
        images_by_region[region] = imgs
    if seed.profile == "demo":
        _seed_demo_instances(seed, images_by_region)
    elif seed.profile == "large":
        _seed_large_instances(seed, images_by_region)


def _subnets_by_name(seed) -> dict[str, dict]:
    return {s["displayName"]: s for s in seed.store.list("subnet")}


def _launch_seeded(seed, region, comp, name, shape_name, ocpus, mem, image, subnet, state, ad_index=0,
                   days_ago=None, tags=None):
    shape = SHAPES[shape_name]
    cfg = resolve_shape_config(shape, {"ocpus": ocpus, "memoryInGBs": mem} if shape["isFlexible"] else None)
    ads = ad_names(region)
    now = seed.t(days_ago if days_ago is not None else 200, 2)
    public = not subnet.get("prohibitPublicIpOnVnic")
    inst = create_instance_docs(
        seed, region=region, comp=comp, name=name, ad=ads[ad_index % len(ads)],
        fd=fault_domains()[seed.rng.randrange(3)], shape=shape, shape_config=cfg, image=image, boot_volume=None,
        subnet=subnet, assign_public=public, private_ip=None, hostname=None,
        metadata={"ssh_authorized_keys": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@workstation"},
        tags=tags or {}, state=state, now=now, rng=seed.rng, ocid=lambda t: seed.ocid(t, region),
        boot_size_gb=256 if image.get("_family") == "windows-vm" else 50)
    if state == "TERMINATED":
        _terminated(seed.core, inst, {"preserve": False})
    return inst


def _seed_demo_instances(seed, images_by_region) -> None:
    home = seed.core.home_region
    comps = {}
    for c in seed.store.list("compartment"):
        parent = seed.store.get("compartment", c.get("compartmentId") or "")
        comps[(parent["name"] if parent and not parent.get("_root") else "", c["name"])] = c["id"]
    subnets = _subnets_by_name(seed)

    def img(prefix, region=home):
        return next(i for i in images_by_region[region] if i["displayName"].startswith(prefix))

    ol9, ol8, ol9arm = img("Oracle-Linux-9.4-2"), img("Oracle-Linux-8.10-2"), img("Oracle-Linux-9.4-aarch64")
    ub24, ub22, win = img("Canonical-Ubuntu-24.04-2"), img("Canonical-Ubuntu-22.04"), img("Windows-Server-2022")
    env = {"key": "Environment"}
    plan = [
        # (parent, compartment, name, shape, ocpus, mem, image, subnet, state, ad, tags env)
        ("Web", "Frontend", "web-01", "VM.Standard.E4.Flex", 2, 32, ol9, "prod-vcn-public", "RUNNING", 0, "prod"),
        ("Web", "Frontend", "web-02", "VM.Standard.E4.Flex", 2, 32, ol9, "prod-vcn-public", "RUNNING", 1, "prod"),
        ("Web", "API", "api-01", "VM.Standard.E5.Flex", 4, 64, ub24, "prod-vcn-private", "RUNNING", 0, "prod"),
        ("Web", "API", "api-02", "VM.Standard.E5.Flex", 4, 64, ub24, "prod-vcn-private", "STOPPED", 1, "prod"),
        ("Data", "Warehouse", "etl-01", "VM.Standard3.Flex", 8, 128, ol8, "prod-vcn-db", "RUNNING", 2, "prod"),
        ("Data", "Warehouse", "analytics-bm", "BM.Standard.E4.128", None, None, ol8, "prod-vcn-db", "RUNNING", 0,
         "prod"),
        ("Staging", "Web", "stg-web-01", "VM.Standard.E4.Flex", 1, 16, ol9, "staging-vcn-public", "RUNNING", 0,
         "staging"),
        ("Staging", "Web", "stg-web-02", "VM.Standard2.2", None, None, ub22, "staging-vcn-public", "STOPPED", 1,
         "staging"),
        ("Staging", "QA", "qa-runner-arm", "VM.Standard.A1.Flex", 4, 24, ol9arm, "staging-vcn-private", "RUNNING",
         2, "staging"),
        ("Sandbox", "alice", "alice-dev", "VM.Standard.E2.1.Micro", None, None, ol9, "dev-vcn-public", "RUNNING",
         0, "dev"),
        ("Sandbox", "bob", "bob-win-test", "VM.Standard2.4", None, None, win, "dev-vcn-public", "STOPPED", 1, "dev"),
        ("Development", "Shared-Tools", "jenkins", "VM.Standard.E4.Flex", 2, 16, ol8, "dev-vcn-private", "RUNNING",
         0, "dev"),
        ("Development", "Shared-Tools", "bastion", "VM.Standard.E2.1.Micro", None, None, ol9, "dev-vcn-public",
         "RUNNING", 1, "dev"),
        ("Development", "Shared-Tools", "old-build-agent", "VM.Standard2.1", None, None, ol8, "dev-vcn-private",
         "TERMINATED", 2, "dev"),
        ("Security", "Audit", "siem-collector", "VM.Standard.E4.Flex", 2, 32, ol9, "hub-vcn-private", "RUNNING", 0,
         "prod"),
    ]
    _ = env
    for parent, cname, name, shape, ocpus, mem, image, sub, state, ad, envtag in plan:
        comp = comps[(parent, cname)]
        tags = {"freeformTags": {"app": name.split("-")[0], "managed-by": "terraform"},
                "definedTags": {"Operations": {"Environment": envtag, "CostCenter": "CC-1042"}}}
        _launch_seeded(seed, home, comp, name, shape, ocpus, mem, image, subnets[sub], state, ad, tags=tags)
    # the disaster-recovery region
    if len(seed.regions) > 1:
        dr = seed.regions[1]
        dr_img = next(i for i in images_by_region[dr] if i["displayName"].startswith("Oracle-Linux-9.4-2"))
        _launch_seeded(seed, dr, comps[("", "Production")], "dr-web-01", "VM.Standard.E4.Flex", 2, 32, dr_img,
                       subnets["prod-vcn-dr-public"], "STOPPED", 0)


def _seed_large_instances(seed, images_by_region) -> None:
    """`instances` instances: 1,000 in the first generated compartment, the rest spread out."""
    home = seed.core.home_region
    total = int(seed.options.get("instances", 10000))
    comps = [c for c in seed.store.list("compartment") if not c.get("_root")]
    subnets = [s for s in seed.store.list("subnet") if s.get("_region") == home]
    if not comps or not subnets:
        return
    imgs = [i for i in images_by_region[home] if i["_arch"] == "x86_64" and i["_family"] == "linux"]
    states = ["RUNNING"] * 7 + ["STOPPED"] * 2 + ["TERMINATED"]
    shapes = [("VM.Standard.E4.Flex", 1, 16), ("VM.Standard.E4.Flex", 2, 32), ("VM.Standard.E5.Flex", 4, 64),
              ("VM.Standard3.Flex", 2, 32), ("VM.Standard2.1", None, None)]
    first = min(1000, total)
    for i in range(total):
        comp = comps[0] if i < first else comps[1 + (i - first) % max(1, len(comps) - 1)] if len(comps) > 1 \
            else comps[0]
        shape, ocpus, mem = shapes[i % len(shapes)]
        state = states[i % len(states)]
        sub = subnets[1 + i % (len(subnets) - 1)] if len(subnets) > 1 else subnets[0]
        _launch_seeded(seed, home, comp["id"], f"i-{i:05d}", shape, ocpus, mem, imgs[i % len(imgs)], sub,
                       "RUNNING" if state == "TERMINATED" else state, ad_index=i, days_ago=300)
        if state == "TERMINATED":
            inst_id = next(reversed(seed.store._docs["instance"]))  # noqa: SLF001 - the one just created
            inst = seed.store.update("instance", inst_id, {"lifecycleState": "TERMINATED"})
            _terminated(seed.core, inst, {"preserve": False})
