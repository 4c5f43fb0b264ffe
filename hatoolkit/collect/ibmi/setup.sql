-- hatoolkit: one-time set-up on every IBM i host that saves or restores storage spaces.
-- Run with ACS "Run SQL Scripts" or RUNSQLSTM SRCSTMF('/home/hatoolkit/setup.sql') COMMIT(*NONE).
--
-- IBM i keeps no SQL-readable history of SAV/RST of IFS objects (the SAV command has no
-- *OUTFILE output; QSYS2.SAVE_FILE_OBJECTS / SAVE_FILE_INFO do not return IFS objects), so the
-- HATKSAV and HATKRST wrappers log each save and restore of a storage space in this table.
-- Column names are hatoolkit's own (no IBM service defines them); docs/formats.md lists them.
CREATE SCHEMA HATOOLKIT;

CREATE TABLE HATOOLKIT.NWSSTG_HISTORY (
  OPERATION            CHAR(3)      NOT NULL,   -- SAV | RST
  NWSSTG               VARCHAR(10)  NOT NULL,   -- storage space on this host (RST: restored as)
  SAVED_NWSSTG         VARCHAR(10),             -- RST: name as saved on the source host
  OBJECT               VARCHAR(128),            -- IFS path saved, e.g. /QFPNWSSTG/IBMIGST1A
  OPERATION_TIMESTAMP  TIMESTAMP    NOT NULL,   -- local start of the SAV/RST
  END_TIMESTAMP        TIMESTAMP,               -- local end
  UTC_OFFSET           CHAR(5),                 -- QUTCOFFSET when the operation started (+0100)
  SAVE_TIMESTAMP       TIMESTAMP,               -- save point of the copy (RST: of the copy restored)
  SAVE_UTC_OFFSET      CHAR(5),                 -- QUTCOFFSET of the source host at the save point
  SAVACT               VARCHAR(7),              -- SAV SAVACT: *NO *YES *SYNC *SYSDFN
  SAVACTOPT            VARCHAR(10),             -- SAV SAVACTOPT, *NWSSTG for active storage spaces
  DEVICE               VARCHAR(128),            -- device or save file path
  VOLUME               VARCHAR(60),             -- volume identifier, when a tape was used
  SOURCE_SYSTEM        VARCHAR(8),              -- system name (SYSNAME) the copy was saved on
  SYSTEM_NAME          VARCHAR(8),              -- system name this operation ran on
  MESSAGE_ID           CHAR(7),                 -- completion (CPC...) or escape (CPF...) message
  STATUS               VARCHAR(9)               -- COMPLETED | FAILED
);

CREATE SCHEMA HATKXFER;   -- save files that carry storage-space copies between hosts (optional)

-- Redundancy exports (interfaces.sql, asps.sql): what no IBM SQL service returns, kept by hand.
-- The interface each virtual Ethernet interface is proxied through (CFGTCP option 1, F11):
CREATE TABLE HATOOLKIT.TCPIFC_ASSOC (
  INTERNET_ADDRESS           VARCHAR(45) NOT NULL PRIMARY KEY,
  ASSOCIATED_LOCAL_INTERFACE VARCHAR(45) NOT NULL    -- an address, or *NONE
);
-- The geographic mirroring session of each IASP (DSPASPSSN):
CREATE TABLE HATOOLKIT.ASP_GEOMIRROR (
  DEVICE_DESCRIPTION_NAME   VARCHAR(10) NOT NULL PRIMARY KEY,  -- the IASP device
  GEOGRAPHIC_MIRROR_SESSION VARCHAR(10) NOT NULL,              -- ASP session name
  GEOGRAPHIC_MIRROR_ROLE    VARCHAR(10) NOT NULL,              -- PRODUCTION | MIRROR (this node's copy)
  GEOGRAPHIC_MIRROR_STATE   VARCHAR(10),                       -- ACTIVE | SUSPENDED | DETACHED
  MIRROR_COPY_NODE          VARCHAR(8),                        -- cluster node holding the other copy
  MIRROR_COPY_SERIAL_NUMBER VARCHAR(10)                        -- its managed system's serial number
);
