-- hatoolkit export "lines": every Ethernet line description and the port it uses.
-- LINE_DESCRIPTION, RESOURCE_NAME (RSRCNAME), AGGREGATE_RESOURCES (AGGRSCL of a link-aggregated
-- line, RSRCNAME(*AGG)) and the configured MAC (ADPTADR) are the CRTLINETH keywords, read from the
-- source RTVCFGSRC CFGD(*ALL) CFGTYPE(*LIND) generated into HATOOLKIT/QLINDSRC (HATKEXP).
-- The resource's type, status and physical location come from QSYS2.HARDWARE_RESOURCE_INFO (IBM i
-- 7.4 TR / 7.5; the information of the QGYRHRI API): LOCATION_CODE is U78D3.001.06C9012-P1-C4-T1
-- for port T1 of the card in slot C4, U8205.E6C.06C9012-V1-C6-T1 for virtual Ethernet in virtual
-- slot 6. An HEA (IVE) logical port is matched to its physical port through its MAC address, which
-- the HMC lists (lshwres -r hea --rsubtype logical --level port). Not verified on a live system:
-- the location and MAC column names of HARDWARE_RESOURCE_INFO (check with SELECT * ... FETCH FIRST
-- 1 ROW ONLY and adjust); the CSV format hatoolkit reads stays the same.
DROP TABLE HATOOLKIT.EXP_LINE;
CREATE TABLE HATOOLKIT.EXP_LINE AS (
  WITH LINES AS (
    SELECT SRCSEQ, RTRIM(SRCDTA) AS SRCDTA,
           SUM(CASE WHEN REGEXP_LIKE(SRCDTA, '^\s*CRTLIN[A-Z]+\s') THEN 1 ELSE 0 END)
             OVER (ORDER BY SRCSEQ) AS CMDNO
      FROM HATOOLKIT.QLINDSRC),
  CMDS AS (
    SELECT CMDNO, REGEXP_REPLACE(LISTAGG(SRCDTA, ' ') WITHIN GROUP (ORDER BY SRCSEQ), '\+\s+', ' ') AS CMD
      FROM LINES WHERE CMDNO > 0 GROUP BY CMDNO),
  LIND AS (
    SELECT REGEXP_SUBSTR(CMD, '\sLIND\(([^)]*)\)', 1, 1, 'c', 1)        AS LINE_DESCRIPTION,
           REGEXP_SUBSTR(CMD, '^\s*CRTLIN([A-Z]+)', 1, 1, 'c', 1)       AS LINE_TYPE,
           REGEXP_SUBSTR(CMD, '\sRSRCNAME\(([^)]*)\)', 1, 1, 'c', 1)    AS RESOURCE_NAME,
           REGEXP_SUBSTR(CMD, '\sAGGRSCL\(([^)]*)\)', 1, 1, 'c', 1)     AS AGGREGATE_RESOURCES,
           REGEXP_SUBSTR(CMD, '\sADPTADR\(([^)]*)\)', 1, 1, 'c', 1)     AS ADPTADR
      FROM CMDS WHERE REGEXP_LIKE(CMD, '^\s*CRTLINETH\s'))
  SELECT L.LINE_DESCRIPTION, L.LINE_TYPE, L.RESOURCE_NAME, L.AGGREGATE_RESOURCES,
         H.RESOURCE_TYPE, H.STATUS AS RESOURCE_STATUS, H.LOCATION_CODE,
         CASE WHEN L.ADPTADR IS NULL OR L.ADPTADR = '*ADPT' THEN H.DEFAULT_MAC_ADDRESS ELSE L.ADPTADR END
           AS MAC_ADDRESS
    FROM LIND L
    LEFT JOIN TABLE(QSYS2.HARDWARE_RESOURCE_INFO(RESOURCE_CATEGORY => 'COMM', DETAILED_INFO => 'YES',
                                                 IGNORE_ERRORS => 'YES')) H
      ON H.RESOURCE_NAME = L.RESOURCE_NAME
) WITH DATA;
