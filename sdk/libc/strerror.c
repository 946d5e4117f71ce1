/* strerror.c: strerror() naming the CloudABI error numbers. */
#include <cloudabi/names.h>
#include <string.h>

/* The symbolic name of the error ("EINVAL"); there are no long messages. */
char *strerror(int errnum)
{
	switch (errnum) {
#define CAPBOX_ERRNO_CASE_(sym, name)                                          \
	case CLOUDABI_##sym:                                                   \
		return (char *)name;
		CLOUDABI_ERRNO_NAMES(CAPBOX_ERRNO_CASE_)
#undef CAPBOX_ERRNO_CASE_
	default:
		return (char *)"Unknown error";
	}
}
