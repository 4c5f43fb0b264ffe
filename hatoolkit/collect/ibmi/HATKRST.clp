/* HATKRST: restore one storage space copy on the backup host with RST and log it for hatoolkit. */
/*                                                                                               */
/* CALL HATKRST PARM('IBMIGST1A' '/QSYS.LIB/HATKXFER.LIB/IBMIGST1A.FILE' '*SAME' '*SAVF' ' ' ' ')  */
/*   NWSSTG   name of the storage space as it was saved                                          */
/*   DEV      device or save file path                                                           */
/*   NEWNAME  name to restore as on this host, or *SAME (a renamed copy is matched by its save   */
/*            point, so hatoolkit still knows which production storage space it is)              */
/*   SAVTS    save point of the copy: *SAVF reads it from the save file text HATKSAV wrote;      */
/*            from tape give it as YYYY-MM-DD-HH.MM.SS (DSPTAP DATA(*LABELS) shows the creation  */
/*            date; HATKSAV's log on the source has the exact time)                               */
/*   SAVOFF   QUTCOFFSET of the source host at the save (+0100); blank with *SAVF                 */
/*   SRCSYS   source system name; blank with *SAVF                                                */
/* The storage space must not be linked to a varied-on NWSD: vary the backup NWSD off, unlink     */
/* (RMVNWSSTGL) an older copy of the same name first, and link the restored copy afterwards with  */
/* the production drive sequence number (ADDNWSSTGL ... DRVSEQNBR(n)).                            */
PGM        PARM(&NWSSTG &DEV &NEWNAME &SAVTS &SAVOFF &SRCSYS)
  DCL      VAR(&NWSSTG)  TYPE(*CHAR) LEN(10)
  DCL      VAR(&DEV)     TYPE(*CHAR) LEN(128)
  DCL      VAR(&NEWNAME) TYPE(*CHAR) LEN(10)
  DCL      VAR(&SAVTS)   TYPE(*CHAR) LEN(19)
  DCL      VAR(&SAVOFF)  TYPE(*CHAR) LEN(5)
  DCL      VAR(&SRCSYS)  TYPE(*CHAR) LEN(8)
  DCL      VAR(&OBJ)     TYPE(*CHAR) LEN(64)
  DCL      VAR(&NEWOBJ)  TYPE(*CHAR) LEN(64)
  DCL      VAR(&TEXT)    TYPE(*CHAR) LEN(50)
  DCL      VAR(&SAVF)    TYPE(*CHAR) LEN(10)
  DCL      VAR(&DT)      TYPE(*CHAR) LEN(20)
  DCL      VAR(&START)   TYPE(*CHAR) LEN(26)
  DCL      VAR(&END)     TYPE(*CHAR) LEN(26)
  DCL      VAR(&OFFSET)  TYPE(*CHAR) LEN(5)
  DCL      VAR(&SYSNAME) TYPE(*CHAR) LEN(8)
  DCL      VAR(&MSGID)   TYPE(*CHAR) LEN(7)
  DCL      VAR(&STATUS)  TYPE(*CHAR) LEN(9) VALUE('COMPLETED')
  DCL      VAR(&SQL)     TYPE(*CHAR) LEN(1024)

  CHGVAR   VAR(&OBJ) VALUE('/QFPNWSSTG/' *TCAT &NWSSTG)
  IF       COND(&NEWNAME *EQ '*SAME') THEN(CHGVAR VAR(&NEWNAME) VALUE(&NWSSTG))
  CHGVAR   VAR(&NEWOBJ) VALUE('/QFPNWSSTG/' *TCAT &NEWNAME)
  IF       COND(&SAVTS *EQ '*SAVF') THEN(DO)
    /* HATKSAV wrote: 'HATK YYYY-MM-DD-HH.MM.SS +HHMM SYSNAME NWSSTG' */
    CHGVAR VAR(&SAVF) VALUE(&NWSSTG)
    RTVOBJD OBJ(HATKXFER/&SAVF) OBJTYPE(*FILE) TEXT(&TEXT)
    IF     COND(%SST(&TEXT 1 5) *NE 'HATK ') THEN(SNDPGMMSG MSGID(CPF9898) MSGF(QCPFMSG) +
             MSGDTA('Save file text has no HATKSAV save point; give SAVTS') MSGTYPE(*ESCAPE))
    CHGVAR VAR(&SAVTS)  VALUE(%SST(&TEXT 6 19))
    CHGVAR VAR(&SAVOFF) VALUE(%SST(&TEXT 26 5))
    CHGVAR VAR(&SRCSYS) VALUE(%SST(&TEXT 32 8))
  ENDDO
  RTVNETA  SYSNAME(&SYSNAME)
  RTVSYSVAL SYSVAL(QUTCOFFSET) RTNVAR(&OFFSET)
  RTVSYSVAL SYSVAL(QDATETIME) RTNVAR(&DT)
  CHGVAR   VAR(&START) VALUE(%SST(&DT 1 4) *CAT '-' *CAT %SST(&DT 5 2) *CAT '-' *CAT +
             %SST(&DT 7 2) *CAT '-' *CAT %SST(&DT 9 2) *CAT '.' *CAT %SST(&DT 11 2) *CAT +
             '.' *CAT %SST(&DT 13 2) *CAT '.000000')

  RST      DEV(&DEV) OBJ((&OBJ *INCLUDE &NEWOBJ))
  MONMSG   MSGID(CPF0000) EXEC(DO)
    CHGVAR VAR(&STATUS) VALUE('FAILED')
  ENDDO
  RCVMSG   MSGTYPE(*LAST) RMV(*NO) MSGID(&MSGID)
  RTVSYSVAL SYSVAL(QDATETIME) RTNVAR(&DT)
  CHGVAR   VAR(&END) VALUE(%SST(&DT 1 4) *CAT '-' *CAT %SST(&DT 5 2) *CAT '-' *CAT +
             %SST(&DT 7 2) *CAT '-' *CAT %SST(&DT 9 2) *CAT '.' *CAT %SST(&DT 11 2) *CAT +
             '.' *CAT %SST(&DT 13 2) *CAT '.000000')

  CHGVAR   VAR(&SQL) VALUE('INSERT INTO HATOOLKIT.NWSSTG_HISTORY (OPERATION, NWSSTG, SAVED_NWSSTG, +
             OBJECT, OPERATION_TIMESTAMP, END_TIMESTAMP, UTC_OFFSET, SAVE_TIMESTAMP, SAVE_UTC_OFFSET, +
             DEVICE, SOURCE_SYSTEM, SYSTEM_NAME, MESSAGE_ID, STATUS) VALUES (''RST'', ''' *CAT +
             &NEWNAME *TCAT ''', ''' *CAT &NWSSTG *TCAT ''', ''' *CAT &OBJ *TCAT ''', ''' *CAT +
             &START *CAT ''', ''' *CAT &END *CAT ''', ''' *CAT &OFFSET *CAT ''', ''' *CAT &SAVTS +
             *CAT '.000000'', ''' *CAT &SAVOFF *CAT ''', ''' *CAT &DEV *TCAT ''', ''' *CAT &SRCSYS +
             *TCAT ''', ''' *CAT &SYSNAME *TCAT ''', ''' *CAT &MSGID *CAT ''', ''' *CAT &STATUS +
             *TCAT ''')')
  RUNSQL   SQL(&SQL) COMMIT(*NONE)
  IF       COND(&STATUS *EQ 'FAILED') THEN(SNDPGMMSG MSGID(CPF9898) MSGF(QCPFMSG) +
             MSGDTA('RST of ' *CAT &OBJ *TCAT ' failed (' *CAT &MSGID *CAT ')') MSGTYPE(*ESCAPE))
ENDPGM
