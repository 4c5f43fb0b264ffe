-- hatoolkit export "disk_units": run on a hosted (guest) IBM i partition. One row per disk
-- resource: the halves of a mirrored pair share ASP_NUMBER and UNIT_NUMBER (MIRRORED_UNIT_STATUS
-- set); the paths of a multipath unit share SERIAL_NUMBER (MULTIPLE_PATH_UNIT = YES). Columns are
-- QSYS2.SYSDISKSTAT's. LOCATION_CODE (QSYS2.HARDWARE_RESOURCE_INFO, as in lines.sql) names the
-- virtual adapter that serves the unit: U8205.E6C.06C9012-V2-C4-T1-L8100000000000000 is partition
-- 2, client adapter in virtual slot 4, LUN 0x81; the HMC says which VIOS or IBM i host is at the
-- other end. Not verified on a live system: MIRRORED_UNIT_STATUS and UNIT_STORAGE_CAPACITY column
-- names of SYSDISKSTAT, and the location column of HARDWARE_RESOURCE_INFO.
DROP TABLE HATOOLKIT.EXP_DISKUNIT;
CREATE TABLE HATOOLKIT.EXP_DISKUNIT AS (
  SELECT D.ASP_NUMBER, D.UNIT_NUMBER, D.RESOURCE_NAME, D.SERIAL_NUMBER, D.DISK_TYPE, D.DISK_MODEL,
         D.RESOURCE_STATUS, D.MULTIPLE_PATH_UNIT, D.MIRRORED_UNIT_STATUS, D.UNIT_STORAGE_CAPACITY,
         H.LOCATION_CODE
    FROM QSYS2.SYSDISKSTAT D
    LEFT JOIN TABLE(QSYS2.HARDWARE_RESOURCE_INFO(RESOURCE_CATEGORY => 'STORAGE', DETAILED_INFO => 'YES',
                                                 IGNORE_ERRORS => 'YES')) H
      ON H.RESOURCE_NAME = D.RESOURCE_NAME
   WHERE D.UNIT_NUMBER > 0
) WITH DATA;
