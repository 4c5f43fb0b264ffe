/* HATKEXP: write this host's hatoolkit exports as CSV files into a stream-file directory.       */
/*                                                                                               */
/* CALL HATKEXP PARM('/home/hatoolkit')  -- the directory holding the .sql files, and the output  */
/* Output: <dir>/export/partition.csv, nwsds.csv, storage_spaces.csv, save_history.csv (UTF-8).    */
/* Copy them into the bundle as ibmi/<managed system>/<partition name>/ (names as on the HMC).     */
/* Needs IBM i 7.2 or later (RUNSQLSTM SRCSTMF, CPYTOIMPF ADDCOLNAM, REGEXP functions, and         */
/* OBJECT_STATISTICS returning *NWSD from 7.2 TR3). Any step that fails leaves its CSV out: the    */
/* audit then reports that host's storage spaces as unknown, never as fine.                        */
PGM        PARM(&DIR)
  DCL      VAR(&DIR)  TYPE(*CHAR) LEN(100)
  DCL      VAR(&OUT)  TYPE(*CHAR) LEN(128)

  CHGVAR   VAR(&OUT) VALUE(&DIR *TCAT '/export')
  MKDIR    DIR(&OUT)
  MONMSG   MSGID(CPFA0A0)
  CRTSRCPF FILE(HATOOLKIT/QCFGSRC) RCDLEN(92)
  MONMSG   MSGID(CPF7302)
  RTVCFGSRC CFGD(*ALL) CFGTYPE(*NWSD) SRCFILE(HATOOLKIT/QCFGSRC) SRCMBR(NWSD) MBROPT(*REPLACE)
  MONMSG   MSGID(CPF0000)

  CALLSUBR SUBR(EXPORT1) /* partition */
  CALLSUBR SUBR(EXPORT2) /* nwsds */
  CALLSUBR SUBR(EXPORT3) /* storage spaces */
  CALLSUBR SUBR(EXPORT4) /* save history */
  RETURN

  SUBR     SUBR(EXPORT1)
    RUNSQLSTM SRCSTMF(&DIR *TCAT '/partition.sql') COMMIT(*NONE) ERRLVL(20)
    CPYTOIMPF FROMFILE(HATOOLKIT/EXP_PARTITION) TOSTMF(&OUT *TCAT '/partition.csv') +
              MBROPT(*REPLACE) STMFCCSID(1208) RCDDLM(*CRLF) STRDLM(*DBLQUOTE) ADDCOLNAM(*SQL)
    MONMSG   MSGID(CPF0000)
  ENDSUBR
  SUBR     SUBR(EXPORT2)
    RUNSQLSTM SRCSTMF(&DIR *TCAT '/nwsds.sql') COMMIT(*NONE) ERRLVL(20)
    CPYTOIMPF FROMFILE(HATOOLKIT/EXP_NWSD) TOSTMF(&OUT *TCAT '/nwsds.csv') +
              MBROPT(*REPLACE) STMFCCSID(1208) RCDDLM(*CRLF) STRDLM(*DBLQUOTE) ADDCOLNAM(*SQL)
    MONMSG   MSGID(CPF0000)
  ENDSUBR
  SUBR     SUBR(EXPORT3)
    RUNSQLSTM SRCSTMF(&DIR *TCAT '/storage_spaces.sql') COMMIT(*NONE) ERRLVL(20)
    CPYTOIMPF FROMFILE(HATOOLKIT/EXP_NWSSTG) TOSTMF(&OUT *TCAT '/storage_spaces.csv') +
              MBROPT(*REPLACE) STMFCCSID(1208) RCDDLM(*CRLF) STRDLM(*DBLQUOTE) ADDCOLNAM(*SQL)
    MONMSG   MSGID(CPF0000)
  ENDSUBR
  SUBR     SUBR(EXPORT4)
    RUNSQLSTM SRCSTMF(&DIR *TCAT '/save_history.sql') COMMIT(*NONE) ERRLVL(20)
    CPYTOIMPF FROMFILE(HATOOLKIT/EXP_HISTORY) TOSTMF(&OUT *TCAT '/save_history.csv') +
              MBROPT(*REPLACE) STMFCCSID(1208) RCDDLM(*CRLF) STRDLM(*DBLQUOTE) ADDCOLNAM(*SQL)
    MONMSG   MSGID(CPF0000)
  ENDSUBR
ENDPGM
