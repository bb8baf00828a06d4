#ifndef CONTRACTWATCH_CLIBPQ_SHIM_H
#define CONTRACTWATCH_CLIBPQ_SHIM_H

#include <libpq-fe.h>

/* PG_DIAG_SQLSTATE and friends are macros over character literals ('C', 'M'...), which Swift
   does not import; expose them as constants. */
static const int cw_PG_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int cw_PG_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;
static const int cw_PG_DIAG_MESSAGE_DETAIL = PG_DIAG_MESSAGE_DETAIL;
static const int cw_PG_DIAG_MESSAGE_HINT = PG_DIAG_MESSAGE_HINT;
static const int cw_PG_DIAG_CONTEXT = PG_DIAG_CONTEXT;
static const int cw_PG_DIAG_SEVERITY_NONLOCALIZED = PG_DIAG_SEVERITY_NONLOCALIZED;

#endif
