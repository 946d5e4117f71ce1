/* hc_file.h: hypercalls of the file_* family: parameter structs and table rows. */
#ifndef CAPBOX_PROTOCOL_HC_FILE_H
#define CAPBOX_PROTOCOL_HC_FILE_H

/* Included by protocol/hypercall.h only. */

#define CAPBOX_HYPERCALLS_FILE(X)

#endif
