"""Compute (`/core`, ComputeClient + the boot-volume part of BlockstorageClient): shapes,
platform and custom images, instances and their actions, VNIC and boot volume attachments,
console connections and console histories, boot volumes.

Instances, images, console connections and console histories are engine kinds (engine.py): the
engine serves what is not written here (moves, image and console updates and deletes). What is
the service's own is written by hand:

- launch (`launch()` is shared with instance configurations and pools), actions, update (a new
  shape reboots a running instance) and terminate, with the work requests OCI returns;
- images: created from an instance (PROVISIONING -> AVAILABLE while the instance is CREATING_IMAGE,
  OS and shapes copied from its image) or imported from Object Storage (IMPORTING -> AVAILABLE; the
  object must exist), exported to a bucket (EXPORTING; writes a QCOW2 object there), per-image shape
  compatibility; platform images cannot be changed, moved or deleted;
- console connections with OCI's connection strings and the key's MD5 fingerprint (one per
  instance); console histories REQUESTED -> GETTING-HISTORY -> SUCCEEDED whose content is the
  instance's serial console text (its OS, kernel, hostname and times);
- secondary VNICs (the instance's AD or a regional subnet, at most the shape's VNIC count; the
  primary cannot be detached), boot volume attach/detach (the instance must be STOPPED), devices,
  Windows initial credentials, measured boot reports of shielded instances.
"""

from __future__ import annotations

import base64
import hashlib
import re
import struct
from urllib.parse import unquote, urlparse

from ..engine import Kind, Lifecycle, default_name
from ..protocol import REGION_KEYS, ApiError, conflict, incorrect_state, invalid, not_found, ts
from ..registry import Context, Result, Service
from . import network, workrequests
from .identity import ad_names, fault_domains

svc = Service("core", name="compute")
svc.search("BootVolume", "bootvolume")
INSTANCE_LIVE = ("PROVISIONING", "RUNNING", "STARTING", "STOPPING", "STOPPED", "CREATING_IMAGE", "MOVING")
# launch/terminate are written by hand; the engine serves change_instance_compartment (with its work request)
INSTANCE = svc.resource(Kind("instance", "Instance", "instance", search="Instance", live=INSTANCE_LIVE,
                             lifecycle=Lifecycle("PROVISIONING", "RUNNING", None, "TERMINATING", "TERMINATED")))

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
    if image.get("_compat") is not None:  # a custom image: its own list of shapes (add/remove entries)
        return shape["shape"] in image["_compat"]
    return _natively_compatible(image, shape)


def _natively_compatible(image: dict, shape: dict) -> bool:
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
        networkingBandwidthInGbps=float(min(bwo["maxInGbps"],
                                            max(bwo["minInGbps"], ocpus * bwo["defaultPerOcpuInGbps"]))),
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
        displayName="Remote boot attachment for instance", timeCreated=t, isEncryptionInTransitEnabled=False,
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
    return launch(ctx, ctx.body)


def launch(ctx: Context, b: dict, work_request: bool = True, extra: dict | None = None) -> dict:
    """Launch an instance from LaunchInstanceDetails `b` (also used by instance configurations and pools).

    With `work_request` the answer carries the LaunchInstance work request, finished when it runs.
    """
    comp = ctx.compartment(b.get("compartmentId"))
    ad = ctx.require(b.get("availabilityDomain"), "availabilityDomain")
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
    placed = _placement(ctx, b, ad, shape, shape_config, fd)
    fd = placed.pop("faultDomain", None) or fd or fault_domains()[ctx.core.rng.randrange(3)]

    vnic = dict(b.get("createVnicDetails") or {})
    if not vnic.get("subnetId") and b.get("subnetId"):
        vnic["subnetId"] = b["subnetId"]
    subnet = _subnet_for_launch(ctx, vnic, ad)
    nsg_ids = network.check_nsg_ids(ctx, vnic.get("nsgIds"), subnet["vcnId"], "createVnicDetails.nsgIds")
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
    name = b.get("displayName") or default_name(ctx, "instance")
    if len(name) > 255:
        raise invalid("displayName must be at most 255 characters")

    inst = create_instance_docs(
        ctx, region=ctx.region, comp=comp["id"], name=name, ad=ad, fd=fd, shape=shape, shape_config=shape_config,
        image=image, boot_volume=boot_volume, subnet=subnet, assign_public=assign_public,
        private_ip=vnic.get("privateIp"), hostname=hostname.lower() if hostname else None, metadata=metadata,
        tags=ctx.tags(b), state="PROVISIONING", now=ctx.now, rng=ctx.core.rng, ocid=ctx.new_id,
        boot_size_gb=boot_size, vpus=vpus)
    more = dict(extra or {}, **placed)
    if nsg_ids:
        for att in _attached(ctx.store, "vnicattachment", inst["id"]):
            since = {n: inst["timeCreated"] for n in nsg_ids}
            ctx.update("vnic", att["vnicId"], {"nsgIds": nsg_ids, "_nsgSince": since})
    pc = b.get("platformConfig")
    if pc:
        if shape["shape"].startswith("VM.") != pc.get("type", "").endswith("_VM"):
            raise invalid(f"platformConfig.type {pc.get('type')} does not match the shape {shape['shape']}")
        if pc.get("isMeasuredBootEnabled") and not pc.get("isTrustedPlatformModuleEnabled"):
            raise invalid("platformConfig: measured boot needs the trusted platform module (TPM) enabled")
        more["platformConfig"] = {k: v for k, v in pc.items() if v is not None}
    if image is not None and image.get("_family") == "windows-vm":
        more["_password"] = _initial_password(ctx)
    if more:
        inst = ctx.update("instance", inst["id"], more)
    wr = None
    if work_request:
        wr = workrequests.start(ctx, "iaas", "LaunchInstance", comp["id"], [
            {"entityType": "instance", "actionType": "IN_PROGRESS", "identifier": inst["id"],
             "entityUri": f"/20160918/instances/{inst['id']}"}])["id"]
    ctx.schedule("instance", inst["id"], {"lifecycleState": "RUNNING"}, steps=1.5, when_state="PROVISIONING",
                 hook="compute.running", args={"wr": wr})
    return inst


def _placement(ctx: Context, b: dict, ad: str, shape: dict, shape_config: dict, fd: str | None) -> dict:
    """Where launch details place the instance: a dedicated VM host, a capacity reservation, a compute
    cluster (checked as OCI does: 400 for what cannot match, 409 for a full reservation); the fields to set
    on the instance (and the fault domain the host or reservation decides)."""
    from . import compute_hosts as hosts  # it imports this module (shapes)

    out: dict = {}
    ocpus = float(shape_config.get("ocpus") or shape.get("ocpus") or 0)
    memory = float(shape_config.get("memoryInGBs") or shape.get("memoryInGBs") or 0)
    if b.get("dedicatedVmHostId"):
        out.update(hosts.check_placement(ctx, b["dedicatedVmHostId"], ad, shape["shape"], ocpus, memory))
        if fd is not None and fd != out["faultDomain"]:
            raise invalid(f"faultDomain: the dedicated virtual machine host is in {out['faultDomain']}, not {fd}")
    if b.get("capacityReservationId"):
        if out:
            raise invalid("capacityReservationId: an instance on a dedicated virtual machine host cannot use a "
                          "capacity reservation")
        res = hosts.RESERVATION.find_live(ctx, "computecapacityreservation", b["capacityReservationId"],
                                          "capacityReservationId")
        if res["lifecycleState"] != "ACTIVE":
            raise incorrect_state(f"The capacity reservation {res['displayName']} is {res['lifecycleState']}")
        if res["availabilityDomain"] != ad:
            raise invalid(f"capacityReservationId: the reservation is in {res['availabilityDomain']}, not {ad}")
        configs = [c for c in hosts.reservation_view(ctx, res)["instanceReservationConfigs"]
                   if c["instanceShape"] == shape["shape"] and (fd is None or c.get("faultDomain") in (None, fd))]
        if not configs:
            raise invalid(f"capacityReservationId: the reservation {res['displayName']} reserves no "
                          f"{shape['shape']}" + (f" in {fd}" if fd else ""))
        if shape.get("isFlexible"):
            sized = [c for c in configs if (c.get("instanceShapeConfig") or {}).get("ocpus") == ocpus
                     and (c.get("instanceShapeConfig") or {}).get("memoryInGBs") == memory]
            if not sized:
                sizes = [c["instanceShapeConfig"] for c in configs if c.get("instanceShapeConfig")]
                have = ", ".join(f"{z['ocpus']:g} OCPUs/{z['memoryInGBs']:g} GB" for z in sizes)
                raise invalid(f"capacityReservationId: the reservation {res['displayName']} reserves {shape['shape']} "
                              f"as {have}, not {ocpus:g} OCPUs/{memory:g} GB")
            configs = sized
        free = [c for c in configs if c["usedCount"] < c["reservedCount"]]
        if not free:
            used = sum(c["usedCount"] for c in configs)
            raise conflict(f"The capacity reservation {res['displayName']} has no {shape['shape']} capacity left "
                           f"({used} of {sum(c['reservedCount'] for c in configs)} in use)")
        out["capacityReservationId"] = res["id"]
        if free[0].get("faultDomain"):
            out["faultDomain"] = free[0]["faultDomain"]
    if b.get("computeClusterId"):
        cluster = hosts.CLUSTER.find_live(ctx, "computecluster", b["computeClusterId"], "computeClusterId")
        if cluster["availabilityDomain"] != ad:
            raise invalid(f"computeClusterId: the compute cluster is in {cluster['availabilityDomain']}, not {ad}")
        if not shape["shape"].startswith("BM."):
            raise invalid(f"computeClusterId: a compute cluster holds bare metal instances, not {shape['shape']}")
        out["computeClusterId"] = cluster["id"]
    return out


def _initial_password(ctx: Context) -> str:
    """A Windows instance's one-time password: 16 characters of every class (OCI's complexity rules)."""
    rng = ctx.core.rng
    pools = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnopqrstuvwxyz", "23456789", "!#%+-_")
    chars = [rng.choice(p) for p in pools] + [rng.choice("".join(pools)) for _ in range(12)]
    rng.shuffle(chars)
    return "".join(chars)


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
            store.update("workrequest", wr["id"],
                         {"resources": [dict(r, actionType="CREATED") for r in wr["resources"]]})
        workrequests.finish(core, args["wr"], True, "Instance is running")


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
    if inst["lifecycleState"] in ("CREATING_IMAGE", "PROVISIONING", "MOVING"):
        raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}; wait until it is "
                              "done before terminating it")
    preserve = bool(ctx.query.get("preserveBootVolume", False))
    ctx.update("instance", inst["id"], {"lifecycleState": "TERMINATING"})
    wr = workrequests.start(ctx, "iaas", "TerminateInstance", inst["compartmentId"], [
        {"entityType": "instance", "actionType": "IN_PROGRESS", "identifier": inst["id"],
         "entityUri": f"/20160918/instances/{inst['id']}"}])
    ctx.schedule("instance", inst["id"], {"lifecycleState": "TERMINATED"}, steps=1.5, when_state="TERMINATING",
                 hook="compute.terminated", args={"preserve": preserve, "wr": wr["id"]})
    return None


ON_TERMINATED: list = []  # fn(core, instance) called once an instance is TERMINATED


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
    for c in store.by_field("instanceconsoleconnection", "instanceId", inst["id"]):
        if c["lifecycleState"] == "ACTIVE":
            store.update("instanceconsoleconnection", c["id"], {"lifecycleState": "DELETED"})
    for fn in ON_TERMINATED:  # instance pools drop the instance (compute_management)
        fn(core, inst)
    if args.get("wr"):
        workrequests.finish(core, args["wr"], True, "Instance terminated")


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
    rebooted = reshape and inst["lifecycleState"] == "RUNNING"
    if rebooted:
        # a running instance is rebooted onto its new shape
        inst = _run_action(ctx, inst, "SOFTRESET")
    wr = workrequests.start(ctx, "iaas", "UpdateInstance", inst["compartmentId"], [
        {"entityType": "instance", "actionType": "IN_PROGRESS", "identifier": inst["id"],
         "entityUri": f"/20160918/instances/{inst['id']}"}])
    # done once a reshaped instance runs again (the soft reset's steps), else at once
    ctx.schedule(None, None, {}, steps=2.5 if rebooted else 1, hook="compute.wr_done",
                 args={"wr": wr["id"], "message": "Instance updated"})
    return inst


@svc.hook("compute.wr_done")
def _wr_done(core, _doc: dict, args: dict) -> None:
    workrequests.finish(core, args["wr"], args.get("ok", True), args.get("message"))


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


# ---------------------------------------------------------------- instances: devices, credentials, shielded

@svc.op("list_instance_devices")
def list_instance_devices(ctx: Context):
    """The block-volume device paths of an instance, and whether each is free (consistent device paths)."""
    from .blockstorage import DEVICES
    inst = ctx.get("instance", ctx.path["instanceId"], "instance")
    used = {a.get("device") for a in ctx.store.by_field("volumeattachment", "instanceId", inst["id"])
            if a.get("lifecycleState") in ("ATTACHING", "ATTACHED", "DETACHING")}
    out = [{"name": d, "isAvailable": d not in used} for d in DEVICES]
    if ctx.query.get("isAvailable") is not None:
        out = [d for d in out if d["isAvailable"] == ctx.query["isAvailable"]]
    if ctx.query.get("name"):
        out = [d for d in out if d["name"] == ctx.query["name"]]
    return out


@svc.op("get_windows_instance_initial_credentials")
def get_windows_instance_initial_credentials(ctx: Context):
    inst = ctx.get("instance", ctx.path["instanceId"], "instance")
    if not inst.get("_password"):
        raise ApiError(404, "NotAuthorizedOrNotFound",
                       f"Instance {inst['displayName']} was not launched from a Windows image: it has no initial "
                       "Windows credentials (connect with the SSH key given at launch)")
    if inst["lifecycleState"] in ("PROVISIONING", "TERMINATING", "TERMINATED"):
        raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}")
    return {"username": "opc", "password": inst["_password"]}


def _shielded(ctx: Context) -> dict:
    inst = ctx.get_for_write("instance", ctx.path["instanceId"], "instance")
    if not (inst.get("platformConfig") or {}).get("isMeasuredBootEnabled"):
        raise invalid(f"Instance {inst['displayName']} is not a shielded instance with measured boot enabled "
                      "(platformConfig.isMeasuredBootEnabled)")
    if inst["lifecycleState"] != "RUNNING":
        raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}; it must be RUNNING")
    return inst


def _pcrs(inst: dict) -> list[dict]:
    """The PCR values the instance's firmware measured at its last boot (SHA-256, PCRs 0-7)."""
    seed = f"{inst['id']}/{inst.get('imageId')}/{inst['shape']}"
    return [{"pcrIndex": str(i), "hashAlgorithm": "SHA256",
             "value": hashlib.sha256(f"{seed}/pcr{i}".encode()).hexdigest().upper()} for i in range(8)]


@svc.op("get_measured_boot_report")
def get_measured_boot_report(ctx: Context):
    inst = _shielded(ctx)
    actual = _pcrs(inst)
    policy = inst.get("_bootPolicy") or actual  # the first boot's measurements are the golden policy
    return {"isPolicyVerificationSuccessful": policy == actual, "measurements": {"policy": policy, "actual": actual}}


@svc.op("accept_shielded_integrity_policy")
def accept_shielded_integrity_policy(ctx: Context):
    inst = _shielded(ctx)
    ctx.update("instance", inst["id"], {"_bootPolicy": _pcrs(inst)})
    return None


# ---------------------------------------------------------------- custom images

_IMAGE_NAME_MAX = 255


def _image_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None and existing.get("_platform"):
        raise ApiError(404, "NotAuthorizedOrNotFound",
                       f"Image {existing['displayName']} is a platform image: it cannot be changed")
    for f in ("operatingSystem", "operatingSystemVersion"):
        v = body.get(f)
        if v is not None and (not str(v).strip() or len(v) > _IMAGE_NAME_MAX):
            raise invalid(f"{f} must be 1-{_IMAGE_NAME_MAX} characters")
    return {}


def _image_not_platform(ctx: Context, doc: dict) -> None:
    if doc.get("_platform"):
        raise ApiError(404, "NotAuthorizedOrNotFound",
                       f"Image {doc['displayName']} is a platform image: only custom images can be deleted")
    if doc["lifecycleState"] not in ("AVAILABLE", "DISABLED"):
        raise incorrect_state(f"Image {doc['displayName']} is {doc['lifecycleState']}; wait until it is AVAILABLE")


IMAGE = svc.resource(Kind("image", "Image", "image", search="Image", validate=_image_checks,
                          check_delete=_image_not_platform, on_ready=lambda core, doc: _image_ready(core, doc),
                          lifecycle=Lifecycle("PROVISIONING", "AVAILABLE", None, None, "DELETED"),
                          live=("PROVISIONING", "IMPORTING", "AVAILABLE", "EXPORTING")))

_OS_URI = re.compile(r"^/n/([^/]+)/b/([^/]+)/o/(.+)$")


def _object_ref(ctx: Context, d: dict, where: str) -> tuple[dict, str]:
    """(bucket, object name) named by an ObjectStorageUri or ObjectStorageTuple body."""
    from . import object_storage as os_
    if d.get("sourceType", d.get("destinationType")) in ("objectStorageUri",):
        uri = d.get("sourceUri") or d.get("destinationUri")
        ctx.require(uri, f"{where}.{'sourceUri' if 'sourceType' in d else 'destinationUri'}")
        path = urlparse(uri).path
        path = re.sub(r"^/p/[^/]+", "", path)  # a pre-authenticated request's URL
        m = _OS_URI.match(path)
        if not m or not urlparse(uri).scheme.startswith("http"):
            raise invalid(f"{where}: '{uri[:200]}' is not an Object Storage URL "
                          "(https://objectstorage.<region>.oraclecloud.com/n/<namespace>/b/<bucket>/o/<object>)")
        ns, bucket, name = m.group(1), unquote(m.group(2)), unquote(m.group(3))
    else:
        ns = ctx.require(d.get("namespaceName"), f"{where}.namespaceName")
        bucket = ctx.require(d.get("bucketName"), f"{where}.bucketName")
        name = ctx.require(d.get("objectName"), f"{where}.objectName")
    if ns != os_.namespace_of(ctx.tenancy_id):
        raise ApiError(404, "NotAuthorizedOrNotFound", f"{where}: namespace '{ns}' does not exist or you are "
                       "not authorized to use it")
    b = os_.find_bucket(ctx.store, ctx.region, bucket)
    if b is None:
        raise ApiError(404, "BucketNotFound", f"{where}: bucket '{bucket}' does not exist in namespace '{ns}'")
    return b, name


def _latest_object(store, bucket: dict, name: str) -> dict | None:
    return next((o for o in store.by_field("osobject", "_key", f"{bucket['id']}/{name}")
                 if o.get("_latest") and not o.get("isDeleteMarker")), None)


@svc.op("create_image")
def create_image(ctx: Context):
    b = ctx.body or {}
    src = b.get("imageSourceDetails")
    inst = None
    if b.get("instanceId") and src:
        raise invalid("Give either instanceId or imageSourceDetails, not both")
    extra: dict = {"createImageAllowed": True, "listingType": "NONE", "billableSizeInGBs": 0,
                   "agentFeatures": {"isMonitoringSupported": True, "isManagementSupported": True}}
    if src:
        bucket, name = _object_ref(ctx, src, "imageSourceDetails")
        obj = _latest_object(ctx.store, bucket, name)
        if obj is None:
            raise ApiError(404, "ObjectNotFound", f"imageSourceDetails: object '{name}' does not exist in bucket "
                           f"'{bucket['name']}'")
        fmt = src.get("sourceImageType") or "QCOW2"
        mode = b.get("launchMode") or ("PARAVIRTUALIZED" if fmt == "QCOW2" else "EMULATED")
        extra.update(operatingSystem=src.get("operatingSystem") or "Custom",
                     operatingSystemVersion=src.get("operatingSystemVersion") or "Custom", launchMode=mode,
                     launchOptions=_launch_options(mode), sizeInMBs=max(1, obj["size"] // (1024 * 1024)),
                     _arch="x86_64", _family="linux", _importing=True)
    else:
        inst = ctx.get_for_write("instance", ctx.require(b.get("instanceId"), "instanceId"), "instance")
        if inst["lifecycleState"] not in ("RUNNING", "STOPPED"):
            raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}; an image can be "
                                  "created from a RUNNING or STOPPED instance")
        base = ctx.find("image", inst.get("imageId") or "") or {}
        bv = next((ctx.store.get("bootvolume", a["bootVolumeId"])
                   for a in _attached(ctx.store, "bootvolumeattachment", inst["id"])
                   if a["lifecycleState"] == "ATTACHED"), None) or {}
        if base and not base.get("createImageAllowed", True):
            raise invalid(f"The image {base['displayName']} of this instance does not allow creating images")
        shapes = [s["shape"] for s in SHAPES.values() if (image_compatible(base, s) if base else
                                                         s.get("_arch") == SHAPES[inst["shape"]].get("_arch"))]
        extra.update(operatingSystem=base.get("operatingSystem", "Custom"),
                     operatingSystemVersion=base.get("operatingSystemVersion", "Custom"),
                     baseImageId=base.get("id"), launchMode=b.get("launchMode") or inst.get("launchMode"),
                     launchOptions=dict(inst.get("launchOptions") or _launch_options("PARAVIRTUALIZED")),
                     sizeInMBs=int((bv.get("sizeInGBs") or 50) * 1024),
                     _arch=SHAPES[inst["shape"]].get("_arch", "x86_64"), _family=base.get("_family", "linux"),
                     _compat=shapes, _prior=inst["lifecycleState"], _instance=inst["id"])
    extra["_compat"] = extra.get("_compat") or [s["shape"] for s in SHAPES.values()
                                                if _natively_compatible(extra, s)]
    body = dict(b)
    body.pop("instanceId", None)
    # the engine answers with the work request and makes it AVAILABLE (then _image_ready, its on_ready)
    doc = IMAGE.create(ctx, body, extra)
    if src:  # an import is IMPORTING instead of PROVISIONING (the engine's step is then skipped)
        doc = ctx.update("image", doc["id"], {"lifecycleState": "IMPORTING"})
        ctx.schedule("image", doc["id"], {"lifecycleState": "AVAILABLE"}, steps=2, when_state="IMPORTING",
                     hook="compute.wr_done", args={"wr": ctx.response_headers.get("opc-work-request-id"),
                                                   "message": "Image imported"})
    else:
        ctx.update("instance", inst["id"], {"lifecycleState": "CREATING_IMAGE"})
    return IMAGE.public(doc)


def _launch_options(mode: str) -> dict:
    pv = mode == "PARAVIRTUALIZED"
    return {"bootVolumeType": "PARAVIRTUALIZED" if pv else "ISCSI", "firmware": "UEFI_64" if pv else "BIOS",
            "networkType": "PARAVIRTUALIZED" if pv else "E1000", "remoteDataVolumeType": "PARAVIRTUALIZED",
            "isPvEncryptionInTransitEnabled": False, "isConsistentVolumeNamingEnabled": pv}


def _image_ready(core, img: dict) -> None:
    """The image is AVAILABLE: its instance goes back to the state it was in."""
    inst_id = (img or {}).get("_instance")
    if inst_id:
        inst = core.store.get("instance", inst_id)
        if inst is not None and inst["lifecycleState"] == "CREATING_IMAGE":
            core.store.update("instance", inst_id, {"lifecycleState": img.get("_prior", "RUNNING")})


@svc.op("change_image_compartment")
def change_image_compartment(ctx: Context):
    img = ctx.get("image", ctx.path["imageId"], "image")
    if img.get("_platform"):
        raise ApiError(404, "NotAuthorizedOrNotFound", f"Image {img['displayName']} is a platform image: it is "
                       "in no compartment and cannot be moved")
    return IMAGE.move(ctx, img["id"])


def _qcow2(size_bytes: int, note: bytes) -> bytes:
    """A QCOW2 (version 3) header for a disk of `size_bytes` (what `qemu-img info` reads), then `note`."""
    header = struct.pack(">4sIQIIQIIQQIIQQQII", b"QFI\xfb", 3, 0, 0, 16, size_bytes, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                         4, 104)
    return header + b"\0" * (512 - len(header)) + note


@svc.op("export_image")
def export_image(ctx: Context):
    from . import object_storage as os_
    img = ctx.get_for_write("image", ctx.path["imageId"], "image")
    if img["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"Image {img['displayName']} is {img['lifecycleState']}; it can be exported when "
                              "AVAILABLE")
    b = ctx.body or {}
    bucket, name = _object_ref(ctx, b, "exportImageDetails")
    os_._check_writable(bucket)
    fmt = b.get("exportFormat") or "OCI"
    note = (f"OCI image export\nimage: {img['id']}\nname: {img['displayName']}\nos: {img['operatingSystem']} "
            f"{img['operatingSystemVersion']}\nformat: {fmt}\nexported: {ctx.ts()}\n").encode()
    data = _qcow2(int(img.get("sizeInMBs") or 0) * 1024 * 1024, note)
    blob = os_.write_blob(ctx.core, data)
    md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
    os_.store_object(ctx.core, bucket, name, [(blob, len(data))], md5=md5, now=ctx.now,
                     content={"contentType": "application/octet-stream"})
    img = ctx.update("image", img["id"], {"lifecycleState": "EXPORTING"})
    wr = workrequests.start(ctx, "iaas", "ExportImage", img["compartmentId"] or ctx.tenancy_id, [
        {"entityType": "image", "actionType": "IN_PROGRESS", "identifier": img["id"],
         "entityUri": f"/20160918/images/{img['id']}"}])
    ctx.schedule("image", img["id"], {"lifecycleState": "AVAILABLE"}, steps=2, when_state="EXPORTING",
                 hook="compute.wr_done", args={"wr": wr["id"], "message": f"Exported to {bucket['name']}/{name}"})
    return IMAGE.public(img)


def _custom_image(ctx: Context) -> dict:
    img = ctx.get("image", ctx.path["imageId"], "image")
    if img.get("_platform"):
        raise ApiError(404, "NotAuthorizedOrNotFound", f"Image {img['displayName']} is a platform image: its "
                       "compatible shapes cannot be changed")
    return img


def _entry(img: dict, shape: str) -> dict:
    e = {"imageId": img["id"], "shape": shape}
    e.update((img.get("_constraints") or {}).get(shape, {}))
    return e


@svc.op("add_image_shape_compatibility_entry")
def add_image_shape_compatibility_entry(ctx: Context):
    img = _custom_image(ctx)
    name = ctx.path["shapeName"]
    shape = SHAPES.get(name)
    if shape is None:
        raise invalid(f"Shape {name} does not exist")
    if not _natively_compatible(img, shape):
        raise invalid(f"Image {img['displayName']} ({img.get('_arch', 'x86_64')}) cannot run on {name}")
    b = ctx.body or {}
    if not b and ctx.raw_body:  # the SDK sends the details as a keyword the operation spec does not name
        from .. import models
        from ..protocol import parse_json
        b = models.validate("core", "AddImageShapeCompatibilityEntryDetails", parse_json(ctx.raw_body),
                            "addImageShapeCompatibilityEntryDetails") or {}
    cons = {}
    oc, mc = b.get("ocpuConstraints"), b.get("memoryConstraints")
    if shape["isFlexible"]:
        oo, mo = shape["ocpuOptions"], shape["memoryOptions"]
        if oc:
            lo, hi = oc.get("min", oo["min"]), oc.get("max", oo["max"])
            if not oo["min"] <= lo <= hi <= oo["max"]:
                raise invalid(f"ocpuConstraints must be within {oo['min']:g}-{oo['max']:g} for {name}, min <= max")
            cons["ocpuConstraints"] = {"min": int(lo), "max": int(hi)}
        if mc:
            lo, hi = mc.get("minInGBs", mo["minInGBs"]), mc.get("maxInGBs", mo["maxInGBs"])
            if not mo["minInGBs"] <= lo <= hi <= mo["maxInGBs"]:
                raise invalid(f"memoryConstraints must be within {mo['minInGBs']:g}-{mo['maxInGBs']:g} GB for {name}")
            cons["memoryConstraints"] = {"minInGBs": int(lo), "maxInGBs": int(hi)}
    elif oc or mc:
        raise invalid(f"{name} is a fixed shape: OCPU and memory constraints apply to flexible shapes only")
    compat = list(img.get("_compat") or [])
    if name not in compat:
        compat.append(name)
    constraints = dict(img.get("_constraints") or {})
    constraints[name] = cons
    img = ctx.update("image", img["id"], {"_compat": compat, "_constraints": constraints})
    return _entry(img, name)


@svc.op("remove_image_shape_compatibility_entry")
def remove_image_shape_compatibility_entry(ctx: Context):
    img = _custom_image(ctx)
    name = ctx.path["shapeName"]
    compat = list(img.get("_compat") or [])
    if name not in compat:
        raise not_found("image shape compatibility entry", name)
    compat.remove(name)
    ctx.update("image", img["id"], {"_compat": compat})
    return None


# ---------------------------------------------------------------- console connections

def _ssh_fingerprint(key: str, field: str) -> str:
    """The MD5 fingerprint of an OpenSSH public key, as OCI shows it (aa:bb:...)."""
    parts = key.strip().split()
    if len(parts) < 2 or not SSH_KEY_RE.match(key.strip()):
        raise invalid(f"{field} is not an OpenSSH public key (ssh-rsa AAAA... or ssh-ed25519 AAAA...)")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except ValueError:
        raise invalid(f"{field}: the key's base64 data is not valid") from None
    n = struct.unpack(">I", blob[:4])[0] if len(blob) >= 4 else -1
    if blob[4:4 + n].decode("latin-1") != parts[0]:
        raise invalid(f"{field}: the key data does not hold a {parts[0]} key")
    digest = hashlib.md5(blob).hexdigest()
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def _console_checks(ctx: Context, body: dict, existing: dict | None) -> dict:
    if existing is not None:
        return {}
    inst = ctx.get("instance", body["instanceId"], "instance")
    if inst["lifecycleState"] not in ("RUNNING", "STOPPED", "STARTING", "STOPPING"):
        raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}")
    if any(c["lifecycleState"] in ("CREATING", "ACTIVE")
           for c in ctx.store.by_field("instanceconsoleconnection", "instanceId", inst["id"])):
        raise conflict(f"Instance {inst['displayName']} already has a console connection; delete it first "
                       "(an instance can have one at a time)")
    fp = _ssh_fingerprint(ctx.require(body.get("publicKey"), "publicKey"), "publicKey")
    return {"fingerprint": fp, "_publicKey": body["publicKey"].strip()}


def _console_ready(core, doc: dict) -> None:
    host = f"instance-console.{doc['_region']}.oci.oraclecloud.com"
    proxy = f"ssh -o ProxyCommand='ssh -W %h:%p -p 443 {doc['id']}@{host}'"
    host_key = hashlib.md5(f"{host}/{doc['_region']}".encode()).hexdigest()
    core.store.update("instanceconsoleconnection", doc["id"], {
        "connectionString": f"{proxy} {doc['instanceId']}",
        "vncConnectionString": f"{proxy} -N -L localhost:5900:{doc['instanceId']}:5900 {doc['instanceId']}",
        "serviceHostKeyFingerprint": ":".join(host_key[i:i + 2] for i in range(0, 32, 2))})


CONSOLE_CONNECTION = svc.resource(Kind(
    "instanceconsoleconnection", "InstanceConsoleConnection", "console connection", name_field=None,
    parent=("instanceId", "instance"), validate=_console_checks, on_ready=_console_ready,
    lifecycle=Lifecycle("CREATING", "ACTIVE", None, "DELETING", "DELETED")))


@svc.op("create_instance_console_connection")
def create_instance_console_connection(ctx: Context):
    b = ctx.body or {}
    inst = ctx.get("instance", ctx.require(b.get("instanceId"), "instanceId"), "instance")
    # the connection is in its instance's compartment (the request names none)
    return CONSOLE_CONNECTION.create(ctx, dict(b, compartmentId=inst["compartmentId"]))


# ---------------------------------------------------------------- console histories

HISTORY = svc.resource(Kind(
    "consolehistory", "ConsoleHistory", "console history", noun="console_history", default_name="consolehistory",
    parent=("instanceId", "instance"), ops={"create": "", "list": "list_console_histories"},
    lifecycle=Lifecycle(None, "SUCCEEDED", None, None, None),  # its steps are scheduled by capture
    live=("REQUESTED", "GETTING-HISTORY", "SUCCEEDED")))


@svc.op("capture_console_history")
def capture_console_history(ctx: Context):
    b = ctx.body or {}
    inst = ctx.get_for_write("instance", ctx.require(b.get("instanceId"), "instanceId"), "instance")
    if inst["lifecycleState"] not in ("RUNNING", "STOPPED", "STARTING", "STOPPING"):
        raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}; its console history "
                              "can be captured once it has booted")
    doc = HISTORY.create(ctx, dict(b, compartmentId=inst["compartmentId"]),
                         {"availabilityDomain": inst["availabilityDomain"]})
    # REQUESTED -> GETTING-HISTORY -> SUCCEEDED
    doc = ctx.update("consolehistory", doc["id"], {"lifecycleState": "REQUESTED"})
    ctx.schedule("consolehistory", doc["id"], {"lifecycleState": "GETTING-HISTORY"}, steps=0.5,
                 when_state="REQUESTED")
    ctx.schedule("consolehistory", doc["id"], {"lifecycleState": "SUCCEEDED"}, steps=1,
                 when_state="GETTING-HISTORY", hook="compute.history_captured")
    return doc


def console_text(store, inst: dict, captured: float) -> str:
    """The instance's serial console output since its last boot: firmware, kernel, systemd, login."""
    img = store.get("image", inst.get("imageId") or "") or {}
    vnic = next((store.get("vnic", a["vnicId"]) for a in _attached(store, "vnicattachment", inst["id"])
                 if a.get("nicIndex", 0) == 0), None) or {}
    host = vnic.get("hostnameLabel") or re.sub(r"[^a-z0-9-]", "", inst["displayName"].lower()) or "instance"
    arch = SHAPES.get(inst["shape"], {}).get("_arch", "x86_64")
    os_name, ver = img.get("operatingSystem", "Linux"), img.get("operatingSystemVersion", "")
    boot = inst["timeCreated"]
    if img.get("_family") == "windows-vm":
        return "\r\n".join([
            "BdsDxe: loading Boot0001 \"Windows Boot Manager\" from HD(1,GPT)", "",
            "Computer is booting, SAC started and initialized.", "",
            "Use the \"ch -?\" command for information about using channels.",
            "Use the \"?\" command for general help.", "",
            f"SAC> EVENT: The CMD command is now available. ({boot})",
            f"Windows {ver} ({inst['shape']}, {inst['shapeConfig'].get('ocpus', 0):g} OCPU) started at {boot}",
            f"Computer name: {host.upper()[:15]}", f"Console history captured at {ts(captured)}", ""])
    kernel = "5.15.0-308.179.6.el9uek" if os_name == "Oracle Linux" else "6.8.0-1016-oracle"
    ip = vnic.get("privateIp", "")
    pretty = {"Oracle Linux": f"Oracle Linux Server {ver}", "Canonical Ubuntu": f"Ubuntu {ver} LTS"}.get(
        os_name, f"{os_name} {ver}".strip())
    lines = [
        "BdsDxe: loading Boot0001 \"UEFI BlockVolume\" from PciRoot(0x0)/Pci(0x12,0x7)", "",
        f"[    0.000000] Linux version {kernel}.{arch} (mockbuild@host) #2 SMP {boot}",
        f"[    0.000000] Command line: BOOT_IMAGE=(hd0,gpt2)/vmlinuz-{kernel}.{arch} root=/dev/mapper/ocivolume-root "
        "ro crashkernel=auto console=tty0 console=ttyS0,115200n8 rd.luks=0 rd.md=0 rd.dm=0",
        f"[    0.000000] DMI: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.6.6 {boot[:10]}",
        f"[    0.012345] CPU: {inst['shapeConfig'].get('processorDescription', '')}",
        f"[    0.024000] Memory: {int(inst['shapeConfig'].get('memoryInGBs', 1) * 1024 * 1024)}K available",
        "[    2.318211] systemd[1]: Detected virtualization kvm.",
        f"[    2.318522] systemd[1]: Hostname set to <{host}>.",
        f"[    4.102334] cloud-init[901]: Cloud-init v. 23.4 running 'init' at {boot}.",
        f"[    4.512007] cloud-init[901]: ci-info: | ens3 | True | {ip} | . | global |",
        f"[    9.877120] cloud-init[1402]: Cloud-init v. 23.4 finished at {boot}. Datasource DataSourceOracle.",
        "", f"{pretty}", f"Kernel {kernel}.{arch} on an {arch}", "", f"{host} login: ", "",
        f"[console history captured at {ts(captured)}]", ""]
    return "\n".join(lines)


@svc.hook("compute.history_captured")
def _history_captured(core, doc: dict, _args: dict) -> None:
    if not doc:
        return
    inst = core.store.get("instance", doc["instanceId"])
    text = console_text(core.store, inst, core.clock.now()) if inst else ""
    core.store.update("consolehistory", doc["id"], {"_content": text})


CONTENT_MAX = 10 * 1024 * 1024  # what one GetConsoleHistoryContent returns at most (OCI: 10 MB)


@svc.op("get_console_history_content")
def get_console_history_content(ctx: Context):
    doc = ctx.get("consolehistory", ctx.path["instanceConsoleHistoryId"], "console history")
    if doc["lifecycleState"] != "SUCCEEDED":
        raise incorrect_state(f"The console history is {doc['lifecycleState']}; its content can be read once it "
                              "has SUCCEEDED")
    data = doc.get("_content", "").encode()
    offset = ctx.query.get("offset") or 0
    length = ctx.query.get("length") or 10240
    if offset < 0 or length < 0:
        raise invalid("offset and length must not be negative")
    length = min(length, CONTENT_MAX)
    chunk = data[offset:offset + length]
    ctx.response_headers["opc-bytes-remaining"] = str(max(0, len(data) - offset - len(chunk)))
    return Result(raw=chunk, content_type="text/plain; charset=utf-8")


# ---------------------------------------------------------------- secondary VNICs

@svc.op("attach_vnic")
def attach_vnic(ctx: Context):
    b = ctx.body or {}
    inst = ctx.get_for_write("instance", ctx.require(b.get("instanceId"), "instanceId"), "instance")
    if inst["lifecycleState"] not in ("RUNNING", "STOPPED"):
        raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}; VNICs can be attached "
                              "to a RUNNING or STOPPED instance")
    live = [a for a in _attached(ctx.store, "vnicattachment", inst["id"])
            if a["lifecycleState"] in ("ATTACHING", "ATTACHED", "DETACHING")]
    limit = int(inst["shapeConfig"].get("maxVnicAttachments") or 1)
    if len(live) >= limit:
        raise ApiError(400, "LimitExceeded", f"Instance {inst['displayName']} ({inst['shape']}) already has "
                       f"{len(live)} VNICs, the most its shape allows")
    shape = SHAPES.get(inst["shape"], {})
    nic = b.get("nicIndex") or 0
    if not 0 <= nic < int(shape.get("networkPorts", 1)):
        raise invalid(f"nicIndex {nic} does not exist on {inst['shape']} (it has {shape.get('networkPorts', 1)} "
                      "physical NIC)")
    vd = dict(b.get("createVnicDetails") or {})
    subnet = _subnet_for_launch(ctx, vd, inst["availabilityDomain"])
    assign_public = vd.get("assignPublicIp")
    if assign_public is None:
        assign_public = not subnet.get("prohibitPublicIpOnVnic", False)
    if assign_public and subnet.get("prohibitPublicIpOnVnic"):
        raise invalid(f"Subnet {subnet['displayName']} is private (prohibitPublicIpOnVnic): "
                      "a public IP cannot be assigned")
    host = vd.get("hostnameLabel")
    if host is not None:
        if not _HOST_RE.match(host):
            raise invalid("createVnicDetails.hostnameLabel must be 1-63 letters, digits or hyphens")
        if any(v.get("hostnameLabel") == host.lower() for v in ctx.store.by_field("vnic", "subnetId", subnet["id"])
               if v["lifecycleState"] != "TERMINATED"):
            raise conflict(f"hostnameLabel '{host}' is already used in subnet {subnet['displayName']}")
    for nsg in vd.get("nsgIds") or []:
        INSTANCE.find_live(ctx, "networksecuritygroup", nsg, "createVnicDetails.nsgIds")
    ip = network.allocate_private_ip(ctx, subnet, vd.get("privateIp"))
    common = {"compartmentId": inst["compartmentId"], "availabilityDomain": inst["availabilityDomain"],
              "_region": ctx.region}
    vnic_id, priv_id = ctx.new_id("vnic"), ctx.new_id("privateip")
    name = vd.get("displayName") or default_name(ctx, "vnic")
    vnic = dict(common, id=vnic_id, displayName=name, isPrimary=False, macAddress=_mac(ctx.core.rng), privateIp=ip,
                subnetId=subnet["id"], skipSourceDestCheck=bool(vd.get("skipSourceDestCheck")),
                nsgIds=list(vd.get("nsgIds") or []), timeCreated=ctx.ts(), lifecycleState="PROVISIONING",
                freeformTags=vd.get("freeformTags") or {}, definedTags=vd.get("definedTags") or {})
    if host:
        vnic["hostnameLabel"] = host.lower()
    if assign_public:
        pub = network.allocate_public_address(ctx)
        vnic["publicIp"] = pub
        ctx.put("publicip", dict(
            id=ctx.new_id("publicip"), compartmentId=inst["compartmentId"], _region=ctx.region,
            displayName=f"publicip-{pub}", ipAddress=pub, lifetime="EPHEMERAL", scope="AVAILABILITY_DOMAIN",
            availabilityDomain=inst["availabilityDomain"], assignedEntityId=priv_id, assignedEntityType="PRIVATE_IP",
            privateIpId=priv_id, lifecycleState="ASSIGNED", timeCreated=ctx.ts(), freeformTags={}, definedTags={}))
    ctx.put("vnic", vnic)
    ctx.put("privateip", dict(
        common, id=priv_id, displayName=ip, hostnameLabel=vnic.get("hostnameLabel"), ipAddress=ip,
        cidrPrefixLength=int(subnet["cidrBlock"].split("/")[1]), isPrimary=True, subnetId=subnet["id"],
        vnicId=vnic_id, ipState="ASSIGNED", lifetime="EPHEMERAL", timeCreated=ctx.ts(), freeformTags={},
        definedTags={}))
    att = ctx.put("vnicattachment", dict(
        common, id=ctx.new_id("vnicattachment"), displayName=b.get("displayName") or f"vnicattachment-{name}",
        instanceId=inst["id"], nicIndex=nic, subnetId=subnet["id"], vnicId=vnic_id, timeCreated=ctx.ts(),
        lifecycleState="ATTACHING"))
    ctx.schedule("vnicattachment", att["id"], {"lifecycleState": "ATTACHED"}, steps=1, when_state="ATTACHING",
                 hook="compute.vnic_attached")
    return att


@svc.hook("compute.vnic_attached")
def _vnic_attached(core, att: dict, _args: dict) -> None:
    v = core.store.get("vnic", (att or {}).get("vnicId", ""))
    if v is not None and v["lifecycleState"] == "PROVISIONING":
        core.store.update("vnic", v["id"], {"lifecycleState": "AVAILABLE"})


@svc.op("detach_vnic")
def detach_vnic(ctx: Context):
    att = ctx.get_for_write("vnicattachment", ctx.path["vnicAttachmentId"], "VNIC attachment")
    if att["lifecycleState"] != "ATTACHED":
        raise incorrect_state(f"The VNIC attachment is {att['lifecycleState']}")
    vnic = ctx.store.get("vnic", att["vnicId"]) or {}
    if vnic.get("isPrimary"):
        raise invalid("The primary VNIC of an instance cannot be detached; terminate the instance instead")
    ctx.update("vnicattachment", att["id"], {"lifecycleState": "DETACHING"})
    ctx.schedule("vnicattachment", att["id"], {"lifecycleState": "DETACHED"}, steps=1, when_state="DETACHING",
                 hook="compute.vnic_detached")
    return None


@svc.hook("compute.vnic_detached")
def _vnic_detached(core, att: dict, _args: dict) -> None:
    store = core.store
    v = store.get("vnic", (att or {}).get("vnicId", ""))
    if v is None:
        return
    store.update("vnic", v["id"], {"lifecycleState": "TERMINATED"})
    for p in store.by_field("privateip", "vnicId", v["id"]):
        for pub in store.by_field("publicip", "privateIpId", p["id"]):
            if pub.get("lifetime") == "EPHEMERAL":
                store.delete("publicip", pub["id"])
            else:  # a reserved public IP stays, unassigned
                store.update("publicip", pub["id"], {"lifecycleState": "AVAILABLE", "privateIpId": None,
                                                     "assignedEntityId": None, "assignedEntityType": None})
        store.delete("privateip", p["id"])


# ---------------------------------------------------------------- boot volume attach/detach

@svc.op("attach_boot_volume")
def attach_boot_volume(ctx: Context):
    b = ctx.body or {}
    inst = ctx.get_for_write("instance", ctx.require(b.get("instanceId"), "instanceId"), "instance")
    bv = ctx.find("bootvolume", ctx.require(b.get("bootVolumeId"), "bootVolumeId"))
    if bv is None:
        raise not_found("boot volume", b["bootVolumeId"])
    if inst["lifecycleState"] != "STOPPED":
        raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}; stop it before attaching "
                              "a boot volume")
    if bv["lifecycleState"] != "AVAILABLE":
        raise incorrect_state(f"Boot volume {bv['displayName']} is {bv['lifecycleState']}")
    if bv["availabilityDomain"] != inst["availabilityDomain"]:
        raise invalid(f"Boot volume {bv['displayName']} is in {bv['availabilityDomain']}, the instance in "
                      f"{inst['availabilityDomain']}")
    if any(a["lifecycleState"] in ("ATTACHING", "ATTACHED", "DETACHING")
           for a in _attached(ctx.store, "bootvolumeattachment", inst["id"])):
        raise conflict(f"Instance {inst['displayName']} already has a boot volume; detach it first")
    if any(a["lifecycleState"] in ("ATTACHING", "ATTACHED", "DETACHING")
           for a in ctx.store.by_field("bootvolumeattachment", "bootVolumeId", bv["id"])):
        raise conflict(f"Boot volume {bv['displayName']} is attached to another instance")
    img = ctx.find("image", bv.get("imageId") or "")
    if img is not None and not image_compatible(img, SHAPES[inst["shape"]]):
        raise invalid(f"Boot volume {bv['displayName']} holds {img['displayName']}, which cannot run on "
                      f"{inst['shape']}")
    eit = b.get("encryptionInTransitType") or "NONE"
    att = ctx.put("bootvolumeattachment", {
        "id": ctx.new_id("instance"), "_region": ctx.region, "compartmentId": inst["compartmentId"],
        "availabilityDomain": inst["availabilityDomain"], "bootVolumeId": bv["id"], "instanceId": inst["id"],
        "displayName": b.get("displayName") or "Remote boot attachment for instance", "timeCreated": ctx.ts(),
        "isPvEncryptionInTransitEnabled": False, "isEncryptionInTransitEnabled": eit != "NONE",
        "encryptionInTransitType": eit, "lifecycleState": "ATTACHING"})
    ctx.schedule("bootvolumeattachment", att["id"], {"lifecycleState": "ATTACHED"}, steps=1, when_state="ATTACHING")
    if img is not None and inst.get("imageId") != img["id"]:
        ctx.update("instance", inst["id"], {"imageId": img["id"]})
    return att


@svc.op("detach_boot_volume")
def detach_boot_volume(ctx: Context):
    att = ctx.get_for_write("bootvolumeattachment", ctx.path["bootVolumeAttachmentId"], "boot volume attachment")
    if att["lifecycleState"] != "ATTACHED":
        raise incorrect_state(f"The boot volume attachment is {att['lifecycleState']}")
    inst = ctx.get("instance", att["instanceId"], "instance")
    if inst["lifecycleState"] != "STOPPED":
        raise incorrect_state(f"Instance {inst['displayName']} is {inst['lifecycleState']}; stop it before detaching "
                              "its boot volume")
    ctx.update("bootvolumeattachment", att["id"], {"lifecycleState": "DETACHING", "timeUpdated": ctx.ts()})
    ctx.schedule("bootvolumeattachment", att["id"], {"lifecycleState": "DETACHED"}, steps=1,
                 when_state="DETACHING")
    return None


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
    # the large seed launches 50,000 instances of five shapes: each shape's config and a region's ADs are
    # worked out once per seed (each instance gets its own copy of the config)
    memo = seed.__dict__.setdefault("_launch_memo", {})
    key = (shape_name, ocpus, mem)
    cfg = memo.get(key)
    if cfg is None:
        cfg = memo[key] = resolve_shape_config(
            shape, {"ocpus": ocpus, "memoryInGBs": mem} if shape["isFlexible"] else None)
    cfg = dict(cfg)
    ads = memo.get(region)
    if ads is None:
        ads = memo[region] = ad_names(region)
    now = seed.t(days_ago if days_ago is not None else 200, 2)
    public = not subnet.get("prohibitPublicIpOnVnic")
    inst = create_instance_docs(
        seed, region=region, comp=comp, name=name, ad=ads[ad_index % len(ads)],
        fd=fault_domains()[seed.rng.randrange(3)], shape=shape, shape_config=cfg, image=image, boot_volume=None,
        subnet=subnet, assign_public=public, private_ip=None, hostname=None,
        metadata={"ssh_authorized_keys": "ssh-ed25519 "
                  "AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl admin@workstation"},
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
            inst_id = next(reversed(seed.store._docs["instance"]))
            inst = seed.store.update("instance", inst_id, {"lifecycleState": "TERMINATED"})
            _terminated(seed.core, inst, {"preserve": False})
