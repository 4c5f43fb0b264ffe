-- hatoolkit export "partition": identity, release and clock of this IBM i partition (one row).
-- IBM services and column names: SYSIBMADM.ENV_SYS_INFO (OS_NAME, OS_VERSION, OS_RELEASE, HOST_NAME),
-- QSYS2.SYSTEM_STATUS_INFO (PARTITION_ID, PARTITION_NAME, MACHINE_TYPE, MACHINE_MODEL, SERIAL_NUMBER),
-- QSYS2.SYSTEM_VALUE_INFO (QTIMZON, QUTCOFFSET). SYSTEM_NAME is CURRENT SERVER: the local RDB
-- name, which is the system name (SYSNAME) unless it was changed in WRKRDBDIRE.
-- IANA_TIME_ZONE: IBM i has no IANA zone; put the zone your clock follows between the quotes
-- (e.g. 'Europe/Warsaw') or leave it NULL and state `timezone:` in the bundle's plan.yaml.
DROP TABLE HATOOLKIT.EXP_PARTITION;
CREATE TABLE HATOOLKIT.EXP_PARTITION AS (
  SELECT CAST(CURRENT SERVER AS VARCHAR(18))                         AS SYSTEM_NAME,
         E.HOST_NAME, S.PARTITION_NAME, S.PARTITION_ID,
         E.OS_NAME, E.OS_VERSION, E.OS_RELEASE,
         S.MACHINE_TYPE, S.MACHINE_MODEL, S.SERIAL_NUMBER,
         (SELECT CURRENT_CHARACTER_VALUE FROM QSYS2.SYSTEM_VALUE_INFO
           WHERE SYSTEM_VALUE_NAME = 'QTIMZON')                       AS QTIMZON,
         (SELECT CURRENT_CHARACTER_VALUE FROM QSYS2.SYSTEM_VALUE_INFO
           WHERE SYSTEM_VALUE_NAME = 'QUTCOFFSET')                    AS QUTCOFFSET,
         CAST(NULL AS VARCHAR(64))                                    AS IANA_TIME_ZONE,
         CURRENT TIMESTAMP                                            AS EXPORT_TIMESTAMP
    FROM SYSIBMADM.ENV_SYS_INFO E, QSYS2.SYSTEM_STATUS_INFO S
) WITH DATA;
