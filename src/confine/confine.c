/* confine.c: the names of the optional confinement layers and the --require-all-layers switch. */
#include "confine/confine.h"

#include <errno.h>
#include <string.h>

bool confine_require_all_layers;

const char *confine_userns_failure(int err)
{
	switch (err) {
	case ENOSPC:
		return "the limit of user namespaces is reached or zero (sysctl user.max_user_namespaces)";
	case EPERM:
		return "creating user namespaces is not permitted here (kernel.unprivileged_userns_clone=0, an AppArmor or container seccomp profile, or a chroot)";
	case EUSERS:
		return "user namespaces nest too deeply (32 at most)";
	default:
		return strerror(err);
	}
}

const char *confine_layer_name(enum confine_layer layer)
{
	static const char *const names[CONFINE_NLAYERS] = {
		[CONFINE_NAMESPACES] = "user namespaces",
		[CONFINE_EMPTY_ROOT] = "empty root directory",
		[CONFINE_LANDLOCK] = "Landlock",
	};
	return (unsigned)layer < CONFINE_NLAYERS ? names[layer] : "?";
}
