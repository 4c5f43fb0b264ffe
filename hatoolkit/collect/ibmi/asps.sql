-- hatoolkit export "asps": auxiliary storage pools and their geographic mirroring (one row per ASP).
-- QSYS2.ASP_INFO gives ASP_NUMBER, DEVICE_DESCRIPTION_NAME, ASP_TYPE, ASP_STATE, NUMBER_OF_DISK_UNITS
-- and, from IBM i 7.5 SF99950 level 3 / 7.4 SF99704 level 23, the GEOGRAPHIC_MIRROR_* columns
-- (transmission delivery, synchronization status and progress).
-- The ASP session (name, which copy this node holds, session state, the node holding the other
-- copy) is not in ASP_INFO: record it in HATOOLKIT.ASP_GEOMIRROR (setup.sql) from DSPASPSSN
-- SSN(<session>) (or QSYS2.GEOGRAPHIC_MIRRORING_INFO on 7.5). MIRROR_COPY_SERIAL_NUMBER is the
-- serial number of the managed system that holds the other copy (DSPSYSVAL QSRLNBR there).
-- An IASP without a row there is exported as not geographically mirrored.
DROP TABLE HATOOLKIT.EXP_ASP;
CREATE TABLE HATOOLKIT.EXP_ASP AS (
  SELECT A.ASP_NUMBER, A.DEVICE_DESCRIPTION_NAME, A.ASP_TYPE, A.ASP_STATE, A.NUMBER_OF_DISK_UNITS,
         G.GEOGRAPHIC_MIRROR_SESSION, G.GEOGRAPHIC_MIRROR_ROLE, G.GEOGRAPHIC_MIRROR_STATE,
         A.GEOGRAPHIC_MIRROR_SYNCHRONIZATION_STATUS, A.GEOGRAPHIC_MIRROR_TRANSMISSION_DELIVERY,
         A.GEOGRAPHIC_MIRROR_SYNCHRONIZATION_PROGRESS, G.MIRROR_COPY_NODE, G.MIRROR_COPY_SERIAL_NUMBER
    FROM QSYS2.ASP_INFO A
    LEFT JOIN HATOOLKIT.ASP_GEOMIRROR G ON G.DEVICE_DESCRIPTION_NAME = A.DEVICE_DESCRIPTION_NAME
) WITH DATA;
