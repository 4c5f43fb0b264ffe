"""IBM i redundancy exports (interfaces, lines, ASPs, disk units) and VIOS lscfg listings: parsed, typed, gaps named."""

from __future__ import annotations

from hatoolkit import load_inventory
from hatoolkit.ingest.ibmi_ha import parse_location

HOST = "ibmi/S1/HOST"
PARTITION = ("PARTITION_NAME,PARTITION_ID,OS_VERSION,OS_RELEASE,SERIAL_NUMBER,QUTCOFFSET,IANA_TIME_ZONE\n"
             "HOST,1,7,4,0012345,+0100,Europe/Warsaw\n")
INTERFACES = """\
CONNECTION_TYPE,INTERNET_ADDRESS,LINE_DESCRIPTION,INTERFACE_LINE_TYPE,INTERFACE_STATUS,VIRTUAL_LAN_ID,PROXY_ARP_ALLOWED,PROXY_ARP_ENABLED,PREFERRED_INTERFACE_LIST,CURRENT_PROXY_AGENT_LINE,ASSOCIATED_LOCAL_INTERFACE
IPV4,10.1.0.10,*VIRTUALIP,VIRTUALIP,ACTIVE,NONE,YES,YES,10.1.0.11 10.1.0.12,ETHLINE1,*NONE
IPV4,10.1.0.11,ETHLINE1,ELAN,ACTIVE,NONE,*YES,*NO,,,*NONE
IPV4,10.1.0.12,ethline2,ELAN,inactive,NONE,YES,NO,,,
IPV4,10.1.1.1,VRTETH10,VETH,ACTIVE,12,NO,NO,"10.1.0.11,10.1.0.99,not-an-ip",,10.1.0.10
IPV4,10.1.1.2,VRTETH10,VETH,ACTIVE,NONE,NO,maybe,,,
,missing,address
"""
LINES = """\
LINE_DESCRIPTION,LINE_TYPE,RESOURCE_NAME,AGGREGATE_RESOURCES,RESOURCE_TYPE,LOCATION_CODE,MAC_ADDRESS
ETHLINE1,ETH,CMN01,,181A,,00:14:5e:01:00:01
ethline2,ETH,CMN02,,2878,U78D3.001.06C9012-P1-C4-T2,40F2E9000002
VRTETH10,ETH,CMN10,,268C,U8205.E6C.06C9012-V1-C6-T1,0000420001ZZ
ETHAGG,ETH,*AGG,"CMN03,CMN04",,,
"""
ASPS = """\
ASP_NUMBER,DEVICE_DESCRIPTION_NAME,ASP_TYPE,ASP_STATE,NUMBER_OF_DISK_UNITS,GEOGRAPHIC_MIRROR_SESSION,GEOGRAPHIC_MIRROR_ROLE,GEOGRAPHIC_MIRROR_STATE,GEOGRAPHIC_MIRROR_SYNCHRONIZATION_STATUS,GEOGRAPHIC_MIRROR_TRANSMISSION_DELIVERY,GEOGRAPHIC_MIRROR_SYNCHRONIZATION_PROGRESS,MIRROR_COPY_NODE,MIRROR_COPY_SERIAL_NUMBER
1,*SYSBAS,SYSTEM,ACTIVE,6,,,,,,,,
33,IASPJRN,PRIMARY,AVAILABLE,2,GEOJRN,production,suspended,SUSPENDED,*ASYNC,250,ibmihdr,7891011
x,IASPX,PRIMARY,AVAILABLE,2,,,,,,,,
"""
UNITS = """\
ASP_NUMBER,UNIT_NUMBER,RESOURCE_NAME,SERIAL_NUMBER,MULTIPLE_PATH_UNIT,MIRRORED_UNIT_STATUS,UNIT_STORAGE_CAPACITY,LOCATION_CODE
1,1,DD001,21-A,NO,ACTIVE,75161927680,U9105.22A.78B5678-V8-C5-T1-L8100000000000000
1,1,dd002,21-B,NO,Active,75161927680,U9105.22A.78B5678-V8-C6-T1-L8100000000000000
1,2,DD003,21-C,YES,,75161927680,U9105.22A.78B5678-V8-C7-T1-W500507680C252800-L1000000000000
1,3,DD004,21-D,NO,,,
"""


def test_ibmi_redundancy_exports(write, tmp_path):
    for name, text in (("partition.csv", PARTITION), ("interfaces.csv", INTERFACES), ("lines.csv", LINES),
                       ("asps.csv", ASPS), ("disk_units.csv", UNITS)):
        write(f"{HOST}/{name}", text)
    inv = load_inventory(tmp_path)
    ifc = inv.interfaces.set_index("internet_address")
    vip = ifc.loc["10.1.0.10"]
    assert vip["preferred_interfaces"] == ("10.1.0.11", "10.1.0.12") and vip["preferred_separator"] == "space"
    assert bool(vip["proxy_arp_enabled"]) and vip["current_proxy_line"] == "ETHLINE1" and pd_na(vip["vlan_id"])
    assert vip["associated_local_interface"] == "*NONE"  # explicitly none, unlike an empty cell
    assert pd_na(ifc.loc["10.1.0.12", "associated_local_interface"])  # not exported: unknown
    assert ifc.loc["10.1.0.12", "status"] == "INACTIVE" and ifc.loc["10.1.0.12", "line_description"] == "ETHLINE2"
    assert ifc.loc["10.1.0.11", "proxy_arp_allowed"] == True and ifc.loc["10.1.0.11", "proxy_arp_enabled"] == False  # noqa: E712
    virt = ifc.loc["10.1.1.1"]
    assert virt["vlan_id"] == 12 and virt["preferred_separator"] == "comma" and len(virt["preferred_interfaces"]) == 3
    lines = inv.lines.set_index("line_description")
    assert lines.loc["ETHLINE1", "mac_address"] == "00145E010001" and pd_na(lines.loc["ETHLINE1", "card_location"])
    assert lines.loc["ETHLINE2", "card_location"] == "U78D3.001.06C9012-P1-C4" and lines.loc["ETHLINE2", "port"] == "T2"
    assert lines.loc["VRTETH10", "slot_num"] == 6 and pd_na(lines.loc["VRTETH10", "mac_address"])
    assert lines.loc["ETHAGG", "aggregate_resources"] == ("CMN03", "CMN04")
    asps = inv.asps.set_index("asp_number")
    assert pd_na(asps.loc[1, "aspdev"]) and asps.loc[33, "geo_delivery"] == "ASYNC"
    assert asps.loc[33, "geo_role"] == "PRODUCTION" and asps.loc[33, "mirror_copy_node"] == "IBMIHDR"
    assert pd_na(asps.loc[33, "geo_sync_progress_pct"]) and len(asps) == 2
    units = inv.disk_units.set_index("resource_name")
    assert units.loc["DD002", "mirrored_unit_status"] == "ACTIVE" and units.loc["DD001", "capacity_mb"] == 71680
    assert (units.loc["DD001", "client_lpar_id"], units.loc["DD001", "client_slot"]) == (8, 5)
    assert units.loc["DD001", "lun"] == "8100000000000000" and units.loc["DD003", "wwpn"] == "500507680C252800"
    assert bool(units.loc["DD003", "multiple_path_unit"]) and pd_na(units.loc["DD004", "client_slot"])
    gaps = inv.gaps
    found = {(m.split("=")[0].split(" ")[0], int(line)) for m, line in zip(gaps["message"], gaps["line"], strict=True)
             if line is not None and not pd_na(line)}
    assert ("PROXY_ARP_ENABLED", 6) in found  # 'maybe' is not a boolean
    assert ("GEOGRAPHIC_MIRROR_SYNCHRONIZATION_PROGRESS", 3) in found
    assert ("MAC_ADDRESS", 4) in found
    assert ("ASP_NUMBER", 4) in found
    assert any("not-an-ip" in m for m in gaps["message"])
    assert gaps["message"].str.contains("row has 3 fields").any()  # the short interfaces row
    exports = inv.ibmi_partitions.set_index("partition").loc["HOST", "exports"]
    assert exports == ("asps", "disk_units", "interfaces", "lines", "partition")


def pd_na(value) -> bool:
    import pandas as pd
    return value is None or bool(pd.isna(value))


def test_location_codes():
    loc = parse_location(__import__("pandas").Series(
        ["U78D3.001.7891011-P1-C4-T1", "U8205.E6C.06C9012-V1-C6-T1", "u9105.22a.78b5678-v8-c5-t1-l8100000000000000",
         None, "U5B61.001.WZS02T0-P0-C1-T0-W5005076812159643-L0"], dtype="str"))
    assert loc["card_location"].tolist()[:1] == ["U78D3.001.7891011-P1-C4"] and loc["port"].iat[0] == "T1"
    assert loc["slot"].tolist()[1:3] == [6, 5] and loc["lpar"].iat[2] == 8 and loc["lun"].iat[2] == "8100000000000000"
    assert loc["card_location"].iat[4] == "U5B61.001.WZS02T0-P0-C1" and loc["wwpn"].iat[4] == "5005076812159643"
    assert pd_na(loc["card_location"].iat[1]) and pd_na(loc["slot"].iat[3])


def test_vios_lscfg_listing(write, tmp_path):
    write("hmc/h1/SYS1/lpar.txt", "$ lssyscfg -r lpar -m SYS1\nname=VIOS1,lpar_id=1,lpar_env=vioserver,state=Running\n")
    write("vios/SYS1/VIOS1/lscfg.txt", """$ lscfg
INSTALLED RESOURCE LIST

The following resources are installed on the machine.
+/- = Added or deleted from Resource List.
*   = Diagnostic support not available.

  Model Architecture: chrp
  Model Implementation: Multiple Processor, PCI bus

+ sys0                                                            System Object
+ ent0             U78D3.001.78A1234-P1-C2-T1                     PCIe3 4-port 10GbE SR Adapter (df1028e214100f04)
+ ent1             U78D3.001.78A1234-P1-C2-T2                     PCIe3 4-port 10GbE SR Adapter (df1028e214100f04)
+ fcs0             U78D3.001.78A1234-P1-C1-T1                     PCIe3 4-Port 16Gb FC Adapter (df1000e21410f103)
* fscsi0           U78D3.001.78A1234-P1-C1-T1                     FC SCSI I/O Controller Protocol Device
* ent5             U9105.42A.78A1234-V1-C20-T1                    Virtual I/O Ethernet Adapter (l-lan)
* hdisk2           U78D3.001.78A1234-P1-C1-T1-W500507680C252800-L2000000000000  MPIO IBM 2145 FC Disk
""")
    inv = load_inventory(tmp_path)
    ports = inv.vios_adapters.set_index("device")
    assert sorted(ports.index) == ["ent0", "ent1", "fcs0", "fscsi0"]
    assert ports.loc["ent1", "card_location"] == "U78D3.001.78A1234-P1-C2" and ports.loc["ent1", "system"] == "SYS1"
    assert inv.files.set_index("path").loc["vios/SYS1/VIOS1/lscfg.txt", "format"] == "vios"
