"""ORG-6 device staffing (执法记录仪配备): at least one body camera (执法记录仪) or handheld
terminal (手持执法终端) per two certified officers in every township (S2, 如东县镇街执法规范化:
"确保每两名行政执法人员至少配备1台现场执法记录仪或手持执法终端").

``township_devices(region_ids, as_of)`` counts the personal devices in service per township: a
device counts where its holder works that day (the township of the unit a dispatched holder
serves, else the holder's home agency's region), an unissued one where its agency is.
``extend_township_rows`` adds the figure and the problem to the people app's compliance report
rows (registered as a township check from ``InspectionsConfig.ready``).
"""

import datetime

from django.db.models import Q

from ..models.devices import IN_SERVICE, PERSONAL_KINDS, Device

OFFICERS_PER_DEVICE = 2  # 每两名行政执法人员至少配备1台 (S2)
RULE_TEXT = ("每个镇（街道）每两名持证执法人员至少配备1台在用的执法记录仪或手持执法终端"
             "（领用人派驻的，计入其派驻的镇街）。")


def required_devices(certified: int, officers_per_device: int = OFFICERS_PER_DEVICE) -> int:
    """Devices a township needs for ``certified`` officers (rounded up: 3 officers need 2)."""
    return -(-certified // officers_per_device)


def township_devices(region_ids, as_of: datetime.date) -> dict[int, int]:
    """Personal devices in service on ``as_of`` per township region id (one query)."""
    region_ids = set(region_ids)
    counts = dict.fromkeys(region_ids, 0)
    if not region_ids:
        return counts
    rows = (
        Device._base_manager.filter(kind__in=PERSONAL_KINDS, status=IN_SERVICE, in_service_on__lte=as_of)
        .filter(Q(agency__region_id__in=region_ids) | Q(holder__home_agency__region_id__in=region_ids)
                | Q(holder__dispatched_to__agency__region_id__in=region_ids))
        # plain tuples (no model rows, nothing decrypted): the holder's dispatch decides where it counts
        .values_list("agency__region_id", "holder_id", "holder__home_agency__region_id",
                     "holder__dispatched_to__agency__region_id", "holder__dispatched_from", "holder__dispatched_until")
    )
    for agency_region, holder, home_region, dispatch_region, since, until in rows.iterator(chunk_size=5000):
        if holder is None:
            region_id = agency_region
        elif dispatch_region is not None and not (since and as_of < since) and not (until and as_of > until):
            region_id = dispatch_region  # Officer.dispatch_active_on
        else:
            region_id = home_region
        if region_id in counts:
            counts[region_id] += 1
    return counts


def extend_township_rows(rows, as_of: datetime.date) -> None:
    """Add ``devices`` / ``devices_required`` to each township row of the compliance report and
    a problem where the township is below one device per two certified officers."""
    counts = township_devices([row.region_id for row in rows], as_of)
    for row in rows:
        devices = counts.get(row.region_id, 0)
        needed = required_devices(row.certified)
        row.extra["devices"] = devices
        row.extra["devices_required"] = needed
        if devices < needed:
            row.problems.append(
                f"执法记录仪、执法终端{devices}台，少于持证执法人员{row.certified}名所需的{needed}台（每两人至少1台）"
            )
