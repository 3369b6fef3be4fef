"""What the tree, and the choice of a kind's module, need of every resource kind, without importing the kind
modules (compiling them all costs ~0.2 s of start-up): generated from the catalog by

    python -m ociconsole.catalog

which rewrites ENTRIES (and LOGGED_KINDS, the kinds with service logs: catalog.logging; EXPORTABLE, the
kinds Terraform can make: catalog.terraform) below. tests/unit/test_catalog_index.py fails while it is out of date.
"""

from __future__ import annotations

from typing import NamedTuple


class KindEntry(NamedTuple):
    id: str
    module: str  # ociconsole.catalog.<module> declares it
    label: str
    group: str
    order: int
    scope: str
    icon: str
    ocid_types: tuple[str, ...]
    gets: bool  # the kind can get one resource by its OCID


# generated: begin
ENTRIES: tuple[KindEntry, ...] = (
    KindEntry('compute.instance', 'compute', 'Instances', 'Compute', 1, 'compartment', 'instance', ('instance',), True),
    KindEntry('compute.boot_volume', 'compute', 'Boot volumes', 'Compute', 2, 'compartment', 'volume', ('bootvolume',), True),
    KindEntry('compute.image', 'compute', 'Custom images', 'Compute', 3, 'compartment', 'image', ('image',), True),
    KindEntry('compute.instance_pool', 'compute', 'Instance pools', 'Compute', 4, 'compartment', 'instance', ('instancepool',), True),
    KindEntry('compute.instance_configuration', 'compute', 'Instance configurations', 'Compute', 5, 'compartment', 'file', ('instanceconfiguration',), True),
    KindEntry('compute.console_connection', 'compute', 'Console connections', 'Compute', 100, 'hidden', 'link', ('instanceconsoleconnection',), True),
    KindEntry('compute.dedicated_vm_host', 'compute_hosts', 'Dedicated VM hosts', 'Compute', 40, 'compartment', 'instance', ('dedicatedvmhost',), True),
    KindEntry('compute.capacity_reservation', 'compute_hosts', 'Capacity reservations', 'Compute', 41, 'compartment', 'policy', ('capacityreservation',), True),
    KindEntry('network.vcn', 'network', 'VCNs', 'Networking', 1, 'compartment', 'vcn', ('vcn',), True),
    KindEntry('network.subnet', 'network', 'Subnets', 'Networking', 2, 'compartment', 'subnet', ('subnet',), True),
    KindEntry('network.internet_gateway', 'network', 'Internet gateways', 'Networking', 3, 'compartment', 'gateway', ('internetgateway',), True),
    KindEntry('network.nat_gateway', 'network', 'NAT gateways', 'Networking', 4, 'compartment', 'gateway', ('natgateway',), True),
    KindEntry('network.service_gateway', 'network', 'Service gateways', 'Networking', 5, 'compartment', 'gateway', ('servicegateway',), True),
    KindEntry('network.route_table', 'network', 'Route tables', 'Networking', 5, 'compartment', 'route', ('routetable',), True),
    KindEntry('network.security_list', 'network', 'Security lists', 'Networking', 6, 'compartment', 'security', ('securitylist',), True),
    KindEntry('network.nsg', 'network', 'Network security groups', 'Networking', 7, 'compartment', 'security', ('networksecuritygroup',), True),
    KindEntry('network.drg', 'network', 'Dynamic routing gateways', 'Networking', 8, 'compartment', 'gateway', ('drg',), True),
    KindEntry('network.drg_attachment', 'network', 'DRG attachments', 'Networking', 9, 'compartment', 'attach', ('drgattachment',), True),
    KindEntry('network.lpg', 'network', 'Local peering gateways', 'Networking', 10, 'compartment', 'gateway', ('localpeeringgateway',), True),
    KindEntry('network.vnic', 'network', 'VNICs', 'Networking', 100, 'hidden', 'vnic', ('vnic',), True),
    KindEntry('network.cpe', 'network_edge', 'Customer-premises equipment', 'Networking', 20, 'compartment', 'gateway', ('cpe',), True),
    KindEntry('network.ipsec_connection', 'network_edge', 'IPSec connections', 'Networking', 21, 'compartment', 'gateway', ('ipsecconnection',), True),
    KindEntry('network.virtual_circuit', 'network_edge', 'FastConnect virtual circuits', 'Networking', 22, 'compartment', 'gateway', ('virtualcircuit',), True),
    KindEntry('identity.compartment', 'identity', 'Compartments', 'Identity', 1, 'compartment', 'compartment', ('compartment', 'tenancy'), True),
    KindEntry('identity.user', 'identity', 'Users', 'Identity', 2, 'tenancy', 'user', ('user',), True),
    KindEntry('identity.group', 'identity', 'Groups', 'Identity', 3, 'tenancy', 'group', ('group',), True),
    KindEntry('identity.dynamic_group', 'identity', 'Dynamic groups', 'Identity', 4, 'tenancy', 'group', ('dynamicgroup',), True),
    KindEntry('identity.policy', 'identity', 'Policies', 'Identity', 5, 'compartment', 'policy', ('policy',), True),
    KindEntry('identity.network_source', 'identity', 'Network sources', 'Identity', 6, 'tenancy', 'security', ('networksource',), True),
    KindEntry('identity.auth_token', 'identity', 'Auth tokens', 'Identity', 100, 'hidden', 'security', (), False),
    KindEntry('identity.customer_secret_key', 'identity', 'Customer secret keys', 'Identity', 100, 'hidden', 'security', (), False),
    KindEntry('identity.smtp_credential', 'identity', 'SMTP credentials', 'Identity', 100, 'hidden', 'security', (), False),
    KindEntry('identity.credential', 'identity', 'Credentials', 'Identity', 100, 'hidden', 'security', (), False),
    KindEntry('identity.tag_default', 'identity', 'Tag defaults', 'Identity', 7, 'compartment', 'policy', ('tagdefault',), True),
    KindEntry('monitoring.alarm', 'monitoring', 'Alarms', 'Observability', 1, 'compartment', 'alarm', ('alarm',), True),
    KindEntry('monitoring.metric_data', 'monitoring', 'Custom metrics', 'Observability', 100, 'hidden', 'metric', (), False),
    KindEntry('notifications.topic', 'notifications', 'Notification topics', 'Observability', 2, 'compartment', 'link', ('onstopic',), True),
    KindEntry('objectstorage.bucket', 'object_storage', 'Buckets', 'Storage', 1, 'compartment', 'bucket', ('bucket',), True),
    KindEntry('objectstorage.object', 'object_storage', 'Objects', 'Storage', 100, 'hidden', 'file', (), False),
    KindEntry('objectstorage.replication_policy', 'object_storage', 'Replication policies', 'Storage', 100, 'hidden', 'bucket', (), False),
    KindEntry('objectstorage.retention_rule', 'object_storage', 'Retention rules', 'Storage', 100, 'hidden', 'bucket', (), False),
    KindEntry('blockstorage.volume', 'block_volume', 'Block volumes', 'Storage', 10, 'compartment', 'volume', ('volume',), True),
    KindEntry('compute.volume_attachment', 'block_volume', 'Volume attachments', 'Storage', 100, 'hidden', 'attach', ('volumeattachment',), True),
    KindEntry('blockstorage.volume_backup', 'block_volume', 'Volume backups', 'Storage', 11, 'compartment', 'backup', ('volumebackup',), True),
    KindEntry('blockstorage.backup_policy', 'block_volume', 'Backup policies', 'Storage', 12, 'compartment', 'policy-backup', ('volumebackuppolicy',), True),
    KindEntry('blockstorage.volume_group', 'block_volume', 'Volume groups', 'Storage', 13, 'compartment', 'volume', ('volumegroup',), True),
    KindEntry('blockstorage.volume_group_backup', 'block_volume', 'Volume group backups', 'Storage', 14, 'compartment', 'backup', ('volumegroupbackup',), True),
    KindEntry('filestorage.file_system', 'file_storage', 'File systems', 'Storage', 20, 'compartment', 'filesystem', ('filesystem',), True),
    KindEntry('filestorage.mount_target', 'file_storage', 'Mount targets', 'Storage', 21, 'compartment', 'mounttarget', ('mounttarget',), True),
    KindEntry('filestorage.export', 'file_storage', 'Exports', 'Storage', 100, 'hidden', 'filesystem', ('export',), True),
    KindEntry('data_science.project', 'data_science', 'Data Science projects', 'Analytics & AI', 10, 'compartment', 'folder', ('datascienceproject',), True),
    KindEntry('data_science.notebook_session', 'data_science', 'Notebook sessions', 'Analytics & AI', 11, 'compartment', 'file', ('datasciencenotebooksession',), True),
    KindEntry('data_science.model', 'data_science', 'Models', 'Analytics & AI', 12, 'compartment', 'report', ('datasciencemodel',), True),
    KindEntry('data_science.model_deployment', 'data_science', 'Model deployments', 'Analytics & AI', 13, 'compartment', 'upload', ('datasciencemodeldeployment',), True),
    KindEntry('data_science.prediction', 'data_science', 'Predictions', 'Analytics & AI', 100, 'hidden', 'report', (), False),
    KindEntry('data_science.artifact_download', 'data_science', 'Artifact downloads', 'Analytics & AI', 100, 'hidden', 'download', (), False),
    KindEntry('data_science.job', 'data_science', 'Jobs', 'Analytics & AI', 14, 'compartment', 'reboot', ('datasciencejob',), True),
    KindEntry('data_science.job_run', 'data_science', 'Job runs', 'Analytics & AI', 15, 'compartment', 'start', ('datasciencejobrun',), True),
    KindEntry('analytics.instance', 'analytics', 'Analytics instances', 'Analytics & AI', 20, 'compartment', 'metric', ('analyticsinstance',), True),
    KindEntry('integration.instance', 'integration', 'Integration instances', 'Application Integration', 20, 'compartment', 'link', ('integrationinstance',), True),
    KindEntry('database.autonomous_database', 'autonomous_database', 'Autonomous Databases', 'Database', 10, 'compartment', 'database', ('autonomousdatabase',), True),
    KindEntry('database.autonomous_database_backup', 'autonomous_database', 'Autonomous Database backups', 'Database', 100, 'hidden', 'backup', ('autonomousdatabasebackup',), True),
    KindEntry('database.wallet_download', 'autonomous_database', 'Wallet downloads', 'Database', 100, 'hidden', 'download', (), False),
    KindEntry('database.db_system', 'db_system', 'DB systems', 'Database', 20, 'compartment', 'database', ('dbsystem',), True),
    KindEntry('database.db_node', 'db_system', 'DB nodes', 'Database', 21, 'compartment', 'instance', ('dbnode',), True),
    KindEntry('database.database', 'db_system', 'Databases', 'Database', 22, 'compartment', 'database', ('database',), True),
    KindEntry('database.backup', 'db_system', 'DB backups', 'Database', 23, 'compartment', 'backup', ('dbbackup',), True),
    KindEntry('database.data_guard', 'db_system', 'Data Guard associations', 'Database', 24, 'compartment', 'link', ('dgassociation',), True),
    KindEntry('database_migration.migration', 'database_migration', 'Migrations', 'Database', 30, 'compartment', 'upload', ('odmsmigration',), True),
    KindEntry('database_migration.connection', 'database_migration', 'Migration connections', 'Database', 31, 'compartment', 'link', ('odmsconnection',), True),
    KindEntry('logging.log_group', 'logging', 'Log groups', 'Observability', 30, 'compartment', 'report', ('loggroup',), True),
    KindEntry('logging.log', 'logging', 'Logs', 'Observability', 31, 'compartment', 'file', ('log',), True),
    KindEntry('cost.budget', 'cost', 'Budgets', 'Observability', 5, 'tenancy', 'report', ('budget',), True),
    KindEntry('oke.cluster', 'container_engine', 'Kubernetes Clusters', 'Developer Services', 10, 'compartment', 'cluster', ('cluster',), True),
    KindEntry('oke.node_pool', 'container_engine', 'Node Pools', 'Developer Services', 11, 'compartment', 'nodepool', ('nodepool',), True),
    KindEntry('oke.kubeconfig', 'container_engine', 'Kubeconfigs', 'Developer Services', 100, 'hidden', 'file', (), False),
    KindEntry('artifacts.container_repository', 'artifacts', 'Container Registry', 'Developer Services', 20, 'compartment', 'package', ('containerrepo', 'containerrepository'), True),
    KindEntry('artifacts.container_image', 'artifacts', 'Container images', 'Developer Services', 100, 'hidden', 'image', ('containerimage',), True),
    KindEntry('artifacts.pull_command', 'artifacts', 'Pull commands', 'Developer Services', 100, 'hidden', 'copy', (), False),
    KindEntry('artifacts.untagged_deletion', 'artifacts', 'Untagged image deletions', 'Developer Services', 100, 'hidden', 'delete', (), False),
    KindEntry('functions.application', 'functions', 'Applications', 'Developer Services', 30, 'compartment', 'folder', ('fnapp',), True),
    KindEntry('functions.function', 'functions', 'Functions', 'Developer Services', 31, 'compartment', 'function', ('fnfunc',), True),
    KindEntry('functions.invocation', 'functions', 'Invocations', 'Developer Services', 100, 'hidden', 'start', (), False),
    KindEntry('load_balancer.load_balancer', 'load_balancer', 'Load balancers', 'Networking', 30, 'compartment', 'route', ('loadbalancer',), True),
    KindEntry('security.waf_policy', 'security', 'WAF policies', 'Security', 10, 'compartment', 'security', ('webappfirewallpolicy',), True),
    KindEntry('security.web_app_firewall', 'security', 'Web app firewalls', 'Security', 20, 'compartment', 'security', ('webappfirewall',), True),
    KindEntry('security.waas_policy', 'security', 'WAAS policies', 'Security', 30, 'compartment', 'security', ('waaspolicy',), True),
    KindEntry('security.waas_certificate', 'security', 'WAAS certificates', 'Security', 40, 'compartment', 'security', ('waascertificate',), True),
)
LOGGED_KINDS: frozenset[str] = frozenset(['functions.application', 'load_balancer.load_balancer', 'network.subnet', 'objectstorage.bucket'])
EXPORTABLE: frozenset[str] = frozenset({
    'analytics.instance',
    'artifacts.container_repository',
    'blockstorage.backup_policy',
    'blockstorage.volume',
    'blockstorage.volume_backup',
    'blockstorage.volume_group',
    'blockstorage.volume_group_backup',
    'compute.capacity_reservation',
    'compute.dedicated_vm_host',
    'compute.instance',
    'compute.instance_configuration',
    'compute.instance_pool',
    'data_science.job_run',
    'data_science.model',
    'data_science.model_deployment',
    'data_science.notebook_session',
    'data_science.project',
    'database.autonomous_database',
    'database.autonomous_database_backup',
    'database.db_system',
    'database_migration.connection',
    'database_migration.migration',
    'filestorage.export',
    'filestorage.file_system',
    'filestorage.mount_target',
    'functions.application',
    'functions.function',
    'identity.compartment',
    'identity.dynamic_group',
    'identity.group',
    'identity.network_source',
    'identity.policy',
    'identity.tag_default',
    'identity.user',
    'integration.instance',
    'load_balancer.load_balancer',
    'logging.log_group',
    'monitoring.alarm',
    'network.cpe',
    'network.drg',
    'network.drg_attachment',
    'network.internet_gateway',
    'network.ipsec_connection',
    'network.lpg',
    'network.nat_gateway',
    'network.nsg',
    'network.route_table',
    'network.security_list',
    'network.service_gateway',
    'network.subnet',
    'network.vcn',
    'network.virtual_circuit',
    'notifications.topic',
    'objectstorage.bucket',
    'oke.cluster',
    'oke.node_pool',
    'security.waas_certificate',
    'security.waas_policy',
    'security.waf_policy',
    'security.web_app_firewall',
})
# generated: end

BY_ID = {e.id: e for e in ENTRIES}

