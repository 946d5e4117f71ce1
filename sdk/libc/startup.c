/* startup.c: process-wide values the start-up code records for the C library. */
#include <errno.h>

#include "capbox_internal.h"

size_t __capbox_pagesize = 4096;
cloudabi_tid_t __capbox_main_tid;

/* The thread-local errno of <errno.h>. */
_Thread_local int errno;
