/* HATKSAV: save one network server storage space with SAV and log it for hatoolkit.          */
/*                                                                                            */
/* CALL HATKSAV PARM('IBMIGST1A' '/QSYS.LIB/HATKXFER.LIB/IBMIGST1A.FILE' '*SYNC')              */
/*   NWSSTG  storage space name (/QFPNWSSTG/<name>)                                            */
/*   DEV     device (TAP01) or save file path; a save file gets the save point in its text,   */
/*           which HATKRST reads on the backup after the save file was sent there              */
/*   SAVACT  *SYNC (IBM i 6.1+: saved while the server runs, SAVACTOPT(*NWSSTG)) or *NO       */
/*           (the NWSD must be varied off; the only choice below IBM i 6.1)                    */
/* Needs: setup.sql run once (table HATOOLKIT/NWSSTG_HISTORY), RUNSQL (IBM i 7.1 or later).    */
/* Compile: CRTBNDCL PGM(HATOOLKIT/HATKSAV) SRCSTMF('/home/hatoolkit/HATKSAV.clp')            */
PGM        PARM(&NWSSTG &DEV &SAVACT)
  DCL      VAR(&NWSSTG)  TYPE(*CHAR) LEN(10)
  DCL      VAR(&DEV)     TYPE(*CHAR) LEN(128)
  DCL      VAR(&SAVACT)  TYPE(*CHAR) LEN(7)
  DCL      VAR(&OBJ)     TYPE(*CHAR) LEN(64)
  DCL      VAR(&DT)      TYPE(*CHAR) LEN(20)
  DCL      VAR(&START)   TYPE(*CHAR) LEN(26)
  DCL      VAR(&END)     TYPE(*CHAR) LEN(26)
  DCL      VAR(&OFFSET)  TYPE(*CHAR) LEN(5)
  DCL      VAR(&SYSNAME) TYPE(*CHAR) LEN(8)
  DCL      VAR(&MSGID)   TYPE(*CHAR) LEN(7)
  DCL      VAR(&STATUS)  TYPE(*CHAR) LEN(9) VALUE('COMPLETED')
  DCL      VAR(&OPT)     TYPE(*CHAR) LEN(10) VALUE('*NWSSTG')
  DCL      VAR(&SAVF)    TYPE(*CHAR) LEN(10)
  DCL      VAR(&SQL)     TYPE(*CHAR) LEN(1024)

  CHGVAR   VAR(&OBJ) VALUE('/QFPNWSSTG/' *TCAT &NWSSTG)
  IF       COND(&SAVACT *EQ '*NO') THEN(CHGVAR VAR(&OPT) VALUE('*NONE'))
  RTVNETA  SYSNAME(&SYSNAME)
  RTVSYSVAL SYSVAL(QUTCOFFSET) RTNVAR(&OFFSET)
  /* The save point: taken before SAV starts, so the copy is never thought fresher than it is. */
  RTVSYSVAL SYSVAL(QDATETIME) RTNVAR(&DT)
  CHGVAR   VAR(&START) VALUE(%SST(&DT 1 4) *CAT '-' *CAT %SST(&DT 5 2) *CAT '-' *CAT +
             %SST(&DT 7 2) *CAT '-' *CAT %SST(&DT 9 2) *CAT '.' *CAT %SST(&DT 11 2) *CAT +
             '.' *CAT %SST(&DT 13 2) *CAT '.000000')

  SAV      DEV(&DEV) OBJ((&OBJ)) SAVACT(&SAVACT) SAVACTOPT(&OPT) UPDHST(*YES)
  MONMSG   MSGID(CPF0000) EXEC(DO)
    CHGVAR VAR(&STATUS) VALUE('FAILED')
  ENDDO
  RCVMSG   MSGTYPE(*LAST) RMV(*NO) MSGID(&MSGID)

  RTVSYSVAL SYSVAL(QDATETIME) RTNVAR(&DT)
  CHGVAR   VAR(&END) VALUE(%SST(&DT 1 4) *CAT '-' *CAT %SST(&DT 5 2) *CAT '-' *CAT +
             %SST(&DT 7 2) *CAT '-' *CAT %SST(&DT 9 2) *CAT '.' *CAT %SST(&DT 11 2) *CAT +
             '.' *CAT %SST(&DT 13 2) *CAT '.000000')

  /* A save file carries its save point and source to the backup host in its text. */
  IF       COND(%SST(&DEV 1 10) *EQ '/QSYS.LIB/' *AND &STATUS *EQ 'COMPLETED') THEN(DO)
    CHGVAR VAR(&SAVF) VALUE(&NWSSTG)
    CHGOBJD OBJ(HATKXFER/&SAVF) OBJTYPE(*FILE) TEXT('HATK ' *CAT %SST(&START 1 19) *CAT +
             ' ' *CAT &OFFSET *CAT ' ' *CAT &SYSNAME *CAT ' ' *CAT &NWSSTG)
    MONMSG MSGID(CPF0000)
  ENDDO

  CHGVAR   VAR(&SQL) VALUE('INSERT INTO HATOOLKIT.NWSSTG_HISTORY (OPERATION, NWSSTG, OBJECT, +
             OPERATION_TIMESTAMP, END_TIMESTAMP, UTC_OFFSET, SAVE_TIMESTAMP, SAVE_UTC_OFFSET, +
             SAVACT, SAVACTOPT, DEVICE, SOURCE_SYSTEM, SYSTEM_NAME, MESSAGE_ID, STATUS) VALUES +
             (''SAV'', ''' *CAT &NWSSTG *TCAT ''', ''' *CAT &OBJ *TCAT ''', ''' *CAT &START *CAT +
             ''', ''' *CAT &END *CAT ''', ''' *CAT &OFFSET *CAT ''', ''' *CAT &START *CAT +
             ''', ''' *CAT &OFFSET *CAT ''', ''' *CAT &SAVACT *TCAT ''', ''' *CAT &OPT *TCAT +
             ''', ''' *CAT &DEV *TCAT ''', ''' *CAT &SYSNAME *TCAT ''', ''' *CAT &SYSNAME *TCAT +
             ''', ''' *CAT &MSGID *CAT ''', ''' *CAT &STATUS *TCAT ''')')
  RUNSQL   SQL(&SQL) COMMIT(*NONE)
  IF       COND(&STATUS *EQ 'FAILED') THEN(SNDPGMMSG MSGID(CPF9898) MSGF(QCPFMSG) +
             MSGDTA('SAV of ' *CAT &OBJ *TCAT ' failed (' *CAT &MSGID *CAT ')') MSGTYPE(*ESCAPE))
ENDPGM
