-- hatoolkit export "interfaces": TCP/IP interfaces of this partition, IBM's column names
-- (QSYS2.NETSTAT_INTERFACE_INFO; the proxy ARP and preferred-interface columns exist from IBM i 7.3
-- and 7.2 SF99702 level 11). PREFERRED_INTERFACE_LIST holds the virtual IP's preferred interfaces
-- in priority order (hatoolkit reads them space- or comma-separated).
--
-- ASSOCIATED_LOCAL_INTERFACE (ADDTCPIFC LCLIFC: the interface a virtual Ethernet interface is
-- proxied through, which is how a hosting partition bridges its guests' virtual LAN) is not a
-- column of NETSTAT_INTERFACE_INFO on the releases this project could check. Record it once in
-- HATOOLKIT.TCPIFC_ASSOC (setup.sql) from CFGTCP option 1, F11 "Associated local interface"
-- (or the QtocLstNetIfc API), '*NONE' where an interface has none. Interfaces missing from that
-- table export an empty value, which hatoolkit reads as "not known" (the guests' LAN is then
-- reported unknown, never redundant). If your release has the column, select it instead.
DROP TABLE HATOOLKIT.EXP_INTERFACE;
CREATE TABLE HATOOLKIT.EXP_INTERFACE AS (
  SELECT I.CONNECTION_TYPE, I.INTERNET_ADDRESS, I.NETWORK_ADDRESS, I.SUBNET_MASK, I.LINE_DESCRIPTION,
         I.INTERFACE_LINE_TYPE, I.INTERFACE_STATUS, I.VIRTUAL_LAN_ID, I.AUTOSTART, I.ALIAS_NAME,
         I.PROXY_ARP_ALLOWED, I.PROXY_ARP_ENABLED, I.PREFERRED_INTERFACE_LIST,
         I.PREFERRED_INTERFACE_DEFAULT_ROUTE, I.PREFERRED_PHYSICAL_LINE_LIST, I.CURRENT_PROXY_AGENT_LINE,
         I.CURRENT_PROXY_AGENT_LINE_VIRTUAL_LAN_ID, A.ASSOCIATED_LOCAL_INTERFACE, I.INTERFACE_TEXT
    FROM QSYS2.NETSTAT_INTERFACE_INFO I
    LEFT JOIN HATOOLKIT.TCPIFC_ASSOC A ON A.INTERNET_ADDRESS = I.INTERNET_ADDRESS
   WHERE I.CONNECTION_TYPE = 'IPV4' AND I.LINE_DESCRIPTION <> '*LOOPBACK'
) WITH DATA;
