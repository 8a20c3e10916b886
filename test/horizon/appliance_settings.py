"""Horizon (Debian's openstack-dashboard) pointed at the appliance.

Used as DJANGO_SETTINGS_MODULE with this folder on PYTHONPATH:

    APPLIANCE_KEYSTONE_URL=http://127.0.0.1:5000/v3 \\
    DJANGO_SETTINGS_MODULE=appliance_settings PYTHONPATH=test/horizon \\
    python3 /usr/share/openstack-dashboard/manage.py runserver --insecure --noreload 127.0.0.1:8080

It takes Debian's settings (openstack_dashboard.settings, which reads /etc/openstack-dashboard) and changes only
what the appliance needs; nothing under /etc is edited.
"""
import os

from openstack_dashboard.settings import *  # noqa: F401,F403 (Debian's settings, then ours on top)
from openstack_dashboard.settings import HORIZON_CONFIG

# The appliance's Identity stub; Horizon takes the Networking endpoint from its catalog.
OPENSTACK_KEYSTONE_URL = os.environ.get('APPLIANCE_KEYSTONE_URL', 'http://127.0.0.1:5000/v3')
OPENSTACK_KEYSTONE_DEFAULT_DOMAIN = 'Default'
OPENSTACK_KEYSTONE_DEFAULT_ROLE = 'member'
OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = False
OPENSTACK_SSL_NO_VERIFY = True
ALLOWED_HOSTS = ['*']

# Sessions in the cache rather than in a signed cookie (a token and its catalog do not fit in 4 kB), and a cache
# big enough that a session is not evicted while the user clicks around. locmem is per process: run one process
# (runserver --noreload, or one mod_wsgi process), or use memcached/redis for more.
SESSION_ENGINE = 'django.contrib.sessions.backends.cache'
CACHES = {
    'default': {
        'BACKEND': 'django.core.cache.backends.locmem.LocMemCache',
        'OPTIONS': {'MAX_ENTRIES': 10000},
        'TIMEOUT': 3600,
    },
}
SESSION_TIMEOUT = 3600

# No Compute: land on Project > Network > Networks (and Admin > Network > Networks) instead of the Overview pages,
# which show Nova's usage.
HORIZON_CONFIG['panel_customization'] = list(HORIZON_CONFIG.get('panel_customization', [])) + [
    {'PANEL': 'networks', 'PANEL_DASHBOARD': 'project', 'DEFAULT_PANEL': 'networks'},
    {'PANEL': 'networks', 'PANEL_DASHBOARD': 'admin', 'DEFAULT_PANEL': 'networks'},
]

# The appliance's Networking features Horizon may offer.
OPENSTACK_NEUTRON_NETWORK = {
    'enable_router': True,
    'enable_quotas': True,
    'enable_ipv6': True,
    'enable_distributed_router': False,
    'enable_ha_router': False,
    'enable_fip_topology_check': True,
    'default_dns_nameservers': [],
    'supported_provider_types': ['*'],
    'supported_vnic_types': ['*'],
    'physical_networks': [],
}

# Cinder, Nova, Glance are absent: Horizon hides their panels by the catalog.
OPENSTACK_HYPERVISOR_FEATURES = {'can_set_mount_point': False, 'can_set_password': False}

DEBUG = False
