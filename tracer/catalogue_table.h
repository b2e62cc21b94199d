// SPDX-License-Identifier: MIT
/* Private to tracer/: the catalogue's table, defined in catalogue_table.c. */
#ifndef DTL_CATALOGUE_TABLE_H
#define DTL_CATALOGUE_TABLE_H

#include <dtl/catalogue.h>

/* Indexed by syscall number; entries with a NULL name are gaps. */
extern const struct dtl_syscall_desc dtl_syscall_table[];
extern const long dtl_syscall_table_len;

#endif /* DTL_CATALOGUE_TABLE_H */
